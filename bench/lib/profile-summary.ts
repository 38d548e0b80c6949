/** Self time of a V8 .cpuprofile by package (or source file) and by function: `npx tsx bench/lib/profile-summary.ts FILE`. */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** node_modules/<package>, src/<file>, node:<internal>, or the V8 pseudo-frames ((garbage collector), (program), …). */
function owner(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith('node:')) return url;
  const source = /\/((?:src|dist)\/.*)$/.exec(url);
  return source ? source[1]! : url;
}

export function summarizeProfile(file: string): string {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000));
  const total = [...selfMs.values()].reduce((a, b) => a + b, 0);

  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const who = owner(url, functionName);
    byOwner.set(who, (byOwner.get(who) ?? 0) + ms);
    const key = `${functionName || '(anonymous)'} ${who}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
  }
  // Inclusive: each sample goes to the outermost package on its stack, which for start-up is the dependency whose
  // loading (or set-up) that time belongs to.
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const byOutermostPackage = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    let outermost: string | undefined;
    for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)) {
      const url = byId.get(current)!.callFrame.url;
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
      if (match) outermost = match[1]!;
    }
    const key = outermost ?? '(not in a package)';
    byOutermostPackage.set(key, (byOutermostPackage.get(key) ?? 0) + ms);
  }
  // Inclusive by function: each sample counts once for every distinct function on its stack, which shows what a
  // hook or a log line costs with everything it calls (self time spreads that over many small functions).
  const byFunctionInclusive = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)) {
      const { functionName, url, lineNumber } = byId.get(current)!.callFrame;
      if (url === '') continue;
      const key = `${functionName || '(anonymous)'} ${owner(url, functionName)}:${lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      byFunctionInclusive.set(key, (byFunctionInclusive.get(key) ?? 0) + ms);
    }
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, ms]) => `  ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${name}`);
  return [
    `self time by package or file (${(total / 1000).toFixed(1)} s sampled):`,
    ...top(byOwner, 25),
    '',
    'heaviest functions (self time):',
    ...top(byFunction, 30),
    '',
    'time by the outermost package on the stack (inclusive):',
    ...top(byOutermostPackage, 20),
    '',
    'heaviest functions (inclusive: with what they call):',
    ...top(byFunctionInclusive, Number(process.env.BENCH_PROFILE_TOP ?? 60)),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(summarizeProfile(process.argv[2]!));
