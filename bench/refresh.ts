/**
 * Refresh-token rotation throughput: `npx tsx bench/refresh.ts [sqlite|postgres]` (default sqlite, the embedded
 * default; postgres runs with Redis). Every request spends a live refresh token (one of 20 sessions) and the
 * answer's successor is spent next, as clients do; no token is presented twice, so this is rotation and not the
 * reuse grace (which answers a stored pair without writing). Prints the server's CPU time per request besides the
 * rate. There is no bare baseline: a rotation is a transaction of Spruce's own design.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { cpuMicros, loadAverage, machine } from './lib/load.js';
import { redisUrl, seconds, startSpruce, temporaryDirectory, userWithTodos, withMigratedPostgresDatabase } from './lib/spruce.js';

const dialect = process.argv[2] ?? 'sqlite';
const connections = 20;

async function measure(env: Record<string, string>): Promise<string> {
  const dataDir = temporaryDirectory();
  const server = await startSpruce({ DATA_DIR: dataDir, ...env }, dataDir);
  try {
    const user = await userWithTodos(server.url, `bench_${randomBytes(3).toString('hex')}`, 0);
    /** One live refresh token per connection, each of its own session. */
    const logIns = async (): Promise<string[]> => {
      const tokens: string[] = [];
      for (let i = 0; i < connections; i++) {
        const response = await fetch(`${server.url}/users/log-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: user.username, password: user.password }),
        });
        tokens.push(((await response.json()) as { refresh_token: string }).refresh_token);
      }
      return tokens;
    };
    // autocannon starts each request with a fresh context, so the tokens live in a pool: a request takes one and
    // its answer puts the successor back. At most `connections` requests are in flight, so the pool never runs
    // dry, and no token is ever presented twice: this measures rotation, not the reuse grace.
    const rotate = (duration: number, pool: string[]) =>
      autocannon({
        url: `${server.url}/api/auth/refresh`,
        connections,
        duration,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request: any, context: any) => {
              context.token = pool.pop() ?? 'pool-ran-dry';
              return { ...request, body: JSON.stringify({ refresh_token: context.token }) };
            },
            onResponse: (status: number, body: string) => {
              if (status === 200) pool.push(JSON.parse(body).refresh_token);
            },
          },
        ],
      } as autocannon.Options);
    // Warm-up (JIT, statement caches) on sessions of its own: tokens in flight when it stops are lost.
    await rotate(3, await logIns());
    const pool = await logIns();
    // The server's own CPU time per request: on a shared, loaded machine a steadier figure than requests per second.
    const cpuBefore = cpuMicros(server.pid);
    const result = await rotate(seconds, pool);
    const cpuPerRequest = (cpuMicros(server.pid) - cpuBefore) / Math.max(1, result.requests.total);
    const errors = result.errors + result.timeouts + result.non2xx;
    return (
      `POST /api/auth/refresh (rotation), ${connections} conns, ${dialect}: ${Math.round(result.requests.average)} req/s, ` +
      `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, server CPU ${Math.round(cpuPerRequest)} µs/request, ` +
      `${result.requests.total} requests, errors ${errors}`
    );
  } finally {
    await server.stop();
  }
}

console.log(`machine: ${machine()}; load average ${loadAverage()}`);
const line =
  dialect === 'postgres'
    ? await withMigratedPostgresDatabase((url) => measure({ DATABASE_URL: url, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `spruce-bench-${randomBytes(3).toString('hex')}:` }))
    : await measure({});
console.log(line);
