/**
 * Start-up time: from spawning a command to its first 200 on /health, on the embedded default, the median of
 * BENCH_STARTS (default 5) starts each: `npx tsx bench/startup.ts`. Measures `npm start` as the README says it,
 * `node dist/server.js` (the compiled entry point; built first if dist/ is missing), and a bare node:http
 * server for scale. Each command first starts once on its data folder (creating the database and running the
 * migrations, as a first start does) and is then measured on restarts. Also prints the CPU time the process
 * tree had used by its first 200: on a shared machine the wall time mostly measures the neighbours.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, spawnCommand } from '../test/helpers/processes.js';
import { cpuMicros, loadAverage, machine } from './lib/load.js';
import { temporaryDirectory } from './lib/spruce.js';
import { median } from './lib/median.js';

const starts = Number(process.env.BENCH_STARTS ?? 5);
const bareServer = "require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1')";

interface Command {
  label: string;
  command: string;
  args: string[];
  /** More environment for the server, given the run's data folder. */
  env?: (dataDir: string) => Record<string, string>;
}

const nodeMajor = Number(process.versions.node.split('.')[0]);

const commands: Command[] = [
  // The first start after a change to src/ also builds the bundle (the "first start" column); restarts reuse it.
  { label: 'npm start (cached bundle)', command: 'npm', args: ['start', '--silent'] },
  // What npm start ran before: src/ through tsx's loader (as npm run dev still does), and before that tsx's CLI.
  { label: 'node --import tsx src/server.ts', command: process.execPath, args: ['--import', 'tsx', 'src/server.ts'] },
  { label: 'npx tsx src/server.ts', command: 'npx', args: ['--no-install', 'tsx', 'src/server.ts'] },
  { label: 'node dist/server.js (compiled)', command: process.execPath, args: ['dist/server.js'] },
  // Node 22.1 and later keep V8's compiled code in NODE_COMPILE_CACHE, as the container image sets it: the first
  // start fills the folder, restarts read it. Node 20 has no such cache, so the row is left out there.
  ...(nodeMajor >= 22
    ? [{ label: 'the same, NODE_COMPILE_CACHE set', command: process.execPath, args: ['dist/server.js'], env: (dataDir: string) => ({ NODE_COMPILE_CACHE: path.join(dataDir, 'compile-cache') }) }]
    : []),
  { label: 'bare node:http (for scale)', command: process.execPath, args: ['-e', bareServer] },
];

/** Processes descending from `root` (npm runs tsx, which runs node), with `root` itself. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while being listed.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

/** CPU time the whole process tree has used, in ms: unlike wall time, hardly changed by a busy machine. */
function treeCpuMs(root: number): number {
  let micros = 0;
  for (const pid of processTree(root)) {
    try {
      micros += cpuMicros(pid);
    } catch {
      // Ended meanwhile.
    }
  }
  return micros / 1000;
}

/** Milliseconds from spawn to the first 200 on /health (polling every 5 ms), and the CPU ms spent by then. */
async function timeToFirstHealth(command: Command, dataDir: string): Promise<{ wall: number; cpu: number }> {
  const port = await freePort();
  const started = performance.now();
  const env = { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...command.env?.(dataDir) };
  const spawned = spawnCommand(command.command, command.args, env, {
    logFile: path.join(dataDir, 'start.log'),
  });
  let exited = false;
  void spawned.exited.then(() => (exited = true));
  try {
    for (;;) {
      if (exited) throw new Error(`${command.label} exited:\n${spawned.output()}`);
      if (performance.now() - started > 30_000) throw new Error(`${command.label} did not answer within 30 s`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status === 200, () => false);
      if (ok) return { wall: performance.now() - started, cpu: treeCpuMs(spawned.child.pid!) };
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    // npm and npx run the server as a grandchild and do not always pass the signal on: signal every process
    // of the tree, and wait until all have gone, so no server outlives its measurement.
    const tree = processTree(spawned.child.pid!);
    for (const pid of tree) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    await spawned.exited;
    while (tree.some((pid) => fs.existsSync(`/proc/${pid}`))) await new Promise((r) => setTimeout(r, 20));
  }
}

if (!fs.existsSync('dist/server.js')) execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });

const lines: string[] = [];
for (const command of commands) {
  const dataDir = temporaryDirectory();
  const first = await timeToFirstHealth(command, dataDir);
  const restarts: { wall: number; cpu: number }[] = [];
  for (let i = 0; i < starts; i++) restarts.push(await timeToFirstHealth(command, dataDir));
  const walls = restarts.map((r) => Math.round(r.wall));
  const line =
    `${command.label.padEnd(34)} first start ${Math.round(first.wall)} ms; restarts: median ${median(walls)} ms (${walls.join(', ')}), ` +
    `CPU by then: median ${Math.round(median(restarts.map((r) => r.cpu)))} ms`;
  console.log(`${line}   load ${loadAverage()}`);
  lines.push(line);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
console.log(`\n${machine()}; load average now ${loadAverage()}`);
for (const line of lines) console.log(line);
