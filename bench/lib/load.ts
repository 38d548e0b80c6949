/**
 * Load generation and side-by-side measurement for the bench scripts. wrk (C, one thread) when it is on PATH,
 * since on a 2-core machine a JavaScript load generator takes much of the CPU it is trying to measure; autocannon
 * otherwise. Benchmarks print numbers and assert nothing.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { median } from './median.js';

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  body?: string;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Non-2xx answers, socket errors and timeouts together. */
  failures: number;
}

const hasWrk = (() => {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk --version exits 1 after printing its version; only a missing binary is ENOENT.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
})();

export const loadGenerator = hasWrk ? 'wrk -t1' : 'autocannon';

/** wrk's Lua hook: a summary line the parser below reads, with the exact counts wrk keeps. */
const wrkReport = `
done = function(summary, latency, requests)
  local failures = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("SPRUCE %d %f %f %f %d\\n", summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, failures))
end
`;

function wrkScript(options: LoadOptions): string {
  const method = options.method ?? 'GET';
  const body = options.body === undefined ? '' : `wrk.body = ${JSON.stringify(options.body)}\n`;
  return `wrk.method = "${method}"\n${body}${wrkReport}`;
}

async function runWrk(options: LoadOptions): Promise<LoadResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spruce-wrk-'));
  const script = path.join(dir, 'report.lua');
  fs.writeFileSync(script, wrkScript(options));
  const headerArgs = Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        'wrk',
        ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--timeout', '10s', '-s', script, ...headerArgs, options.url],
        { maxBuffer: 1 << 20 },
        (error, out) => (error ? reject(error) : resolve(out)),
      );
    });
    const line = stdout.split('\n').find((l) => l.startsWith('SPRUCE '));
    if (line === undefined) throw new Error(`wrk gave no summary:\n${stdout}`);
    const [, requests, rps, p50, p99, failures] = line.split(' ').map(Number) as number[];
    return { requests: requests!, requestsPerSecond: rps!, p50Ms: p50!, p99Ms: p99!, failures: failures! };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function runAutocannon(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    method: options.method ?? 'GET',
    headers: options.headers ?? {},
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

export function load(options: LoadOptions): Promise<LoadResult> {
  return hasWrk ? runWrk(options) : runAutocannon(options);
}

export interface Contender {
  name: string;
  options: LoadOptions;
  /** The server's process id: its CPU time per request is measured too (Linux). */
  pid?: number;
}

export interface Comparison {
  name: string;
  rounds: LoadResult[];
  medianRequestsPerSecond: number;
  medianP99Ms: number;
  /** Median server CPU time (user + system) per request, when the pid was given. */
  medianCpuMicrosPerRequest: number | null;
}

/** User + system CPU time of a process so far, in microseconds, from /proc/<pid>/stat (clock ticks of 10 ms). */
export function cpuMicros(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / clockTicksPerSecond;
}

/**
 * CPU time so far of each thread of a process (the main thread named `main`), in microseconds: what a server spends
 * beside its event loop (garbage collection helpers, worker threads) shows here, not in a CPU profile of the loop.
 */
export function threadCpuMicros(pid: number): Map<string, number> {
  const threads = new Map<string, number>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const name = tid === String(pid) ? 'main' : `${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}#${tid}`;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    threads.set(name, ((Number(fields[11]) + Number(fields[12])) * 1e6) / clockTicksPerSecond);
  }
  return threads;
}

const clockTicksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * Measures the contenders in alternating rounds (A B, B A, A B, …), so a neighbour's load on the shared machine
 * falls on both rather than on whichever ran at the wrong moment; reports medians.
 */
