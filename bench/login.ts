/**
 * GET /todos driven flat out while log-ins run at the hashing limit, for each ARGON2_MAX_CONCURRENCY in
 * BENCH_HASHING (default "1,2"), in alternating rounds: `npx tsx bench/login.ts [sqlite|postgres]` (default
 * sqlite, the embedded default). Reports the p99 of GET /todos and the log-ins per second each setting gives.
 */
import { randomBytes } from 'node:crypto';
import { load, loadAverage, machine, type LoadResult, formatResult } from './lib/load.js';
import { redisUrl, rounds, seconds, startSpruce, temporaryDirectory, userWithTodos, withMigratedPostgresDatabase, type Server } from './lib/spruce.js';
import { median } from './lib/median.js';

const dialect = process.argv[2] ?? 'sqlite';
const concurrencies = (process.env.BENCH_HASHING ?? '1,2').split(',').map(Number);

interface Setup {
  concurrency: number;
  server: Server;
  token: string;
  login: string;
}

/** GET /todos flat out: 50 connections. */
function loadReads(setup: Setup, forSeconds: number): Promise<LoadResult> {
  return load({ url: `${setup.server.url}/todos`, connections: 50, seconds: forSeconds, headers: { authorization: `Bearer ${setup.token}` } });
}

/** Log-ins at the hashing limit: 8 connections, each logging in again as soon as it is answered. */
function loadLogins(setup: Setup, forSeconds: number): Promise<LoadResult> {
  return load({
    url: `${setup.server.url}/users/log-in`,
    connections: 8,
    seconds: forSeconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: setup.login,
  });
}

async function measure(env: Record<string, string>): Promise<string[]> {
  const dataDir = temporaryDirectory();
  const setups: Setup[] = [];
  try {
    for (const concurrency of concurrencies) {
      const server = await startSpruce({ DATA_DIR: dataDir, ...env, ARGON2_MAX_CONCURRENCY: String(concurrency) }, dataDir);
      const user = await userWithTodos(server.url, `bench_${randomBytes(3).toString('hex')}`, 20);
      setups.push({ concurrency, server, token: user.token, login: JSON.stringify({ username: user.username, password: user.password }) });
    }
    // Warm-up, as in the other scripts: the log-in path's first seconds (JIT, the first hashes' memory, the
    // statement caches) otherwise land in the first measured round of each setting and, with 3 rounds, in its median.
    for (const setup of setups) await Promise.all([loadReads(setup, 3), loadLogins(setup, 3)]);
    const results = new Map<number, { reads: LoadResult[]; logins: LoadResult[] }>(concurrencies.map((c) => [c, { reads: [], logins: [] }]));
    for (let round = 0; round < rounds; round++) {
      for (const setup of round % 2 === 0 ? setups : [...setups].reverse()) {
        const [reads, logins] = await Promise.all([loadReads(setup, seconds), loadLogins(setup, seconds)]);
        results.get(setup.concurrency)!.reads.push(reads);
        results.get(setup.concurrency)!.logins.push(logins);
        console.log(`  round ${round + 1} hashing ${setup.concurrency}: GET /todos ${formatResult(reads)} | log-ins ${formatResult(logins)}`);
      }
    }
    return concurrencies.map((concurrency) => {
      const { reads, logins } = results.get(concurrency)!;
      return (
        `ARGON2_MAX_CONCURRENCY=${concurrency} on ${dialect}: GET /todos (50 conns, flat out) p99 ${median(reads.map((r) => r.p99Ms)).toFixed(1)} ms, ` +
        `${Math.round(median(reads.map((r) => r.requestsPerSecond)))} req/s; log-ins (8 conns) ${Math.round(median(logins.map((r) => r.requestsPerSecond)))}/s, ` +
        `p99 ${median(logins.map((r) => r.p99Ms)).toFixed(0)} ms`
      );
    });
  } finally {
    for (const setup of setups) await setup.server.stop();
  }
}

const lines =
  dialect === 'postgres'
    ? await withMigratedPostgresDatabase((url) =>
        measure({ DATABASE_URL: url, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `bench-${randomBytes(3).toString('hex')}:` }),
      )
    : await measure({});
console.log(`\n${machine()}; ${rounds} rounds of ${seconds} s; load average now ${loadAverage()}`);
for (const line of lines) console.log(line);
