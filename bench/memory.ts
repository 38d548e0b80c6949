/**
 * Resident memory of Spruce on the embedded default (as `npm start` runs it, the cached bundle; BENCH_ENTRY=dist
 * for the compiled entry point, BENCH_ENTRY=tsx for src/server.ts through tsx as `npm run dev` runs it):
 * at idle after start-up (before any request), after a sign-up, a log-in and 20 todos (the sign-up starts the
 * password-strength thread), idle again once that thread has ended (a minute without a password check), then after
 * each of three runs of BENCH_REQUESTS (default 100,000) GET /todos requests: `npx tsx bench/memory.ts`. Then the
 * size and time of a /metrics scrape on that server.
 */
import autocannon from 'autocannon';
import { loadAverage, machine } from './lib/load.js';
import { entry, residentMegabytes, startSpruce, temporaryDirectory, userWithTodos } from './lib/spruce.js';

const requestsPerRun = Number(process.env.BENCH_REQUESTS ?? 100_000);
const settle = () => new Promise((resolve) => setTimeout(resolve, 2_000));

const dataDir = temporaryDirectory();
const spruce = await startSpruce({ DATA_DIR: dataDir }, dataDir);
try {
  const lines: string[] = [];
  const report = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  await settle();
  report(`idle after start-up: ${residentMegabytes(spruce.pid).toFixed(0)} MB resident`);
  const user = await userWithTodos(spruce.url, 'memory_user', 20);
  await settle();
  report(`after a sign-up, a log-in and 20 todos: ${residentMegabytes(spruce.pid).toFixed(0)} MB resident`);
  // The password-strength thread ends a minute after the last check (ThreadedStrengthEstimator's idleMs).
  await new Promise((resolve) => setTimeout(resolve, 62_000));
  report(`idle a minute later (password-strength thread ended): ${residentMegabytes(spruce.pid).toFixed(0)} MB resident`);
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
    report(`after run ${run} of ${result.requests.total} requests (${failures} failures): ${afterLoad.toFixed(0)} MB resident, ${residentMegabytes(spruce.pid).toFixed(0)} MB 2 s later`);
  }
  // The cost of a scrape on a server that has answered requests: size, and time to produce (median of 20).
  const scrapeTimes: number[] = [];
  let scrapeBytes = 0;
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    const response = await fetch(`${spruce.url}/metrics`);
    scrapeBytes = (await response.arrayBuffer()).byteLength;
    scrapeTimes.push(performance.now() - started);
  }
  scrapeTimes.sort((a, b) => a - b);
  const scrape = `GET /metrics after those requests: ${(scrapeBytes / 1024).toFixed(1)} KB, median ${scrapeTimes[10]!.toFixed(1)} ms per scrape (20 scrapes, over loopback)`;
  report(scrape);
  console.log(`\nmemory on the embedded default (${entry}); ${machine()}; load average ${loadAverage()}`);
  for (const line of lines) console.log(line);
} finally {
  await spruce.stop();
}