export async function alternate(contenders: Contender[], rounds: number): Promise<Comparison[]> {
  // BENCH_THREADS=1: also each server thread's share of the CPU per request.
  const showThreads = process.env.BENCH_THREADS === '1';
  const results = new Map<string, LoadResult[]>(contenders.map((c) => [c.name, []]));
  const cpuPerRequest = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) {
      const cpuBefore = contender.pid === undefined ? 0 : cpuMicros(contender.pid);
      const threadsBefore = contender.pid === undefined || !showThreads ? null : threadCpuMicros(contender.pid);
      const result = await load(contender.options);
      const cpu = contender.pid === undefined ? null : (cpuMicros(contender.pid) - cpuBefore) / result.requests;
      if (threadsBefore !== null) {
        const perThread = [...threadCpuMicros(contender.pid!)].map(([name, micros]) => [name, (micros - (threadsBefore.get(name) ?? 0)) / result.requests] as const);
        const busy = perThread.filter(([, micros]) => micros >= 0.5).sort((a, b) => b[1] - a[1]);
        console.log(`    cpu by thread (µs/req): ${busy.map(([name, micros]) => `${name} ${micros.toFixed(1)}`).join(', ')}`);
      }
      results.get(contender.name)!.push(result);
      if (cpu !== null) cpuPerRequest.get(contender.name)!.push(cpu);
      console.log(`  round ${round + 1} ${contender.name.padEnd(28)} ${formatResult(result)}${cpu === null ? '' : `  cpu ${cpu.toFixed(0)} µs/req`}`);
    }
  }
  return contenders.map((c) => {
    const list = results.get(c.name)!;
    const cpu = cpuPerRequest.get(c.name)!;
    return {
      name: c.name,
      rounds: list,
      medianRequestsPerSecond: median(list.map((r) => r.requestsPerSecond)),
      medianP99Ms: median(list.map((r) => r.p99Ms)),
      medianCpuMicrosPerRequest: cpu.length === 0 ? null : median(cpu),
    };
  });
}

export function formatResult(r: LoadResult): string {
  return `${Math.round(r.requestsPerSecond).toString().padStart(6)} req/s  p50 ${r.p50Ms.toFixed(1).padStart(5)} ms  p99 ${r.p99Ms.toFixed(1).padStart(5)} ms  failures ${r.failures}`;
}

/**
 * "Spruce / baseline" for throughput and p99, the way docs/benchmarks.md records them. `name` is what `spruce`
 * stands for in the line: Spruce, or another server measured against the same baseline.
 */
export function formatRatio(label: string, spruce: Comparison, baseline: Comparison, name = 'Spruce'): string {
  const ratio = spruce.medianRequestsPerSecond / baseline.medianRequestsPerSecond;
  const p99Ratio = spruce.medianP99Ms / baseline.medianP99Ms;
  return (
    `${label}: ${name} ${Math.round(spruce.medianRequestsPerSecond)} req/s (p99 ${spruce.medianP99Ms.toFixed(1)} ms), ` +
    `baseline ${Math.round(baseline.medianRequestsPerSecond)} req/s (p99 ${baseline.medianP99Ms.toFixed(1)} ms): ` +
    `ratio ${ratio.toFixed(2)}, p99 ratio ${p99Ratio.toFixed(2)}${formatCpu(spruce, baseline, 2)}`
  );
}

/**
 * `; server CPU <a> vs <b> µs/request, ratio <b/a>`, or nothing when either CPU time is unknown. CPU per request
 * does not depend on how much of the machine the neighbours took; throughput does.
 */
export function formatCpu(spruce: Comparison, other: Comparison, ratioDigits: number): string {
  if (spruce.medianCpuMicrosPerRequest === null || other.medianCpuMicrosPerRequest === null) return '';
  return (
    `; server CPU ${spruce.medianCpuMicrosPerRequest.toFixed(0)} vs ${other.medianCpuMicrosPerRequest.toFixed(0)} µs/request, ` +
    `ratio ${(other.medianCpuMicrosPerRequest / spruce.medianCpuMicrosPerRequest).toFixed(ratioDigits)}`
  );
}

export function loadAverage(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(', ');
}

export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load generator ${loadGenerator}`;
}
