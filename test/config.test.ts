import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, defaultHashingConcurrency, loadConfig } from '../src/config/config.js';
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

  test('password hashing leaves one core to the event loop by default, and runs on a single-core machine', () => {
    assert.equal(defaultHashingConcurrency(1), 1);
    assert.equal(defaultHashingConcurrency(2), 1);
    assert.equal(defaultHashingConcurrency(8), 7);
    assert.equal(loadConfig({}).argon2MaxConcurrency, defaultHashingConcurrency());
    assert.equal(loadConfig({ ARGON2_MAX_CONCURRENCY: '4' }).argon2MaxConcurrency, 4);
  });

  test('the mfa_token limits default to 5 minutes and 5 codes, can be set, and are bounded', () => {
    const defaults = loadConfig({});
    assert.deepEqual([defaults.mfaTokenTtlSeconds, defaults.mfaTokenMaxAttempts], [300, 5]);
    const set = loadConfig({ MFA_TOKEN_TTL_SECONDS: '120', MFA_TOKEN_MAX_ATTEMPTS: '3' });
    assert.deepEqual([set.mfaTokenTtlSeconds, set.mfaTokenMaxAttempts], [120, 3]);
    assert.throws(() => loadConfig({ MFA_TOKEN_TTL_SECONDS: '0', MFA_TOKEN_MAX_ATTEMPTS: 'five' }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.ok(error.problems.some((problem) => problem.startsWith('MFA_TOKEN_TTL_SECONDS')));
      assert.ok(error.problems.some((problem) => problem.startsWith('MFA_TOKEN_MAX_ATTEMPTS')));
      return true;
    });
    assert.throws(() => loadConfig({ MFA_TOKEN_TTL_SECONDS: '86400', MFA_TOKEN_MAX_ATTEMPTS: '0' }), /MFA_TOKEN_TTL_SECONDS[\s\S]*MFA_TOKEN_MAX_ATTEMPTS/);
  });

  test('OPENAPI_SERVERS takes http(s) URLs and absolute paths, and names anything else', () => {
    assert.deepEqual(loadConfig({ OPENAPI_SERVERS: ' https://api.example.com ,/v1' }).openApiServers, ['https://api.example.com', '/v1']);
    assert.deepEqual(loadConfig({}).openApiServers, []);
    assert.throws(() => loadConfig({ OPENAPI_SERVERS: 'ftp://x, api.example.com' }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.filter((problem) => problem.startsWith('OPENAPI_SERVERS:')).length, 2);
      return true;
    });
  });

  test('PostgreSQL does not migrate on start unless asked', () => {
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).migrateOnStart, false);
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@h/db', MIGRATE_ON_START: 'true' }).migrateOnStart, true);
  });

  test('MySQL and MariaDB URLs are accepted and, like PostgreSQL, do not migrate on start unless asked', () => {
    assert.equal(loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/spruce' }).migrateOnStart, false);
    assert.equal(loadConfig({ DATABASE_URL: 'mariadb://root@127.0.0.1:3306/spruce' }).databaseUrl, 'mariadb://root@127.0.0.1:3306/spruce');
  });

  test('each bad value gets its own clear message', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', JWT_ALGORITHM: 'none', DATABASE_URL: 'oracle://x', REQUIRE_VERIFIED_LOGIN: 'maybe', SECRET_KEY: 'short' }),
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
    assert.equal(loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'k'.repeat(64), SMTP_URL: 'smtp://mail:25' }).secretKey, 'k'.repeat(64));
  });

  const production = { NODE_ENV: 'production', SECRET_KEY: 'k'.repeat(64) };

  test('production refuses to start without SMTP_URL unless the outbox is asked for', () => {
    assert.throws(() => loadConfig(production), /SMTP_URL is required when MAIL_TO_OUTBOX=false/);
    assert.throws(() => loadConfig({ ...production, MAIL_TO_OUTBOX: 'false' }), /SMTP_URL is required/);
    const outbox = loadConfig({ ...production, MAIL_TO_OUTBOX: 'true' });
    assert.equal(outbox.smtpUrl, null);
    assert.equal(outbox.mailToOutbox, true);
    assert.equal(loadConfig({ ...production, SMTP_URL: 'smtps://u:p@mail:465' }).smtpUrl, 'smtps://u:p@mail:465');
    // Development keeps writing to the outbox with nothing set.
    assert.equal(loadConfig({}).mailToOutbox, true);
  });

  test('production serves /metrics only with METRICS_TOKEN', () => {
    const withSmtp = { ...production, SMTP_URL: 'smtp://mail:25' };
    assert.equal(loadConfig(withSmtp).metricsEnabled, false);
    assert.throws(() => loadConfig({ ...withSmtp, METRICS_ENABLED: 'true' }), /METRICS_TOKEN is required for METRICS_ENABLED=true when NODE_ENV=production/);
    const token = 't'.repeat(32);
    const served = loadConfig({ ...withSmtp, METRICS_TOKEN: token });
    assert.equal(served.metricsEnabled, true);
    assert.equal(served.metricsToken, token);
    assert.equal(loadConfig({ ...withSmtp, METRICS_TOKEN: token, METRICS_ENABLED: 'false' }).metricsEnabled, false);
    assert.throws(() => loadConfig({ METRICS_TOKEN: 'short' }), /METRICS_TOKEN must be at least 16 characters/);
    // Development serves it openly, as before.
    assert.equal(loadConfig({}).metricsEnabled, true);
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
