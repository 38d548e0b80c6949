/**
 * Instructions per request, counted by valgrind's callgrind:
 * `npx tsx bench/instructions.ts [todos] [todos-postgres] [feed] [feed-postgres]` (default `todos`: GET /todos on
 * the embedded default; `todos-postgres` on PostgreSQL + Redis; `feed`, the feed's first and deep page as
 * bench/feed.ts serves them, on SQLite or PostgreSQL).
 * On a machine shared with other work, throughput and even CPU time move with the neighbours; the number of
 * instructions a server executes for a request does not. Each server runs under callgrind with counting off
 * while it starts and warms up (BENCH_WARMUP requests), counts for BENCH_REQUESTS requests, and reports the
 * total divided by the requests, against the bare baseline measured the same way.
 *
 * Instructions are not time: a system call or a cache miss costs far more than one instruction, so this ratio
 * tracks the CPU ratio without equalling it. It is the figure to compare two versions of the hot path with.
 * Spruce runs from `dist/` (BENCH_ENTRY=tsx for src/ through tsx: same code, much slower to start under
 * valgrind), with request logging at info, as in the other scripts. Needs `valgrind` (Debian's package).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort } from '../test/helpers/processes.js';
import { prepare } from './lib/feed-data.js';
import { loadAverage, machine } from './lib/load.js';
import { redisUrl, startSpruce, temporaryDirectory, todoListSql, userWithTodos, withPostgresDatabase } from './lib/spruce.js';

// Counts settle only after about 6,000 requests (the JIT is still tiering up before): measured 1,027k instructions a
// request after 2,000, 694k after 3,000, 594k after 6,000 and 600k after 12,000 (docs/benchmarks.md, fifth pass).
const warmup = Number(process.env.BENCH_WARMUP ?? 6000);
const counted = Number(process.env.BENCH_REQUESTS ?? 1000);
const useTsx = process.env.BENCH_ENTRY === 'tsx';
const what = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['todos'];

/** GETs `count` times, ten at a time over keep-alive connections; throws on anything but 200. */
async function drive(url: string, count: number, headers: Record<string, string> = {}): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
  let sent = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      http
        .get(url, { agent, headers }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${url}: ${res.statusCode}`))));
        })
        .on('error', reject);
    });
  const worker = async () => {
    while (sent < count) {
      sent++;
      // Under valgrind a server can be slow enough for a keep-alive socket to close as a request is sent on it.
      await one().catch((error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? one() : Promise.reject(error)));
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
  agent.destroy();
}

/** Runs `args` under callgrind and returns instructions per request for `path` (with `headers`). */
async function countInstructions(
  label: string,
  args: string[],
  env: Record<string, string>,
  readyPath: string,
  requestPath: string,
  headers: Record<string, string> = {},
): Promise<number> {
  const dir = temporaryDirectory();
  const port = await freePort();
  const out = path.join(dir, 'callgrind.out');
  // valgrind names its control pipe after USER and HOST (also Spruce's listen address); callgrind_control must see the same.
  const minimalEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1' };
  const child = spawn(
    'valgrind',
    ['--tool=callgrind', '--instr-atstart=no', '--smc-check=all-non-file', `--callgrind-out-file=${out}`, process.execPath, ...args],
    { env: { ...minimalEnv, ...env, PORT: String(port) }, stdio: ['ignore', fs.openSync(path.join(dir, 'log'), 'a'), fs.openSync(path.join(dir, 'log'), 'a')] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 600_000;
    while (!(await fetch(`${base}${readyPath}`).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${label} did not start:\n${fs.readFileSync(path.join(dir, 'log'), 'utf8').slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    await drive(`${base}${requestPath}`, warmup, headers);
    execFileSync('callgrind_control', ['-i', 'on', String(child.pid)], { stdio: 'ignore', env: minimalEnv });
    await drive(`${base}${requestPath}`, counted, headers);
    execFileSync('callgrind_control', ['-i', 'off', String(child.pid)], { stdio: 'ignore', env: minimalEnv });
    // A dump of the counts so far: a server killed by the signal may not write its own at exit.
    execFileSync('callgrind_control', ['-d', String(child.pid)], { stdio: 'ignore', env: minimalEnv });
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  // Counting was on only for the counted requests; the dump holds them (and the file written at exit, nothing more).
  const total = fs
    .readdirSync(dir)
    .filter((name) => name.startsWith('callgrind.out'))
    .map((name) => /^totals:\s+(\d+)/m.exec(fs.readFileSync(path.join(dir, name), 'utf8'))?.[1])
    .reduce((sum, value) => sum + Number(value ?? 0), 0);
  const perRequest = total / counted;
  console.log(`  ${label.padEnd(40)} ${Math.round(perRequest).toLocaleString('en').padStart(12)} instructions/request`);
  return perRequest;
}

const spruceArgs = useTsx ? ['--import', 'tsx', 'src/server.ts'] : ['dist/server.js'];
const lines: string[] = [];

const bareArgs = ['bench/baselines/bare-server.mjs'];
/** A fresh PostgreSQL database's URL for `work`, or '' for SQLite (each run's own data folder). */
const withDatabase = (postgres: boolean, work: (url: string) => Promise<void>) => (postgres ? withPostgresDatabase(work) : work(''));
const ratio = (bare: number, spruce: number) => (bare / spruce).toFixed(2);

for (const target of what) {
  if (target === 'todos' || target === 'todos-postgres') {
    const postgres = target === 'todos-postgres';
    await withDatabase(postgres, async (url) => {
      // Seeded by a normal process (argon2id under valgrind would take minutes), then served from the same data.
      const dataDir = temporaryDirectory();
      const databaseEnv: Record<string, string> = postgres
        ? { DATABASE_URL: url, MIGRATE_ON_START: 'true', REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `bench-${randomBytes(3).toString('hex')}:` }
        : {};
      const seeder = await startSpruce({ DATA_DIR: dataDir, ...databaseEnv }, dataDir);
      const user = await userWithTodos(seeder.url, `bench_${randomBytes(3).toString('hex')}`, 20);
      await seeder.stop();
      const sql = todoListSql(postgres ? '$1' : '?');
      const label = postgres ? 'GET /todos, PostgreSQL + Redis' : 'GET /todos, embedded SQLite';
      console.log(`${label} (load average ${loadAverage()})`);
      const env = { DATA_DIR: dataDir, RATE_LIMIT_MAX: '10000000', ...databaseEnv };
      const spruce = await countInstructions('spruce', spruceArgs, env, '/health', '/todos', { authorization: `Bearer ${user.token}` });
      const bare = await countInstructions(
        postgres ? 'bare node:http + pg' : 'bare node:http + better-sqlite3',
        bareArgs,
        { BARE_DB: postgres ? url : path.join(dataDir, 'spruce.db'), BARE_SQL: sql, BARE_PARAMS: JSON.stringify([user.userId]), BARE_WRAP: 'todos' },
        '/',
        '/',
      );
      lines.push(`${label}: bare / Spruce instructions per request = ${ratio(bare, spruce)}`);
    });
  } else if (target === 'feed' || target === 'feed-postgres') {
    const postgres = target === 'feed-postgres';
    await withDatabase(postgres, async (url) => {
      const dataDir = temporaryDirectory();
      const env: Record<string, string> = { DATA_DIR: dataDir, RATE_LIMIT_MAX: '10000000', ...(postgres ? { DATABASE_URL: url, MIGRATE_ON_START: 'true' } : {}) };
      const prepared = await prepare(env, postgres ? 'postgres' : 'sqlite');
      const seeder = await startSpruce(env, dataDir);
      const user = await userWithTodos(seeder.url, `bench_${randomBytes(3).toString('hex')}`, 0);
      await seeder.stop();
      for (const page of ['first', 'deep'] as const) {
        const label = `feed ${page === 'first' ? 'first page' : 'page 90,000 events deep'}, ${postgres ? 'PostgreSQL' : 'SQLite'}`;
        console.log(`${label} (load average ${loadAverage()})`);
        const spruce = await countInstructions('spruce', spruceArgs, env, '/health', prepared.paths[page], { authorization: `Bearer ${user.token}` });
        const query = prepared.queries[page];
        const bare = await countInstructions(
          'bare node:http, same SQL',
          bareArgs,
          { BARE_DB: postgres ? url : path.join(dataDir, 'spruce.db'), BARE_SQL: query.sql, BARE_PARAMS: JSON.stringify(query.parameters) },
          '/',
          '/',
        );
        lines.push(`${label}: bare / Spruce instructions per request = ${ratio(bare, spruce)}`);
      }
    });
  } else {
    throw new Error(`unknown target ${target}: todos, todos-postgres, feed or feed-postgres`);
  }
}

console.log(`\n${machine()}; ${counted} requests counted after ${warmup} of warm-up; load average now ${loadAverage()}`);
for (const line of lines) console.log(line);
