/**
 * Resident memory of Spruce on the embedded default (src/server.ts through tsx, as `npm start` runs it; the
 * compiled entry point with BENCH_ENTRY=dist): at idle after start-up, then after each of three runs of
 * BENCH_REQUESTS (default 100,000) GET /todos requests: `npx tsx bench/memory.ts`.
 */
import autocannon from 'autocannon';
import { loadAverage, machine } from './lib/load.js';
import { entry, residentMegabytes, startSpruce, temporaryDirectory, userWithTodos } from './lib/spruce.js';

const requestsPerRun = Number(process.env.BENCH_REQUESTS ?? 100_000);
const settle = () => new Promise((resolve) => setTimeout(resolve, 2_000));

const dataDir = temporaryDirectory();
const spruce = await startSpruce({ DATA_DIR: dataDir }, dataDir);
try {
  const user = await userWithTodos(spruce.url, 'memory_user', 20);
  await settle();
  const lines = [`idle after start-up: ${residentMegabytes(spruce.pid).toFixed(0)} MB resident`];
  console.log(lines[0]);
  for (let run = 1; run <= 3; run++) {
    const result = await autocannon({
      url: `${spruce.url}/todos`,
      connections: 50,
      amount: requestsPerRun,
      headers: { authorization: `Bearer ${user.token}` },
    });
    const failures = result.non2xx + result.errors + result.timeouts;
    const afterLoad = residentMegabytes(spruce.pid);
    await settle();
    const line = `after run ${run} of ${result.requests.total} requests (${failures} failures): ${afterLoad.toFixed(0)} MB resident, ${residentMegabytes(spruce.pid).toFixed(0)} MB 2 s later`;
    console.log(line);
    lines.push(line);
  }
  console.log(`\nmemory on the embedded default (${entry}); ${machine()}; load average ${loadAverage()}`);
  for (const line of lines) console.log(line);
} finally {
  await spruce.stop();
}
