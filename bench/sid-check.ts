/**
 * What the session check costs GET /todos: the same request (a user with 20 todos, embedded SQLite) with an
 * access token that carries a session (`sid`, as every log-in gives) and with one that does not (a sessionless
 * token, UsersService.issueAccessToken), so the only difference is Authenticator.isSessionLive. In process,
 * through app.inject, with request logging off: no socket or log work in the denominator, so the share found is
 * an upper bound of what a real request pays.
 *
 *   npx tsx bench/sid-check.ts
 *       CPU time per request of each kind, in alternating rounds in one process (BENCH_ROUNDS, default 7).
 *   npx tsx bench/sid-check.ts --instructions
 *       instructions per request of each kind, counted by valgrind's callgrind: one process per kind (so neither
 *       kind's code shapes the other's JIT state), run side by side. Each process warms up, then asks callgrind
 *       (callgrind_control) to dump its counters before and after each phase of requests, so start-up and warm-up
 *       are left out, and reads the dumps back. Instruction counts do not depend on what else the machine does.
 *       Takes about 15 minutes: valgrind runs Node some 50 times slower.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { temporaryDirectory } from './lib/spruce.js';
import { median } from './lib/median.js';

type Kind = 'session' | 'sessionless';
const kinds: Kind[] = ['session', 'sessionless'];

const { values } = parseArgs({
  options: {
    instructions: { type: 'boolean' },
    callgrind: { type: 'string' },
    token: { type: 'string' },
    warmup: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('Usage: npx tsx bench/sid-check.ts [--instructions] [--warmup N]   (BENCH_ROUNDS: phases per kind)');
  process.exit(0);
}
const warmup = Number(values.warmup ?? 1500);
const rounds = Number(process.env.BENCH_ROUNDS ?? (values.instructions || values.callgrind !== undefined ? 6 : 7));

function report(unit: string, perRequest: Record<Kind, number[]>, digits: number): void {
  const withSid = median(perRequest.session);
  const without = median(perRequest.sessionless);
  console.log(`with sid ${withSid.toFixed(digits)} ${unit}/request, without ${without.toFixed(digits)}: the check costs ${(((withSid - without) / without) * 100).toFixed(2)}%`);
  console.log(`phases with sid: ${perRequest.session.map((m) => m.toFixed(digits)).join(' ')}; without: ${perRequest.sessionless.map((m) => m.toFixed(digits)).join(' ')}`);
}

if (values.instructions) {
  // The driver: one valgrind'ed process per kind, side by side; each prints its per-phase counts as JSON.
  const directory = temporaryDirectory();
  const results = await Promise.all(
    kinds.map(
      (kind) =>
        new Promise<number[]>((resolve, reject) => {
          const out = path.join(directory, `${kind}.out`);
          const child = spawn(
            'valgrind',
            ['--tool=callgrind', `--callgrind-out-file=${out}`, process.execPath, '--single-threaded', '--expose-gc', '--import', 'tsx', 'bench/sid-check.ts', '--callgrind', out, '--token', kind, '--warmup', String(warmup)],
            { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, BENCH_ROUNDS: String(rounds) } },
          );
          let stdout = '';
          child.stdout.on('data', (chunk) => (stdout += chunk));
          child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout.trim().split('\n').at(-1)!)) : reject(new Error(`${kind}: valgrind exited ${code}\n${stdout}`))));
        }),
    ),
  );
  console.log(`GET /todos in process, callgrind instructions, ${rounds} phases of 1000 requests per kind, one process per kind:`);
  report('instructions', { session: results[0]!, sessionless: results[1]! }, 0);
  process.exit(0);
}

// Tokens that outlive a run under valgrind (tens of minutes); everything else as configured by default.
const settings = { DATA_DIR: temporaryDirectory(), LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '10000000', MIGRATE_ON_START: 'true', ACCESS_TOKEN_EXPIRE_SECONDS: '86400' };
const app = await buildApp(loadConfig(settings));
const { usersRepository, users, sessions, todos } = app.context;
// Written straight through the repository: a password hash under valgrind would take minutes and is not measured.
const user = await usersRepository.transaction((trx) =>
  usersRepository.insert({ id: randomUUID(), username: `bench_${randomUUID().slice(0, 8)}`, hashed_password: 'not-a-hash' }, trx),
);
for (let i = 0; i < 20; i++) await todos.create(user.id, `todo number ${i}`, i % 2 === 0);
const tokens = {
  session: (await sessions.start(user.id, { ip: '127.0.0.1' }, null)).accessToken,
  sessionless: users.issueAccessToken(user),
};

async function run(kind: Kind, count: number): Promise<void> {
  const headers = { authorization: `Bearer ${tokens[kind]}` };
  for (let i = 0; i < count; i++) {
    const res = await app.inject({ method: 'GET', url: '/todos', headers });
    if (res.statusCode !== 200) throw new Error(`GET /todos with the ${kind} token: ${res.statusCode} ${res.body}`);
  }
}

if (values.callgrind === undefined) {
  // CPU time: both kinds in one process, alternating (A B, B A, ...), so the machine's other work falls on both.
  await run('session', warmup);
  await run('sessionless', warmup);
  // First the check alone: Authenticator.authenticate with each token, the part of a request the check is in.
  const { authenticator } = app.context;
  const calls = 200_000;
  const authenticateMicros: Record<Kind, number[]> = { session: [], sessionless: [] };
  for (let round = 0; round < rounds; round++) {
    for (const kind of round % 2 === 0 ? kinds : [...kinds].reverse()) {
      const before = process.cpuUsage();
      for (let i = 0; i < calls; i++) if ((await authenticator.authenticate(tokens[kind])) === null) throw new Error(`${kind} token refused`);
      const used = process.cpuUsage(before);
      authenticateMicros[kind].push((used.user + used.system) / calls);
    }
  }
  console.log(`Authenticator.authenticate alone, CPU time, ${rounds} rounds of ${calls} calls each:`);
  report('µs', authenticateMicros, 3);
  const perRound = 3000;
  const micros: Record<Kind, number[]> = { session: [], sessionless: [] };
  for (let round = 0; round < rounds; round++) {
    for (const kind of round % 2 === 0 ? kinds : [...kinds].reverse()) {
      const before = process.cpuUsage();
      await run(kind, perRound);
      const used = process.cpuUsage(before);
      micros[kind].push((used.user + used.system) / perRound);
    }
  }
  console.log(`GET /todos in process, CPU time, ${rounds} rounds of ${perRound} requests each:`);
  report('µs', micros, 1);
} else {
  // Under callgrind, one kind (see the driver above). Each phase is bracketed by two dumps; the second holds the
  // phase's instructions and one dump request's, which an empty phase measures and which is subtracted.
  const kind = values.token as Kind;
  if (!kinds.includes(kind)) throw new Error('--token is session or sessionless');
  const outFile = values.callgrind;
  const mark = async (label: string) => {
    const child = spawn('callgrind_control', [`--dump=${label}`, String(process.pid)], { stdio: 'ignore' });
    let exited = false;
    child.on('exit', () => (exited = true));
    // Callgrind takes the request while this process runs code, so it wakes often until the dump is written.
    while (!exited) await sleep(5);
  };
  await run(kind, warmup);
  const perPhase = 1000;
  for (let round = 0; round < rounds; round++) {
    // Every phase starts from a collected heap, so a full collection left over from the one before (hundreds of
    // millions of instructions) does not land in it.
    (globalThis as { gc?: () => void }).gc?.();
    await mark('between');
    await mark('empty');
    await mark('between');
    await run(kind, perPhase);
    await mark('phase');
  }
  const dumps = fs
    .readdirSync(path.dirname(outFile))
    .filter((name) => name.startsWith(`${path.basename(outFile)}.`))
    .map((name) => fs.readFileSync(path.join(path.dirname(outFile), name), 'utf8'))
    .map((text) => ({ label: /^desc: Trigger: dump (\S+)$/m.exec(text)?.[1], instructions: Number(/^totals: (\d+)/m.exec(text)?.[1]) }));
  const overhead = median(dumps.filter((dump) => dump.label === 'empty').map((dump) => dump.instructions));
  console.log(JSON.stringify(dumps.filter((dump) => dump.label === 'phase').map((dump) => (dump.instructions - overhead) / perPhase)));
}
await app.close();
