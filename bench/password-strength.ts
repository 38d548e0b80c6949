/**
 * The password-strength check beside the hash it comes before: `npx tsx bench/password-strength.ts`
 * (BENCH_ENTRY=dist measures the compiled worker; run `npm run build` first).
 *
 * - first load: from a new pool to the first answer (thread start, zxcvbn's dictionaries and word index), and the
 *   resident memory the loaded thread adds;
 * - a warm check through the pool (the round trip a request waits for) against one argon2id hash at the production
 *   defaults (19 MiB, t=2, p=1): wall-clock median and p99, and CPU time per operation (user + system of the whole
 *   process, so it counts the worker thread and libuv's hashing thread too, and is not inflated by neighbours);
 * - before and after, in this process: the same factory options with zxcvbn's own dictionary matchers and with the
 *   indexed ones (zxcvbn-l33t.ts), CPU per check on the same passwords in alternating rounds (medians of
 *   BENCH_ROUNDS, default 3), including the worst cases: 64 random characters, and 64 characters drawn only from
 *   l33t characters; and that both give the same verdicts;
 * - what is refused: of 400 l33t spellings of common passwords, how many the library's defaults refuse and the
 *   production options let through; and, for the record, what judging only a prefix of long passwords would let
 *   through (not done: see docs/benchmarks.md);
 * - the event loop's delay (perf_hooks.monitorEventLoopDelay, 1 ms resolution) while a burst of checks runs through
 *   the pool, 64 waiting at a time (its queue limit), and, for contrast, the same checks run on the event loop.
 * Prints numbers and asserts nothing.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { hash } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEnglish from '@zxcvbn-ts/language-en';
import { loadAverage, machine } from './lib/load.js';
import { l33tSpellings, longGuessable, samplePasswords, seededRandom } from './lib/password-samples.js';
import { median } from './lib/median.js';

const compiled = process.env.BENCH_ENTRY === 'dist';
const strengthModule = compiled ? '../dist/modules/identity/password-strength.js' : '../src/modules/identity/password-strength.js';
const workerModule = compiled ? '../dist/modules/identity/password-strength.worker.js' : '../src/modules/identity/password-strength.worker.js';
const matchersModule = compiled ? '../dist/modules/identity/zxcvbn-l33t.js' : '../src/modules/identity/zxcvbn-l33t.js';
const { ThreadedStrengthEstimator } = (await import(strengthModule)) as typeof import('../src/modules/identity/password-strength.js');
const { l33tSpellingsFor, strengthOptions } = (await import(workerModule)) as typeof import('../src/modules/identity/password-strength.worker.js');
const { indexedDictionaryMatchers, indexedDictionaryMatchersWith } = (await import(matchersModule)) as typeof import('../src/modules/identity/zxcvbn-l33t.js');

const checks = Number(process.env.BENCH_CHECKS ?? 400);
const hashes = Number(process.env.BENCH_HASHES ?? 40);
const burst = Number(process.env.BENCH_BURST ?? 300);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const userInputs = ['spruce', 'alice_01', 'alice@example.com', 'alice'];

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

// Before and after, in this process: the library's own dictionary matchers (before: 30 l33t spellings for every
// password) against production's (the indexed ones, 100 spellings up to 24 characters and 30 past that).
const dictionaryOptions = { translations: zxcvbnEnglish.translations, graphs: zxcvbnCommon.adjacencyGraphs, dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEnglish.dictionary } };
const libraryMatchers = new ZxcvbnFactory({ ...dictionaryOptions, ...strengthOptions });
const indexedMatchers = new ZxcvbnFactory({ ...dictionaryOptions, ...strengthOptions }, indexedDictionaryMatchersWith(l33tSpellingsFor));
const worstRandom = seededRandom(64);
const drawn = (alphabet: string) => Array.from({ length: 64 }, () => alphabet[Math.floor(worstRandom() * alphabet.length)]).join('');
const base64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const printable = Array.from({ length: 94 }, (_, k) => String.fromCharCode(33 + k)).join('');
const samples = [
  ['common, seed and passphrase passwords', typical.slice(0, 100)],
  ['random 10 to 64 characters', random.slice(0, 60)],
  ['l33t spellings of common passwords', l33tSpellings().slice(0, 100)],
  ['worst: 64 random base64url characters', Array.from({ length: 20 }, () => drawn(base64url))],
  ['worst: 64 random printable ASCII characters', Array.from({ length: 20 }, () => drawn(printable))],
  ['worst: 24 random printable ASCII characters (the most spellings)', Array.from({ length: 20 }, () => drawn(printable).slice(0, 24))],
  ['worst: 64 characters, all l33t ones (4@8(3691!|170$5+7%2<#{[)', Array.from({ length: 20 }, () => drawn('4@8(3691!|170$5+7%2<#{[)'))],
] as const;
const cpuPerCheck = (factory: ZxcvbnFactory, sample: readonly string[]) => {
  const before = cpuMs();
  for (const password of sample) factory.check(password, userInputs);
  return (cpuMs() - before) / sample.length;
};
console.log(`in-process CPU per check, before (zxcvbn's own matchers, ${JSON.stringify(strengthOptions)}) -> after (production's: indexed, 100 l33t spellings up to 24 characters); median of ${rounds} alternating rounds:`);
for (const [label, sample] of samples) {
  cpuPerCheck(libraryMatchers, sample.slice(0, 5));
  cpuPerCheck(indexedMatchers, sample.slice(0, 5));
  const library: number[] = [];
  const indexed: number[] = [];
  for (let round = 0; round < rounds; round++) {
    library.push(cpuPerCheck(libraryMatchers, sample));
    indexed.push(cpuPerCheck(indexedMatchers, sample));
  }
  const verdicts = sample.map((password) => [libraryMatchers.check(password, userInputs).score >= 3, indexedMatchers.check(password, userInputs).score >= 3]);
  const nowRefused = verdicts.filter(([before, after]) => before && !after).length;
  const nowAccepted = verdicts.filter(([before, after]) => !before && after).length;
  console.log(`  ${label} (${sample.length}): ${ms(median(library))} -> ${ms(median(indexed))} (${(median(library) / median(indexed)).toFixed(1)}x less), ${(median(indexed) / argon.cpuPerOp).toFixed(2)}x a hash's CPU; accepted before and refused after: ${nowRefused}, the reverse: ${nowAccepted}`);
}

// What is refused.
const defaults = new ZxcvbnFactory(dictionaryOptions, indexedDictionaryMatchers);
const spellings = l33tSpellings();
const refusedByDefaults = spellings.filter((password) => defaults.check(password, userInputs).score < 3);
const letThrough = refusedByDefaults.filter((password) => indexedMatchers.check(password, userInputs).score >= 3);
const letThroughBefore = refusedByDefaults.filter((password) => libraryMatchers.check(password, userInputs).score >= 3);
console.log(`l33t spellings: ${spellings.length}; refused with the library's defaults (l33tMaxSubstitutions 100): ${refusedByDefaults.length}; of those, accepted before (30 spellings): ${letThroughBefore.length} (${letThroughBefore.join(' ')}); accepted after: ${letThrough.length}`);
const long = longGuessable();
const longRefused = long.filter((password) => indexedMatchers.check(password, userInputs).score < 3);
for (const prefix of [16, 20, 24]) {
  const passedByPrefix = longRefused.filter((password) => indexedMatchers.check(password.slice(0, prefix), userInputs).score === 4);
  console.log(`judging the first ${prefix} characters first (accepting on its score 4): of ${longRefused.length} long guessable passwords the whole check refuses, ${passedByPrefix.length} would pass (e.g. ${passedByPrefix.slice(0, 3).join(' ')})`);
}

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
