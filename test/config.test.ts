import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { resolveSecret } from '../src/config/secret.js';

describe('configuration', () => {
  test('defaults are the zero set-up embedded mode', () => {
    const config = loadConfig({});
    assert.equal(config.env, 'development');
    assert.equal(config.port, 8000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.databaseUrl, null);
    assert.equal(config.migrateOnStart, true);
    assert.equal(config.redisUrl, null);
    assert.equal(config.jwtAlgorithm, 'HS256');
    // Issue 11: access tokens are short-lived now that sessions refresh them.
    assert.equal(config.accessTokenExpireSeconds, 900);
    assert.match(config.sqlitePath, /data[/\\]spruce\.db$/);
  });

  test('PostgreSQL does not migrate on start unless asked', () => {
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).migrateOnStart, false);
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@h/db', MIGRATE_ON_START: 'true' }).migrateOnStart, true);
  });

  test('each bad value gets its own clear message', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', JWT_ALGORITHM: 'none', DATABASE_URL: 'mysql://x', REQUIRE_VERIFIED_LOGIN: 'maybe', SECRET_KEY: 'short' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const text = error.problems.join('\n');
        assert.match(text, /PORT must be a whole number/);
        assert.match(text, /JWT_ALGORITHM must be one of HS256, HS384, HS512/);
        assert.match(text, /DATABASE_URL must start with postgres:\/\//);
        assert.match(text, /REQUIRE_VERIFIED_LOGIN must be true or false/);
        assert.match(text, /SECRET_KEY must be at least 32 characters/);
        assert.equal(error.problems.length, 5);
        return true;
      },
    );
  });

  test('production refuses to start without SECRET_KEY', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /SECRET_KEY is required when NODE_ENV=production/);
    assert.equal(loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'k'.repeat(64) }).secretKey, 'k'.repeat(64));
  });

  test('in development a random secret is generated once, kept private under the data folder, and reused', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spruce-secret-'));
    try {
      const first = resolveSecret({ secretKey: null, dataDir, env: 'development' });
      const second = resolveSecret({ secretKey: null, dataDir, env: 'development' });
      assert.equal(first, second);
      assert.match(first, /^[0-9a-f]{64}$/);
      assert.equal(fs.statSync(path.join(dataDir, 'secret_key')).mode & 0o777, 0o600);
      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'spruce-secret-'));
      assert.notEqual(resolveSecret({ secretKey: null, dataDir: other, env: 'development' }), first);
      fs.rmSync(other, { recursive: true });
    } finally {
      fs.rmSync(dataDir, { recursive: true });
    }
  });

  test('.env.example documents every variable the config reads', () => {
    const source = fs.readFileSync(new URL('../src/config/config.ts', import.meta.url), 'utf8');
    const read = new Set([...source.matchAll(/(?:read\.\w+|raw)\(\s*'([A-Z0-9_]+)'/g)].map((m) => m[1]));
    const documented = new Set(
      [...fs.readFileSync(new URL('../.env.example', import.meta.url), 'utf8').matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]),
    );
    assert.ok(read.size > 30);
    assert.deepEqual([...read].filter((name) => !documented.has(name)), []);
  });
});
