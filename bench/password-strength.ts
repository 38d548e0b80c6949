/**
 * The password-strength check beside the hash it comes before: `npx tsx bench/password-strength.ts`
 * (BENCH_ENTRY=dist measures the compiled worker; run `npm run build` first).
 *
 * - first load: from a new pool to the first answer (thread start, zxcvbn's dictionaries), and the resident memory
 *   the loaded thread adds;
 * - a warm check through the pool (the round trip a request waits for) against one argon2id hash at the production
 *   defaults (19 MiB, t=2, p=1): wall-clock median and p99, and CPU time per operation (user + system of the whole
 *   process, so it counts the worker thread and libuv's hashing thread too, and is not inflated by neighbours);
 * - the event loop's delay (perf_hooks.monitorEventLoopDelay, 1 ms resolution) while a burst of checks runs through
 *   the pool, 64 waiting at a time (its queue limit), and, for contrast, the same checks run on the event loop.
 * Prints numbers and asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { hash } from '@node-rs/argon2';
import { loadAverage, machine } from './lib/load.js';

const compiled = process.env.BENCH_ENTRY === 'dist';
const strengthModule = compiled ? '../dist/modules/identity/password-strength.js' : '../src/modules/identity/password-strength.js';
const workerModule = compiled ? '../dist/modules/identity/password-strength.worker.js' : '../src/modules/identity/password-strength.worker.js';
const { ThreadedStrengthEstimator } = (await import(strengthModule)) as typeof import('../src/modules/identity/password-strength.js');

const checks = Number(process.env.BENCH_CHECKS ?? 400);
const hashes = Number(process.env.BENCH_HASHES ?? 40);
const burst = Number(process.env.BENCH_BURST ?? 300);
const userInputs = ['spruce', 'alice_01', 'alice@example.com', 'alice'];

/** What people type: common passwords, the seed's, passphrases and random strings, 10 to 64 characters. */
function samplePasswords(count: number): string[] {
  const fixed = ['Password123!', 'chantaje@1', 'freepassword@1', 'heatcavslakers@1', 'correct-horse-9!', 'qwerty123456!', 'Summer2024!!', 'alice_01-pass'];
  const words = ['kettle', 'orbit', 'maple', 'harbor', 'violet', 'tundra', 'pepper', 'lantern', 'saffron', 'quartz'];
  const passwords: string[] = [];
  for (let i = 0; passwords.length < count; i++) {
    if (i % 3 === 0) passwords.push(fixed[i % fixed.length]!);
    else if (i % 3 === 1) passwords.push(`${words[i % 10]}-${words[(i * 7) % 10]}-${i % 100}!`);
    else passwords.push(`${randomBytes(8 + (i % 20)).toString('base64url')}-${i % 10}`.slice(0, 64));
  }
  return passwords;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function timeEach(count: number, operation: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number; cpuPerOp: number }> {
  const times: number[] = [];
  const cpuBefore = cpuMs();
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await operation(i);
    times.push(performance.now() - start);
  }
  const cpuPerOp = (cpuMs() - cpuBefore) / count;
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), cpuPerOp };
}

function delayMonitor() {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  return () => {
    histogram.disable();
    const toMs = (ns: number) => ns / 1e6;
    return `p50 ${ms(toMs(histogram.percentile(50)))}, p99 ${ms(toMs(histogram.percentile(99)))}, max ${ms(toMs(histogram.max))}`;
  };
}

console.log(`machine: ${machine()}; load average ${loadAverage()}; ${compiled ? 'compiled (dist/)' : 'tsx'}`);
const passwords = samplePasswords(Math.max(checks, burst));

// First load: a fresh pool, timed to its first answer.
const rssBefore = process.memoryUsage().rss;
// A long timeout: the burst below measures the thread, not how many checks would have been refused with 503.
const estimator = new ThreadedStrengthEstimator({ warn: () => {} }, { timeoutMs: 10 * 60_000 });
const loadStarted = performance.now();
const loadCpu = cpuMs();
await estimator.estimate('Password123!', userInputs);
console.log(`first check (thread start + dictionaries): ${ms(performance.now() - loadStarted)} wall, ${ms(cpuMs() - loadCpu)} CPU; resident memory +${Math.round((process.memoryUsage().rss - rssBefore) / 1024 / 1024)} MB`);

const typical = passwords.filter((_, i) => i % 3 !== 2);
const random = passwords.filter((_, i) => i % 3 === 2);
for (const [label, sample] of [['common, seed and passphrase passwords', typical], ['random 10 to 64 characters (a password manager\'s)', random]] as const) {
  const each = await timeEach(Math.min(checks, sample.length), (i) => estimator.estimate(sample[i]!, userInputs));
  console.log(`warm check, ${label}: median ${ms(each.p50)}, p99 ${ms(each.p99)}, CPU ${ms(each.cpuPerOp)} per check`);
}
const check = await timeEach(checks, (i) => estimator.estimate(passwords[i]!, userInputs));
console.log(`warm check through the pool, all ${checks} sequential: median ${ms(check.p50)}, p99 ${ms(check.p99)}, CPU ${ms(check.cpuPerOp)} per check`);
const argon = await timeEach(hashes, (i) => hash(passwords[i]!, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 }));
console.log(`argon2id hash (19 MiB, t=2, p=1), ${hashes} sequential: median ${ms(argon.p50)}, p99 ${ms(argon.p99)}, CPU ${ms(argon.cpuPerOp)} per hash`);
console.log(`a check costs ${(check.cpuPerOp / argon.cpuPerOp).toFixed(2)}× a hash in CPU, ${(check.p50 / argon.p50).toFixed(2)}× in median wall time`);

const idle = delayMonitor();
await new Promise((resolve) => setTimeout(resolve, 1000));
console.log(`event-loop delay, idle for 1 s: ${idle()}`);

// A burst through the pool: 64 waiting at a time, as many as its queue takes.
const pooled = delayMonitor();
const burstStarted = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: 64 }, async () => {
    while (next < burst) await estimator.estimate(passwords[next++]!, userInputs);
  }),
);
console.log(`event-loop delay during ${burst} checks through the pool (${ms(performance.now() - burstStarted)}): ${pooled()}`);
await estimator.close();

// The same checks on the event loop, one per macrotask: what the worker thread spares every other request.
const { default: estimateInline } = (await import(workerModule)) as typeof import('../src/modules/identity/password-strength.worker.js');
const inlineLoad = performance.now();
await estimateInline({ password: null, userInputs: [] });
console.log(`dictionaries built on this thread: ${ms(performance.now() - inlineLoad)}`);
const inline = delayMonitor();
const inlineStarted = performance.now();
for (let i = 0; i < burst; i++) {
  await estimateInline({ password: passwords[i]!, userInputs });
  await new Promise((resolve) => setImmediate(resolve));
}
console.log(`event-loop delay during ${burst} checks on the event loop (${ms(performance.now() - inlineStarted)}): ${inline()}`);
