import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { migrateToLatest } from '../src/db/migrator.js';
import { usesPrettyLogs } from '../src/http/logging.js';
import { freePort, spawnEntry, startApiProcess, waitFor } from './helpers/processes.js';
import { createTestApp, dialects, testPassword } from './helpers/test-app.js';

/**
 * Start-up failures a person can fix are one line naming the setting, and a non-zero exit soon after. The
 * budget is 5 s on an idle machine; these runs allow more because CI shares its cores with other suites, but a
 * hang (a connection that is never given up) still fails them.
 */
const exitBudgetMs = 45_000;

async function runToExit(entry: string, args: string[], env: Record<string, string>) {
  const started = Date.now();
  const spawned = spawnEntry(entry, args, { NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env });
  const timer = setTimeout(() => spawned.signal('SIGKILL'), exitBudgetMs);
  const code = await spawned.exited;
  clearTimeout(timer);
  return { code, elapsedMs: Date.now() - started, lines: spawned.output().trim().split('\n') };
}

/** The failure is the only thing printed, and it is not a stack trace. */
function assertOneLine(lines: string[], pattern: RegExp): void {
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(lines[0]!, /\n\s+at /);
}

describe('start-up failures as real processes', () => {
  let dataDir: string;
  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spruce-startup-'));
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('a port in use names PORT and exits 1', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const run = await runToExit('src/server.ts', [], { DATA_DIR: path.join(dataDir, 'port'), HOST: '127.0.0.1', PORT: String(port) });
      assert.equal(run.code, 1);
      assert.ok(run.elapsedMs < exitBudgetMs);
      assertOneLine(run.lines, new RegExp(`^PORT ${port} is already in use on 127\\.0\\.0\\.1: .*set PORT to a free port\\.$`));
    } finally {
      blocker.close();
    }
  });

  test('a data directory that cannot be written names DATA_DIR and exits 1', async () => {
    const file = path.join(dataDir, 'a-file');
    fs.writeFileSync(file, '');
    const run = await runToExit('src/server.ts', [], { DATA_DIR: path.join(file, 'data'), PORT: '0' });
    assert.equal(run.code, 1);
    assertOneLine(run.lines, /^DATA_DIR: .*a-file[/\\]data cannot be written \(ENOTDIR\): set DATA_DIR to a directory this user can write\.$/);
  });

  test('npm run migrate against a database that does not answer names DATABASE_URL, without its password, and exits 1', async () => {
    const port = await freePort();
    const run = await runToExit('src/cli.ts', ['migrate'], { DATA_DIR: dataDir, DATABASE_URL: `postgres://spruce:hunter2@127.0.0.1:${port}/spruce` });
    assert.equal(run.code, 1);
    assertOneLine(run.lines, new RegExp(`^Cannot connect to the database at DATABASE_URL=postgres://spruce:\\*\\*\\*@127\\.0\\.0\\.1:${port}/spruce to run migrations \\(.*ECONNREFUSED.*\\): check DATABASE_URL`));
    assert.doesNotMatch(run.lines[0]!, /hunter2|Migration unknown/);
  });

  test('npm run migrate against a server that accepts the connection and never answers gives up, names DATABASE_URL and exits 1', async () => {
    // A firewall that swallows packets, or a port forward to nothing: no refusal ever comes, only silence.
    const held: net.Socket[] = [];
    const silent = net.createServer((socket) => void held.push(socket));
    const port = await freePort();
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    try {
      const run = await runToExit('src/cli.ts', ['migrate'], { DATA_DIR: dataDir, DATABASE_URL: `postgres://spruce@127.0.0.1:${port}/spruce` });
      assert.equal(run.code, 1);
      assertOneLine(run.lines, new RegExp(`^Cannot connect to the database at DATABASE_URL=postgres://spruce@127\\.0\\.0\\.1:${port}/spruce to run migrations .*: check DATABASE_URL`));
    } finally {
      for (const socket of held) socket.destroy();
      silent.close();
    }
  });

  test('npm run migrate against a MySQL server without that database names DATABASE_URL and exits 1', { skip: process.env.TEST_MYSQL_URL ? false : 'TEST_MYSQL_URL is not set' }, async () => {
    const url = new URL(process.env.TEST_MYSQL_URL as string);
    url.pathname = '/spruce_no_such_database';
    const run = await runToExit('src/cli.ts', ['migrate'], { DATA_DIR: dataDir, DATABASE_URL: url.toString() });
    assert.equal(run.code, 1);
    assertOneLine(run.lines, /^Cannot connect to the database at DATABASE_URL=mysql:\/\/.*\/spruce_no_such_database to run migrations \(.*Unknown database.*\): check DATABASE_URL/);
  });

  test('migrating on start against a database that does not answer names DATABASE_URL and MIGRATE_ON_START', async () => {
    const port = await freePort();
    const run = await runToExit('src/server.ts', [], {
      DATA_DIR: dataDir,
      PORT: '0',
      DATABASE_URL: `postgres://spruce@127.0.0.1:${port}/spruce`,
      MIGRATE_ON_START: 'true',
    });
    assert.equal(run.code, 1);
    assertOneLine(run.lines, /^Cannot connect to the database at DATABASE_URL=\S+ to migrate on start \(MIGRATE_ON_START\) \(.*ECONNREFUSED.*\)/);
  });

  test('a database unreachable at start is a warning line; the API still starts and /ready says 503', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const api = await startApiProcess({ NODE_ENV: 'development', LOG_LEVEL: 'warn', DATA_DIR: dataDir, DATABASE_URL: `postgres://spruce@127.0.0.1:${port}/spruce` });
    try {
      assert.match(api.output(), /Cannot connect to the database at DATABASE_URL=\S+ at start \(.*ECONNREFUSED.*\).*answer 503 until it does/);
      const ready = await fetch(`${api.url}/ready`);
      assert.equal(ready.status, 503);
      assert.equal(((await ready.json()) as { checks: Record<string, string> }).checks.database, 'unavailable');
    } finally {
      api.signal('SIGTERM');
      await api.exited;
    }
  });
});

