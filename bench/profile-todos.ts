/**
 * CPU profile of Spruce serving GET /todos on the embedded default: `npx tsx bench/profile-todos.ts`.
 * Starts Spruce with `--cpu-prof`, drives GET /todos for BENCH_SECONDS (default 10) and prints where the time
 * went: self time by package or source file, then the heaviest functions. The .cpuprofile is kept (path printed)
 * for Chrome DevTools or speedscope.
 */
import fs from 'node:fs';
import path from 'node:path';
import { load, formatResult } from './lib/load.js';
import { summarizeProfile } from './lib/profile-summary.js';
import { startSpruce, temporaryDirectory, userWithTodos } from './lib/spruce.js';

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
console.log(summarizeProfile(file));
console.log(`\nprofile: ${file}`);
