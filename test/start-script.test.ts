import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { call, freePort, spawnCommand, waitUntilServing } from './helpers/processes.js';

// `npm start` runs scripts/start.mjs: src/ bundled by esbuild into node_modules/.cache/spruce/ (built here first if
// the sources changed) and run in that process. What only the bundle can get wrong is checked here: that it
// serves, that the password-strength thread's file is found beside it, and that it stops cleanly. The routes
// themselves are the other tests' (they run src/ through tsx); the embedded default is what `npm start` serves.

test('npm start (scripts/start.mjs) serves from the bundle, judges passwords in its thread and stops on SIGTERM', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spruce-start-'));
  const port = await freePort();
  const spawned = spawnCommand(process.execPath, ['scripts/start.mjs'], {
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
  });
  try {
    const server = await waitUntilServing(spawned, `http://127.0.0.1:${port}`, '/health');
    const weak = await call(server.url, 'POST', '/users/sign-up', { username: 'start_weak', password: 'Password123!' });
    assert.equal(weak.status, 422, JSON.stringify(weak));
    const strong = await call(server.url, 'POST', '/users/sign-up', { username: 'start_strong', password: 'correct-horse-9!' });
    assert.equal(strong.status, 201, JSON.stringify(strong));
    const invalid = await call(server.url, 'POST', '/users/sign-up', { username: 'ab', password: 'correct-horse-9!' });
    assert.equal(invalid.status, 422);
    assert.ok('body' in invalid && Array.isArray(invalid.body.detail), JSON.stringify(invalid));
    spawned.signal('SIGTERM');
    assert.equal(await spawned.exited, 0, spawned.output());
  } finally {
    spawned.signal('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('npm start -- --help prints the usage from the bundle and exits 0', async () => {
  const spawned = spawnCommand(process.execPath, ['scripts/start.mjs', '--help'], {});
  assert.equal(await spawned.exited, 0, spawned.output());
  assert.match(spawned.output(), /^Usage: npm start/);
});
