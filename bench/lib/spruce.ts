/** Starting Spruce, its bare baselines and their databases for the bench scripts. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, spawnCommand, spawnEntry, waitUntilServing, type ApiProcess } from '../../test/helpers/processes.js';

export const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const seconds = Number(process.env.BENCH_SECONDS ?? 5);
export const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
/**
 * How Spruce is run: by default as `npm start` runs it (`start`: the bundle of src/ cached by scripts/start.mjs);
 * `dist`, the compiled entry point (`npm run build` first); `tsx`, src/server.ts through tsx (as `npm run dev`).
 */
export const entry = process.env.BENCH_ENTRY === 'dist' ? 'dist' : process.env.BENCH_ENTRY === 'tsx' ? 'tsx' : 'start';
const entryArgs = { dist: ['dist/server.js'], start: ['scripts/start.mjs'], tsx: ['--import', 'tsx', 'src/server.ts'] };
const password = 'bench-password-1';

export function temporaryDirectory(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'spruce-bench-'));
}

/** A fresh PostgreSQL database for the duration of `work`, dropped after. */
export async function withPostgresDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
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

/**
 * withPostgresDatabase with Spruce's schema already in place, migrated by the command `npm run migrate` runs, in a
 * process of its own: as production runs it (MIGRATE_ON_START is off by default on PostgreSQL). A server that runs
 * the migrations itself at start-up spends about a tenth more CPU on every request for the rest of its life on
 * Node 20, because V8's inline caches for process.nextTick's tick objects go megamorphic during those migrations
 * (docs/benchmarks.md, thirteenth pass); the benchmarks measure the server as it is deployed.
 */
export function withMigratedPostgresDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  return withPostgresDatabase(async (url) => {
    const migrate = spawnEntry('src/cli.ts', ['migrate'], { DATABASE_URL: url });
    if ((await migrate.exited) !== 0) throw new Error(`migrations failed:\n${migrate.output()}`);
    return work(url);
  });
}

export interface Server extends ApiProcess {
  pid: number;
  stop(): Promise<void>;
}

/** A started process as a Server: its pid, and a stop that sends SIGTERM and waits for the exit. */
export function asServer(process: ApiProcess): Server {
  return {
    ...process,
    pid: process.child.pid!,
    stop: async () => {
      process.signal('SIGTERM');
      await process.exited;
    },
  };
}

/**
 * Spruce as a user runs it: default settings (development, request logging at info, written to a log file as
 * `npm start > file` would) except those in `env`. The global rate limit stays on, raised, because every bench
 * client is the one address 127.0.0.1 and would otherwise measure the 429 path.
 */
export async function startSpruce(
  env: Record<string, string>,
  logDirectory: string,
  nodeArgs: string[] = [],
  /** Another checkout of Spruce (with its own node_modules) to run instead of this one, for before/after runs. */
  root = '.',
): Promise<Server> {
  const port = await freePort();
  const fullEnv = {
    RATE_LIMIT_MAX: '10000000',
    LOGIN_MAX_FAILURES_PER_ADDRESS: '1000000',
    // LOG_LEVEL=warn npm run bench shows what request logging costs.
    ...(process.env.LOG_LEVEL ? { LOG_LEVEL: process.env.LOG_LEVEL } : {}),
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
  };
  const logFile = path.join(logDirectory, `spruce-${randomBytes(3).toString('hex')}.log`);
  const args = [...nodeArgs, ...entryArgs[entry].map((arg) => (arg.includes('/') ? path.join(root, arg) : arg))];
  const spawned = spawnCommand(process.execPath, args, fullEnv, { logFile });
  return asServer(await waitUntilServing(spawned, `http://127.0.0.1:${port}`, '/health'));
}

/**
 * bench/baselines/bare-server.mjs answering `sql` with `params` as `{ [wrap]: rows }`, or the rows themselves;
 * `env` passes its other settings (BARE_NAMED, BARE_POOL, BARE_FRAMEWORK, BARE_LOG). Its output goes to a file in
 * `logDirectory` when given (a server that logs each request), and is kept in memory otherwise.
 */
export async function startBare(
  database: string,
  sql: string,
  params: unknown[],
  wrap: string | null,
  env: Record<string, string> = {},
  logDirectory?: string,
): Promise<Server> {
  const port = await freePort();
  const logFile = logDirectory === undefined ? undefined : path.join(logDirectory, `bare-${randomBytes(3).toString('hex')}.log`);
  const spawned = spawnCommand(
    process.execPath,
    ['bench/baselines/bare-server.mjs'],
    {
      PORT: String(port),
      BARE_DB: database,
      BARE_SQL: sql,
      BARE_PARAMS: JSON.stringify(params),
      ...(wrap === null ? {} : { BARE_WRAP: wrap }),
      ...env,
    },
    logFile === undefined ? {} : { logFile },
  );
  return asServer(await waitUntilServing(spawned, `http://127.0.0.1:${port}`, '/'));
}

/** Lines node:http writes itself (or the bare server does), so they are not copied from Spruce's response. */
const linesNodeWrites = new Set(['date', 'connection', 'keep-alive', 'content-length', 'content-type', 'transfer-encoding']);

/** The header lines of one Spruce response to `url`, but those node:http writes itself. */
export async function headerLinesOf(url: string, headers: Record<string, string>): Promise<Record<string, string>> {
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return Object.fromEntries([...response.headers].filter(([name]) => !linesNodeWrites.has(name)));
}

/** Sends `body` as JSON and answers the JSON reply; throws on any status but 2xx. */
export async function json(url: string, method: string, body: unknown, token?: string): Promise<any> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

export interface BenchUser {
  token: string;
  userId: string;
  username: string;
  password: string;
}

/** The SQL Kysely sends for TodosRepository.listForOwner (`?` on SQLite, `$1` on PostgreSQL): the bare servers run it. */
export const todoListSql = (placeholder: string) => `select "id", "content", "is_done" from "todos" where "user_id" = ${placeholder} order by "id" asc`;

/** Signs up and logs in a user, then adds `todoCount` todos through the API. */
export async function userWithTodos(base: string, username: string, todoCount: number): Promise<BenchUser> {
  await json(`${base}/users/sign-up`, 'POST', { username, password });
  const { access_token: token } = await json(`${base}/users/log-in`, 'POST', { username, password });
  for (let i = 0; i < todoCount; i++) await json(`${base}/todos`, 'POST', { content: `todo number ${i}`, is_done: i % 2 === 0 }, token);
  const claims = JSON.parse(Buffer.from(String(token).split('.')[1]!, 'base64url').toString()) as { sub: string };
  return { token, userId: claims.sub, username, password };
}

/** Resident set size of a process, from /proc (Linux), in MB. */
export function residentMegabytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kib / 1024;
}
