/**
 * Refresh-token rotation throughput: `npx tsx bench/refresh.ts [sqlite|postgres]` (default sqlite, the embedded
 * default; postgres runs with Redis). Each connection rotates its own session's refresh token: every request
 * spends the token the previous answer gave it, as a client does (a spent token sent again would be the reuse
 * case, not throughput). There is no bare baseline: a rotation is a transaction of Spruce's own design.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { loadAverage, machine } from './lib/load.js';
import { redisUrl, seconds, startSpruce, temporaryDirectory, userWithTodos, withPostgresDatabase } from './lib/spruce.js';

const dialect = process.argv[2] ?? 'sqlite';
const connections = 20;

async function measure(env: Record<string, string>): Promise<string> {
  const dataDir = temporaryDirectory();
  const server = await startSpruce({ DATA_DIR: dataDir, ...env }, dataDir);
  try {
    const user = await userWithTodos(server.url, `bench_${randomBytes(3).toString('hex')}`, 0);
    const startTokens: string[] = [];
    for (let i = 0; i < connections; i++) {
      const response = await fetch(`${server.url}/users/log-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: user.username, password: user.password }),
      });
      startTokens.push(((await response.json()) as { refresh_token: string }).refresh_token);
    }
    let next = 0;
    const result = await autocannon({
      url: `${server.url}/api/auth/refresh`,
      connections,
      duration: seconds,
      initialContext: {},
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (request: any, context: any) => {
            context.token ??= startTokens[next++ % connections];
            return { ...request, body: JSON.stringify({ refresh_token: context.token }) };
          },
          onResponse: (status: number, body: string, context: any) => {
            if (status === 200) context.token = JSON.parse(body).refresh_token;
          },
        },
      ],
    } as autocannon.Options);
    const errors = result.errors + result.timeouts + result.non2xx;
    return `POST /api/auth/refresh (rotation), ${connections} conns, ${dialect}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, errors ${errors}`;
  } finally {
    await server.stop();
  }
}

console.log(`machine: ${machine()}; load average ${loadAverage()}`);
const line =
  dialect === 'postgres'
    ? await withPostgresDatabase((url) => measure({ DATABASE_URL: url, MIGRATE_ON_START: 'true', REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `spruce-bench-${randomBytes(3).toString('hex')}:` }))
    : await measure({});
console.log(line);
