/**
 * `npm run bench`: starts real Spruce server processes on a fresh PostgreSQL database and measures them with
 * autocannon from this process. Prints numbers; asserts nothing (benchmarks are not tests).
 *
 *   BENCH_DATABASE_URL  admin URL of the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/test)
 *   BENCH_SECONDS       duration of each run (default 10)
 *   npm run bench -- todos login scale feed   (any subset; default: all)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { startApiProcess } from '../test/helpers/processes.js';

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const selected = new Set(process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['todos', 'login', 'scale', 'feed']);
const password = 'bench-password-1';

async function withDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const name = `spruce_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await work(url.toString());
  } finally {
    const drop = new pg.Client({ connectionString: adminUrl });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await drop.end();
  }
}

interface Server {
  url: string;
  stop(): Promise<void>;
}

/** A real server process, started and awaited the way the scale-out test does it. */
async function startServer(env: Record<string, string>): Promise<Server> {
  const api = await startApiProcess({ ...(process.env as Record<string, string>), ...env, LOG_LEVEL: 'warn' });
  return {
    url: api.url,
    stop: async () => {
      api.signal('SIGTERM');
      await api.exited;
    },
  };
}

async function json(url: string, method: string, body: unknown, token?: string): Promise<any> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function userWithTodos(base: string, username: string, count: number): Promise<string> {
  await json(`${base}/users/sign-up`, 'POST', { username, password });
  const { access_token } = await json(`${base}/users/log-in`, 'POST', { username, password });
  for (let i = 0; i < count; i++) await json(`${base}/todos`, 'POST', { content: `todo number ${i}`, is_done: i % 2 === 0 }, access_token);
  return access_token as string;
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ duration: seconds, ...options }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

function line(label: string, r: autocannon.Result): string {
  const errors = r.errors + r.timeouts + r.non2xx;
  return `${label.padEnd(44)} ${String(Math.round(r.requests.average)).padStart(7)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   errors ${errors}`;
}

const results: string[] = [];
/** Printed as each run finishes too, so a later failure cannot hide the numbers already measured. */
function record(result: string): void {
  console.log(result);
  results.push(result);
}
const serverEnv = (databaseUrl: string) => ({
  DATABASE_URL: databaseUrl,
  MIGRATE_ON_START: 'true',
  SECRET_KEY: randomBytes(32).toString('hex'),
  DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'spruce-bench-')),
  // The global per-address limit would otherwise measure itself: every bench client is 127.0.0.1.
  RATE_LIMIT_MAX: '10000000',
  LOGIN_MAX_FAILURES_PER_ADDRESS: '1000000',
  SIGNUP_MAX_PER_ADDRESS: '1000000',
  ...(process.env.ARGON2_MAX_CONCURRENCY ? { ARGON2_MAX_CONCURRENCY: process.env.ARGON2_MAX_CONCURRENCY } : {}),
});

await withDatabase(async (databaseUrl) => {
  const env = serverEnv(databaseUrl);
  const one = await startServer(env);
  try {
    const token = await userWithTodos(one.url, 'bench_reader', 20);
    const todos = { url: `${one.url}/todos`, headers: { authorization: `Bearer ${token}` } };
    await run({ ...todos, connections: 10, duration: 2 }); // warm-up: JIT, pool, statement cache

    if (selected.has('todos')) {
      record(line('GET /todos (20 todos), 50 conns, 1 process', await run({ ...todos, connections: 50 })));
    }

    if (selected.has('login')) {
      await json(`${one.url}/users/sign-up`, 'POST', { username: 'bench_login', password });
      const logins = run({
        url: `${one.url}/users/log-in`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'bench_login', password }),
        connections: 8,
      });
      const reads = run({ ...todos, connections: 50 });
      const [loginResult, readResult] = await Promise.all([logins, reads]);
      record(line('POST /users/log-in (argon2id), 8 conns', loginResult));
      record(line('  meanwhile GET /todos, 50 conns', readResult));
      const paced = run({ ...todos, connections: 20, overallRate: 1000 });
      const moreLogins = run({
        url: `${one.url}/users/log-in`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'bench_login', password }),
        connections: 8,
      });
      const [pacedResult, moreLoginResult] = await Promise.all([paced, moreLogins]);
      record(line('POST /users/log-in (argon2id), 8 conns', moreLoginResult));
      record(line('  meanwhile GET /todos paced at 1,000 req/s', pacedResult));
    }

    if (selected.has('scale')) {
      const two = await startServer(env);
      try {
        await run({ url: `${two.url}/todos`, headers: todos.headers, connections: 10, duration: 2 });
        const single = await run({ ...todos, connections: 50 });
        const [a, b] = await Promise.all([
          run({ ...todos, connections: 25 }),
          run({ url: `${two.url}/todos`, headers: todos.headers, connections: 25 }),
        ]);
        record(line('scale-out: GET /todos, 1 process, 50 conns', single));
        record(line('scale-out: GET /todos, process A of 2, 25 conns', a));
        record(line('scale-out: GET /todos, process B of 2, 25 conns', b));
        record(`${'scale-out: 2 processes together'.padEnd(44)} ${String(Math.round(a.requests.average + b.requests.average)).padStart(7)} req/s`);
      } finally {
        await two.stop();
      }
    }
  } finally {
    await one.stop();
  }
});

if (selected.has('feed') && fs.existsSync('bench/feed.ts')) {
  record('feed: see the output of bench/feed.ts above');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/feed.ts'], {
      stdio: 'inherit',
      env: { ...process.env, DATABASE_URL: process.env.BENCH_FEED_DATABASE_URL ?? adminUrl },
    });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bench/feed.ts exited ${code}`))));
  });
}

console.log(`\nSpruce benchmark: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${seconds} s per run\n`);
for (const result of results) console.log(result);
