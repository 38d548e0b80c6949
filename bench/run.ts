/**
 * `npm run bench`: every benchmark script in turn, each starting its own servers (Spruce and, where there is one,
 * the bare baseline) and printing its results; `npm run bench -- todos feed` runs some of them. Benchmarks print
 * numbers and assert nothing.
 *
 *   BENCH_SECONDS       length of each measured run (default 5)
 *   BENCH_ROUNDS        alternating rounds per comparison (default 3)
 *   BENCH_ENTRY=dist    measure the compiled entry point (run `npm run build` first) instead of npm start's bundle
 *   BENCH_ENTRY=tsx     measure src/ through tsx (as npm run dev runs it)
 *   BENCH_DATABASE_URL  admin URL of PostgreSQL (default postgres://postgres@127.0.0.1:5432/test)
 *   BENCH_REDIS_URL     Redis for the PostgreSQL legs (default redis://127.0.0.1:6379)
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`Usage: npm run bench [-- todos feed startup memory login refresh sid-check scale password-strength seed-fastapi timestamps]   (any subset; default: all)

Runs each benchmark script in bench/, each starting its own servers beside a bare baseline.
BENCH_SECONDS       length of each measured run (default 5)
BENCH_ROUNDS        alternating rounds per comparison (default 3)
BENCH_ENTRY=dist    measure the compiled entry point (run \`npm run build\` first)
BENCH_ENTRY=tsx     measure src/ through tsx (as npm run dev runs it); default: as npm start runs it
BENCH_DATABASE_URL  admin URL of PostgreSQL (default postgres://postgres@127.0.0.1:5432/test)
BENCH_REDIS_URL     Redis for the PostgreSQL legs (default redis://127.0.0.1:6379)`);
  process.exit(0);
}

const scripts = ['todos', 'feed', 'startup', 'memory', 'login', 'refresh', 'sid-check', 'scale', 'password-strength', 'seed-fastapi', 'timestamps'];
const selected = process.argv.slice(2).length > 0 ? process.argv.slice(2) : scripts;
for (const name of selected) {
  if (!scripts.includes(name)) throw new Error(`unknown benchmark ${name}; choose from ${scripts.join(', ')}`);
}

for (const name of selected) {
  console.log(`\n=== bench/${name}.ts (load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}) ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], { stdio: 'inherit' });
  if (result.status !== 0) process.exitCode = 1;
}
