import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { describe, test } from 'node:test';
import { createServerDatabase, dialects, testPassword } from './helpers/test-app.js';

const root = path.resolve(import.meta.dirname, '..');

interface RunningServer {
  child: ChildProcess;
  baseUrl: string;
  /** Every JSON log line the server has written so far. */
  logs: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once `count` lines pass the filter. */
  waitForLogs(filter: (line: Record<string, unknown>) => boolean, count: number, timeoutMs: number): Promise<void>;
}

/** Starts the real server process (src/server.ts, as `npm start` does) on a free port of 127.0.0.1. */
async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      logs.push({ msg: line });
    }
    for (const wake of waiters) wake();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  const waitForLogs: RunningServer['waitForLogs'] = (filter, count, timeoutMs) =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (logs.filter(filter).length >= count) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${count} log lines; stderr: ${stderr}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  await waitForLogs((line) => String(line.msg).startsWith('Server listening at'), 1, 20_000);
  const listening = logs.find((line) => String(line.msg).startsWith('Server listening at'));
  const baseUrl = /(http:\/\/127\.0\.0\.1:\d+)/.exec(String(listening?.msg))?.[1];
  assert.ok(baseUrl, `listening line: ${JSON.stringify(listening)}`);
  return { child, baseUrl, logs, exited, waitForLogs };
}

for (const dialect of dialects) {
  describe(`graceful shutdown on ${dialect}`, () => {
    test('SIGTERM lets every accepted request finish with its normal status, then exits with 0', { timeout: 60_000 }, async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spruce-shutdown-'));
      const database = dialect === 'sqlite' ? null : await createServerDatabase(dialect);
      let server: RunningServer | undefined;
      try {
        server = await startServer({
          NODE_ENV: 'test',
          // debug, so the test can see when each request has been received (its `incoming request` line).
          LOG_LEVEL: 'debug',
          HOST: '127.0.0.1',
          PORT: '0',
          DATA_DIR: dataDir,
          SECRET_KEY: randomBytes(32).toString('hex'),
          MIGRATE_ON_START: 'true',
          // The production default: each sign-up hashes for tens of milliseconds, so the requests overlap SIGTERM.
          ARGON2_MEMORY_KIB: '19456',
          ARGON2_TIME_COST: '2',
          ...(database ? { DATABASE_URL: database.url } : {}),
        });
        const { baseUrl } = server;
        assert.equal((await fetch(`${baseUrl}/health`)).status, 200);

        const suffix = randomBytes(3).toString('hex');
        const ids = Array.from({ length: 20 }, (_, i) => `shutdown-${suffix}-${i}`);
        const responses = ids.map((id, i) =>
          fetch(`${baseUrl}/users/sign-up`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-request-id': id },
            body: JSON.stringify({ username: `sd${suffix}${i}`, password: testPassword }),
          }).then(async (res) => ({ status: res.status, body: await res.text() })),
        );

        // Every request has reached the app (and is now hashing) when its "incoming request" line is logged.
        await server.waitForLogs((line) => line.msg === 'incoming request' && ids.includes(String(line.reqId)), ids.length, 10_000);
        const completedBeforeSignal = server.logs.filter((line) => line.msg === 'request completed' && ids.includes(String(line.reqId))).length;
        assert.ok(completedBeforeSignal < ids.length, 'some requests are still in flight when SIGTERM is sent');
        const signalledAt = Date.now();
        server.child.kill('SIGTERM');

        const results = await Promise.all(responses);
        for (const [i, result] of results.entries()) {
          assert.equal(result.status, 201, `request ${i}: ${result.body}`);
          assert.equal(JSON.parse(result.body).username, `sd${suffix}${i}`);
        }

        const exit = await Promise.race([
          server.exited,
          new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000)),
        ]);
        assert.deepEqual(exit, { code: 0, signal: null });
        assert.ok(Date.now() - signalledAt < 10_000);

        // Every log line about these requests carries the request id the client sent.
        const requestLines = server.logs.filter((line) => line.msg === 'incoming request' || line.msg === 'request completed');
        assert.ok(requestLines.length >= ids.length * 2);
        for (const line of requestLines) assert.ok(typeof line.reqId === 'string' && line.reqId !== '', JSON.stringify(line));
        assert.deepEqual(
          new Set(server.logs.filter((line) => line.msg === 'request completed').map((line) => line.reqId).filter((id) => ids.includes(String(id)))),
          new Set(ids),
        );
        assert.ok(server.logs.some((line) => String(line.msg).startsWith('shutting down')));

        await assert.rejects(fetch(`${baseUrl}/health`), 'the port is closed after exit');
      } finally {
        if (server !== undefined && server.child.exitCode === null && server.child.signalCode === null) {
          server.child.kill('SIGKILL');
          await server.exited;
        }
        await database?.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}
