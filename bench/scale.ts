/**
 * Scale-out: GET /todos on one Spruce process, then on two processes side by side on the same PostgreSQL and
 * Redis (issue 6): `npx tsx bench/scale.ts`.
 */
import { randomBytes } from 'node:crypto';
import { formatResult, load, loadAverage, machine } from './lib/load.js';
import { redisUrl, seconds, startSpruce, temporaryDirectory, userWithTodos, withMigratedPostgresDatabase } from './lib/spruce.js';

const lines = await withMigratedPostgresDatabase(async (url) => {
  const dataDir = temporaryDirectory();
  const env = {
    DATA_DIR: dataDir,
    DATABASE_URL: url,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `bench-${randomBytes(3).toString('hex')}:`,
    // Both processes must accept the same tokens.
    SECRET_KEY: randomBytes(32).toString('hex'),
  };
  const one = await startSpruce(env, dataDir);
  const two = await startSpruce(env, dataDir);
  try {
    const user = await userWithTodos(one.url, `bench_${randomBytes(3).toString('hex')}`, 20);
    const target = (base: string, connections: number) => ({ url: `${base}/todos`, connections, seconds, headers: { authorization: `Bearer ${user.token}` } });
    await load({ ...target(one.url, 10), seconds: 2 });
    await load({ ...target(two.url, 10), seconds: 2 });
    const single = await load(target(one.url, 50));
    const [a, b] = await Promise.all([load(target(one.url, 25)), load(target(two.url, 25))]);
    return [
      `1 process, 50 conns:            ${formatResult(single)}`,
      `2 processes, 25 conns each, A:  ${formatResult(a)}`,
      `2 processes, 25 conns each, B:  ${formatResult(b)}`,
      `2 processes together:           ${Math.round(a.requestsPerSecond + b.requestsPerSecond)} req/s`,
    ];
  } finally {
    await one.stop();
    await two.stop();
  }
});
console.log(`\nscale-out, GET /todos on PostgreSQL + Redis; ${machine()}; load average now ${loadAverage()}`);
for (const line of lines) console.log(line);
