/**
 * CPU profile of Spruce serving GET /todos on the embedded default: `npx tsx bench/profile-todos.ts`.
 * Starts Spruce with `--cpu-prof`, drives GET /todos for BENCH_SECONDS (default 10) and prints where the time
 * went: self time by package or source file, then the heaviest functions. The .cpuprofile is kept (path printed)
 * for Chrome DevTools or speedscope.
 */
import fs from 'node:fs';
import path from 'node:path';
import { load, formatResult } from './lib/load.js';
import { startSpruce, temporaryDirectory, userWithTodos } from './lib/spruce.js';

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

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const dataDir = temporaryDirectory();
const profileDir = path.join(dataDir, 'profile');
const spruce = await startSpruce({ DATA_DIR: dataDir, ...(process.env.LOG_LEVEL ? { LOG_LEVEL: process.env.LOG_LEVEL } : {}) }, dataDir, [
  '--cpu-prof',
  `--cpu-prof-dir=${profileDir}`,
]);
const user = await userWithTodos(spruce.url, 'profiled', 20);
const result = await load({ url: `${spruce.url}/todos`, connections: 50, seconds, headers: { authorization: `Bearer ${user.token}` } });
console.log(`GET /todos under the profiler: ${formatResult(result)}`);
await spruce.stop();

const file = fs.readdirSync(profileDir).map((name) => path.join(profileDir, name)).find((name) => name.endsWith('.cpuprofile'));
if (file === undefined) throw new Error('no profile written');
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMs = new Map<number, number>();
profile.samples.forEach((id, index) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000));
const total = [...selfMs.values()].reduce((a, b) => a + b, 0);

/** node_modules/<package>, src/<file>, node:<internal>, or the V8 pseudo-frames ((garbage collector), (program), …). */
function owner(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith('node:')) return url;
  const source = /\/(src\/.*)$/.exec(url);
  return source ? source[1]! : url;
}

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
const top = (map: Map<string, number>, n: number) =>
  [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, ms]) => `  ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${name}`);
console.log(`\nself time by package or file (${(total / 1000).toFixed(1)} s sampled):`);
console.log(top(byOwner, 25).join('\n'));
console.log('\nheaviest functions (self time):');
console.log(top(byFunction, 30).join('\n'));
console.log(`\nprofile: ${file}`);
