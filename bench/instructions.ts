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
 * Each thread is counted on its own (`--separate-threads`): the main thread runs the requests; V8's helper threads
 * compile optimised code and mark the heap, work that goes on long after the warm-up (the JIT was still
 * optimising functions 40,000 requests in) and moves the total from run to run.
 *
 * BENCH_CACHE_SIM=1 also simulates the caches and the branch predictor (callgrind's `--cache-sim` and
 * `--branch-sim`), with the last level sized as this machine's L2 (read from /sys; 1 MB when unknown), and reports
 * per request the L1 misses, the L2 misses and the mispredicted branches: what makes one server's instructions
 * slower than another's, and why the ratio of their speeds changes from one machine to the next while the ratio of
 * their instructions does not. The simulation knows no prefetcher and no neighbours, so its misses rank the
 * servers rather than price them.
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
import { headerLinesOf, redisUrl, startSpruce, temporaryDirectory, todoListSql, userWithTodos, withMigratedPostgresDatabase } from './lib/spruce.js';

// Counts settle only after about 6,000 requests (the JIT is still tiering up before): measured 1,027k instructions a
// request after 2,000, 694k after 3,000, 594k after 6,000 and 600k after 12,000 (docs/benchmarks.md, fifth pass).
const warmup = Number(process.env.BENCH_WARMUP ?? 6000);
const counted = Number(process.env.BENCH_REQUESTS ?? 1000);
const useTsx = process.env.BENCH_ENTRY === 'tsx';
const what = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['todos'];
const cacheSim = process.env.BENCH_CACHE_SIM === '1';
/** BENCH_BARE_HEADERS=1: on `GET /todos`, also the bare server sending the header lines Spruce sends (see bench/todos.ts). */
const bareWithHeaders = process.env.BENCH_BARE_HEADERS === '1';

/** This machine's L2 as callgrind's `--LL` option (size,ways,line), from /sys; 1 MB, 8-way when it is not there. */
function secondLevelCache(): { option: string; description: string } {
  const directory = '/sys/devices/system/cpu/cpu0/cache';
  const read = (index: string, name: string) => fs.readFileSync(path.join(directory, index, name), 'utf8').trim();
  try {
    const index = fs.readdirSync(directory).find((name) => name.startsWith('index') && read(name, 'level') === '2');
    if (index !== undefined) {
      const kib = Number(/^(\d+)K$/.exec(read(index, 'size'))?.[1]);
      const ways = Number(read(index, 'ways_of_associativity'));
      const line = Number(read(index, 'coherency_line_size'));
      if (kib > 0 && ways > 0 && line > 0) return { option: `--LL=${kib * 1024},${ways},${line}`, description: `${kib} KB, ${ways}-way` };
    }
  } catch {
    // No cache description here (not Linux, or hidden in a container): callgrind's usual guess would be the L3.
  }
  return { option: '--LL=1048576,8,64', description: '1024 KB, 8-way (assumed)' };
}
const l2 = cacheSim ? secondLevelCache() : null;

/** Per request: every thread's instructions, the main thread's, and (with BENCH_CACHE_SIM) the main thread's misses. */
interface Counts {
  instructions: number;
  mainThread: number;
  l1Misses?: number;
  l2Misses?: number;
  mispredicted?: number;
}

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

/** Runs `args` under callgrind and returns its counts per request for `path` (with `headers`). */
async function countInstructions(
  label: string,
  args: string[],
  env: Record<string, string>,
  readyPath: string,
  requestPath: string,
  headers: Record<string, string> = {},
): Promise<Counts> {
  const dir = temporaryDirectory();
  const port = await freePort();
  const out = path.join(dir, 'callgrind.out');
  // valgrind names its control pipe after USER and HOST (also Spruce's listen address); callgrind_control must see the same.
  const minimalEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1' };
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      '--smc-check=all-non-file',
      '--separate-threads=yes',
      ...(l2 === null ? [] : ['--cache-sim=yes', '--branch-sim=yes', l2.option]),
      `--callgrind-out-file=${out}`,
      process.execPath,
      ...args,
    ],
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
  // Counting was on only for the counted requests; the dumps hold them (and the files written at exit, nothing
  // more), one file a thread: `callgrind.out.1-01` is the main thread's dump.
  const all = new Map<string, number>();
  const main = new Map<string, number>();
  for (const name of fs.readdirSync(dir).filter((name) => name.startsWith('callgrind.out'))) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    const events = /^events:\s+(.*)$/m.exec(text)?.[1]?.split(' ') ?? [];
    const totals = /^totals:\s+(.*)$/m.exec(text)?.[1]?.split(' ').map(Number) ?? [];
    for (const sums of name.endsWith('-01') ? [all, main] : [all]) {
      events.forEach((event, index) => sums.set(event, (sums.get(event) ?? 0) + (totals[index] ?? 0)));
    }
  }
  const perRequest = (sums: Map<string, number>, ...events: string[]) => events.reduce((sum, event) => sum + (sums.get(event) ?? 0), 0) / counted;
  const counts: Counts = { instructions: perRequest(all, 'Ir'), mainThread: perRequest(main, 'Ir') };
  const format = (value: number) => Math.round(value).toLocaleString('en');
  let line = `  ${label.padEnd(32)} ${format(counts.instructions).padStart(9)} instructions/request; main thread ${format(counts.mainThread)}`;
  if (l2 !== null) {
    // The main thread's: the requests' own path, without the helper threads' compiling and marking.
    counts.l1Misses = perRequest(main, 'I1mr', 'D1mr', 'D1mw');
    counts.l2Misses = perRequest(main, 'ILmr', 'DLmr', 'DLmw');
    counts.mispredicted = perRequest(main, 'Bcm', 'Bim');
    line += `, its L1 misses ${format(counts.l1Misses)}, L2 misses ${format(counts.l2Misses)}, mispredicted branches ${format(counts.mispredicted)}`;
  }
  console.log(line);
  return counts;
}