for (const dialect of dialects) {
  describe(`migrations pending on ${dialect}`, () => {
    test('/ready and every route that needs the tables answer 503, never 500, until the migrations land', { timeout: 60_000 }, async () => {
      const t = await createTestApp(dialect, { MIGRATE_ON_START: 'false' });
      try {
        const ready = await t.inject({ method: 'GET', url: '/ready' });
        assert.equal(ready.statusCode, 503);
        assert.equal(ready.json().checks.migrations, 'pending');
        const requests = [
          { method: 'POST', url: '/users/sign-up', payload: { username: 'pending_1', password: testPassword } },
          { method: 'POST', url: '/users/log-in', payload: { username: 'pending_1', password: testPassword } },
          { method: 'POST', url: '/api/token', payload: 'username=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
          { method: 'GET', url: '/todos' },
          { method: 'GET', url: '/api/feed/cleanings' },
        ] as const;
        for (const request of requests) {
          const res = await t.inject(request);
          assert.equal(res.statusCode, 503, `${request.method} ${request.url}: ${res.body}`);
          assert.match(res.json().detail, /migrations are pending/);
          assert.equal(res.headers['retry-after'], '5');
        }
        for (const url of ['/health', '/', '/openapi.json']) assert.equal((await t.inject({ method: 'GET', url })).statusCode, 200, url);

        await migrateToLatest(t.app.context.database.db);
        await waitFor('the migrations to be noticed', async () => ((await t.inject({ method: 'GET', url: '/ready' })).statusCode === 200 ? true : undefined), 10_000);
        const signUp = await t.inject(requests[0]);
        assert.equal(signUp.statusCode, 201, signUp.body);
      } finally {
        await t.close();
      }
    });
  });
}

describe('development logs and the start-up banner', () => {
  test('pretty logs only in development on a terminal, or when LOG_FORMAT asks', () => {
    assert.equal(usesPrettyLogs({ logFormat: 'auto', env: 'development' }, true), true);
    assert.equal(usesPrettyLogs({ logFormat: 'auto', env: 'development' }, false), false);
    assert.equal(usesPrettyLogs({ logFormat: 'auto', env: 'production' }, true), false);
    assert.equal(usesPrettyLogs({ logFormat: 'json', env: 'development' }, true), false);
    assert.equal(usesPrettyLogs({ logFormat: 'pretty', env: 'production' }, false), true);
  });

  for (const format of ['pretty', 'json'] as const) {
    test(`${format}: a banner names the URL, /docs, the database, the mailer, the store and the jobs; requests are logged`, { timeout: 60_000 }, async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spruce-banner-'));
      const api = await startApiProcess({ NODE_ENV: 'development', LOG_LEVEL: 'info', LOG_FORMAT: format, DATA_DIR: dataDir });
      try {
        await fetch(`${api.url}/todos`);
        const output = await waitFor('the request lines', () => (/\/todos/.test(api.output()) ? api.output() : undefined));
        if (format === 'pretty') {
          assert.ok(output.includes(`Spruce is listening on ${api.url}  (Swagger UI: ${api.url}/docs)`), output);
          assert.match(output, /\n {2}database {2}SQLite \S+spruce\.db\n {2}mailer {4}outbox \S+outbox \(emails are written there, not sent\)\n {2}store {5}process memory\n {2}jobs {6}run in this process/);
          // One line per request: method, path, status and time.
          assert.match(output, /INFO: GET \/todos 401 \d+\.\d ms/);
          assert.doesNotMatch(output, /incoming request|"level"/);
        } else {
          const lines = output.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
          const banner = lines.find((line) => String(line.msg).startsWith('Spruce is listening'));
          assert.ok(banner, output);
          assert.equal(banner.url, api.url);
          assert.equal(banner.docs, `${api.url}/docs`);
          assert.match(String(banner.database), /^SQLite /);
          assert.equal(banner.store, 'process memory');
          // One line per request, when it completes, with its fields flat; `incoming request` is a debug line.
          const completed = lines.find((line) => line.msg === 'request completed' && line.url === '/todos');
          assert.ok(completed, output);
          assert.equal(completed.level, 30);
          assert.equal(completed.method, 'GET');
          assert.equal(completed.statusCode, 401);
          assert.equal(completed.ip, '127.0.0.1');
          assert.equal(typeof completed.responseTime, 'number');
          assert.match(String(completed.reqId), /^[0-9a-f-]{36}$/);
          assert.ok(!lines.some((line) => line.msg === 'incoming request'), output);
        }
      } finally {
        api.signal('SIGTERM');
        await api.exited;
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  }
});