/** The summary line of one comparison: each ratio is bare / Spruce, as in the other scripts. */
function comparison(label: string, bare: Counts, spruce: Counts): string {
  let line = `${label}: bare / Spruce instructions per request = ${ratio(bare.instructions, spruce.instructions)} (main thread ${ratio(bare.mainThread, spruce.mainThread)})`;
  if (l2 !== null) {
    line += `; main thread's L1 misses ${ratio(bare.l1Misses!, spruce.l1Misses!)}, L2 misses ${ratio(bare.l2Misses!, spruce.l2Misses!)}, mispredicted branches ${ratio(bare.mispredicted!, spruce.mispredicted!)}`;
  }
  return line;
}

const spruceArgs = useTsx ? ['--import', 'tsx', 'src/server.ts'] : ['dist/server.js'];
const lines: string[] = [];

const bareArgs = ['bench/baselines/bare-server.mjs'];
/**
 * A fresh PostgreSQL database's URL for `work`, migrated as production migrates it (withMigratedPostgresDatabase), or
 * '' for SQLite (each run's own data folder).
 */
const withDatabase = (postgres: boolean, work: (url: string) => Promise<void>) => (postgres ? withMigratedPostgresDatabase(work) : work(''));
const ratio = (bare: number, spruce: number) => (bare / spruce).toFixed(2);

for (const target of what) {
  if (target === 'todos' || target === 'todos-postgres') {
    const postgres = target === 'todos-postgres';
    await withDatabase(postgres, async (url) => {
      // Seeded by a normal process (argon2id under valgrind would take minutes), then served from the same data.
      const dataDir = temporaryDirectory();
      const databaseEnv: Record<string, string> = postgres
        ? { DATABASE_URL: url, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `bench-${randomBytes(3).toString('hex')}:` }
        : {};
      const seeder = await startSpruce({ DATA_DIR: dataDir, ...databaseEnv }, dataDir);
      const user = await userWithTodos(seeder.url, `bench_${randomBytes(3).toString('hex')}`, 20);
      const spruceHeaderLines = bareWithHeaders ? await headerLinesOf(`${seeder.url}/todos`, { authorization: `Bearer ${user.token}` }) : null;
      await seeder.stop();
      const sql = todoListSql(postgres ? '$1' : '?');
      const label = postgres ? 'GET /todos, PostgreSQL + Redis' : 'GET /todos, embedded SQLite';
      console.log(`${label} (load average ${loadAverage()})`);
      const env = { DATA_DIR: dataDir, RATE_LIMIT_MAX: '10000000', ...databaseEnv };
      const spruce = await countInstructions('spruce', spruceArgs, env, '/health', '/todos', { authorization: `Bearer ${user.token}` });
      const bareEnv = { BARE_DB: postgres ? url : path.join(dataDir, 'spruce.db'), BARE_SQL: sql, BARE_PARAMS: JSON.stringify([user.userId]), BARE_WRAP: 'todos' };
      const bareLabel = postgres ? 'bare node:http + pg' : 'bare node:http + better-sqlite3';
      const bare = await countInstructions(bareLabel, bareArgs, bareEnv, '/', '/');
      lines.push(comparison(label, bare, spruce));
      if (spruceHeaderLines !== null) {
        const count = Object.keys(spruceHeaderLines).length;
        const withHeaders = await countInstructions(`${bareLabel}, Spruce's ${count} header lines`, bareArgs, { ...bareEnv, BARE_HEADERS: JSON.stringify(spruceHeaderLines) }, '/', '/');
        lines.push(comparison(`${label}, against the bare server sending Spruce's ${count} header lines`, withHeaders, spruce));
      }
    });
  } else if (target === 'feed' || target === 'feed-postgres') {
    const postgres = target === 'feed-postgres';
    await withDatabase(postgres, async (url) => {
      const dataDir = temporaryDirectory();
      const env: Record<string, string> = { DATA_DIR: dataDir, RATE_LIMIT_MAX: '10000000', ...(postgres ? { DATABASE_URL: url } : {}) };
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
        lines.push(comparison(label, bare, spruce));
      }
    });
  } else {
    throw new Error(`unknown target ${target}: todos, todos-postgres, feed or feed-postgres`);
  }
}

console.log(`\n${machine()}; ${counted} requests counted after ${warmup} of warm-up${l2 === null ? '' : `; simulated L2 ${l2.description}`}; load average now ${loadAverage()}`);
for (const line of lines) console.log(line);
