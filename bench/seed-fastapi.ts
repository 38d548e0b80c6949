/**
 * GET /todos (a user with 20 todos, 50 connections) on Spruce and on the seed's FastAPI app, in alternating rounds:
 * `npx tsx bench/seed-fastapi.ts [postgres] [sqlite]` (default both). Issue 14 asks Spruce's PostgreSQL GET /todos
 * to stay at 15 times the seed's or more.
 *
 * The seed app is bench/baselines/seed-fastapi/: the Korean FastAPI tutorial's final code (FastAPI + sync
 * SQLAlchemy sessions, pyjwt HS256 behind HTTPBearer, bcrypt), run by Debian's /usr/bin/python3 with
 * `uvicorn main:app`, one process, on its own database. It runs twice: as the tutorial writes it (SQLAlchemy's
 * `echo=True`, every statement logged) and with that debugging echo off. Spruce runs on PostgreSQL + Redis as
 * bench/todos.ts runs it (on SQLite, embedded). Each server's log goes to a file.
 *
 * Results and how faithful the reconstruction is: docs/benchmarks.md, "Against the seed's FastAPI app";
 * bench/baselines/seed-fastapi/parts.py times the seed's parts in one thread.
 *
 * Skips (exit 0, saying which apt-get command to run) when /usr/bin/python3 (BENCH_SEED_PYTHON) cannot import the
 * libraries.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { alternate, formatCpu, load, loadAverage, machine, type Comparison } from './lib/load.js';
import { asServer, entry, json, redisUrl, rounds, seconds, startSpruce, temporaryDirectory, userWithTodos, withMigratedPostgresDatabase, withPostgresDatabase, type Server } from './lib/spruce.js';
import { freePort, spawnCommand, waitUntilServing } from '../test/helpers/processes.js';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const dialects = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['postgres', 'sqlite'];
for (const dialect of dialects) {
  if (dialect !== 'postgres' && dialect !== 'sqlite') throw new Error(`unknown dialect ${dialect}; choose postgres or sqlite`);
}
/** Debian's python3, where apt-get puts the libraries (the pyenv python3 on PATH has none of them). */
const python = process.env.BENCH_SEED_PYTHON ?? '/usr/bin/python3';
const seedDirectory = 'bench/baselines/seed-fastapi';
const todoCount = 20;

const libraries = 'import fastapi, uvicorn, sqlalchemy, psycopg2, jwt, bcrypt, pydantic';
const probe = spawnSync(python, ['-c', `${libraries}; print(fastapi.__version__, uvicorn.__version__, sqlalchemy.__version__, pydantic.VERSION, psycopg2.__version__.split()[0], jwt.__version__, bcrypt.__version__)`], {
  encoding: 'utf8',
});
if (probe.status !== 0) {
  console.log(
    `bench/seed-fastapi.ts skipped: ${python} cannot import FastAPI, uvicorn, SQLAlchemy, psycopg2, PyJWT, bcrypt and pydantic ` +
      `(${(probe.error?.message ?? probe.stderr.trim().split('\n').pop() ?? '').trim()}). Install them with:\n` +
      '  apt-get install -y python3-fastapi python3-uvicorn python3-sqlalchemy python3-psycopg2 python3-jwt python3-bcrypt python3-pydantic',
  );
  process.exit(0);
}
const [fastapiVersion, uvicornVersion, sqlalchemyVersion, pydanticVersion, psycopg2Version, jwtVersion, bcryptVersion] = probe.stdout.trim().split(' ');
const pythonVersion = spawnSync(python, ['--version'], { encoding: 'utf8' }).stdout.trim();
// uvicorn takes uvloop and httptools when they are installed (`uvicorn[standard]`), asyncio and h11 otherwise.
const uvicornExtras = spawnSync(python, ['-c', "import importlib.util as u; print(' '.join(m for m in ('uvloop', 'httptools') if u.find_spec(m)) or 'none')"], {
  encoding: 'utf8',
}).stdout.trim();

/** The seed app's environment: its database, a random JWT secret (the tutorial's is a literal) and the SQL echo. */
function seedEnv(databaseUrl: string, secret: string, echo: boolean): Record<string, string> {
  return { SEED_DATABASE_URL: databaseUrl, SEED_JWT_SECRET: secret, SEED_ECHO: echo ? '1' : '0' };
}

async function startSeed(env: Record<string, string>, logDirectory: string): Promise<Server> {
  const port = await freePort();
  const logFile = path.join(logDirectory, `seed-${randomBytes(3).toString('hex')}.log`);
  // `uvicorn main:app` as the tutorial runs it, from its src folder (--app-dir), without the development --reload.
  const spawned = spawnCommand(python, ['-m', 'uvicorn', 'main:app', '--app-dir', seedDirectory, '--host', '127.0.0.1', '--port', String(port)], env, {
    logFile,
  });
  return asServer(await waitUntilServing(spawned, `http://127.0.0.1:${port}`, '/'));
}

/**
 * Signs up and logs in through the seed app's own routes, then gives the user its todos through the ORM (the seed's
 * POST /todos sets no owner; the tutorial set user_id with SQL). Returns the access token.
 */
async function seedUserWithTodos(seed: Server, env: Record<string, string>, username: string, password: string): Promise<string> {
  await json(`${seed.url}/users/sign-up`, 'POST', { username, password });
  const { access_token: token } = await json(`${seed.url}/users/log-in`, 'POST', { username, password });
  execFileSync(python, ['setup_db.py', 'todos', username, String(todoCount)], { cwd: seedDirectory, env: { PATH: process.env.PATH ?? '', ...env } });
  return token as string;
}

/** Both answer the same list before anything is timed. */
async function checkTodos(url: string, token: string, name: string): Promise<void> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { todos?: unknown[] };
  if (res.status !== 200 || body.todos?.length !== todoCount) throw new Error(`${name} GET /todos: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
}

function formatAgainstSeed(label: string, spruce: Comparison, seed: Comparison): string {
  return (
    `${label}: Spruce ${Math.round(spruce.medianRequestsPerSecond)} req/s (p99 ${spruce.medianP99Ms.toFixed(1)} ms), ` +
    `seed ${Math.round(seed.medianRequestsPerSecond)} req/s (p99 ${seed.medianP99Ms.toFixed(1)} ms): ` +
    `Spruce/seed ${(spruce.medianRequestsPerSecond / seed.medianRequestsPerSecond).toFixed(1)}x${formatCpu(spruce, seed, 1)}`
  );
}

async function compare(label: string, spruceEnv: Record<string, string>, seedDatabaseUrl: string): Promise<string[]> {
  const dataDir = temporaryDirectory();
  const password = 'bench-password-1';
  const username = `bench_${randomBytes(3).toString('hex')}`;
  const secret = randomBytes(32).toString('hex');
  const echoEnv = seedEnv(seedDatabaseUrl, secret, true);
  const quietEnv = seedEnv(seedDatabaseUrl, secret, false);
  execFileSync(python, ['setup_db.py', 'tables'], { cwd: seedDirectory, env: { PATH: process.env.PATH ?? '', ...quietEnv } });

  const spruce = await startSpruce({ DATA_DIR: dataDir, ...spruceEnv }, dataDir);
  const servers: Server[] = [spruce];
  try {
    const user = await userWithTodos(spruce.url, username, todoCount);
    const seed = await startSeed(echoEnv, dataDir);
    servers.push(seed);
    const seedQuiet = await startSeed(quietEnv, dataDir);
    servers.push(seedQuiet);
    const seedToken = await seedUserWithTodos(seedQuiet, quietEnv, username, password);

    const spruceTarget = { url: `${spruce.url}/todos`, connections, seconds, headers: { authorization: `Bearer ${user.token}` } };
    const seedTarget = { url: `${seed.url}/todos`, connections, seconds, headers: { authorization: `Bearer ${seedToken}` } };
    const seedQuietTarget = { ...seedTarget, url: `${seedQuiet.url}/todos` };
    await checkTodos(spruceTarget.url, user.token, 'Spruce');
    await checkTodos(seedTarget.url, seedToken, 'seed');
    await checkTodos(seedQuietTarget.url, seedToken, 'seed (echo off)');
    // Warm-up: JIT, statement caches, connection pools (SQLAlchemy's fills as the thread pool's threads ask).
    for (const target of [spruceTarget, seedTarget, seedQuietTarget]) await load({ ...target, seconds: 3 });

    console.log(`${label} (load average ${loadAverage()})`);
    const [s, seedEcho, seedNoEcho] = await alternate(
      [
        { name: 'spruce', options: spruceTarget, pid: spruce.pid },
        { name: 'seed (echo=True, as written)', options: seedTarget, pid: seed.pid },
        { name: 'seed (echo off)', options: seedQuietTarget, pid: seedQuiet.pid },
      ],
      rounds,
    );
    return [
      formatAgainstSeed(`${label}, ${connections} conns, seed as written (echo=True)`, s!, seedEcho!),
      formatAgainstSeed(`${label}, ${connections} conns, seed with echo off`, s!, seedNoEcho!),
    ];
  } finally {
    for (const server of servers.reverse()) await server.stop();
  }
}

console.log(
  `seed app: ${pythonVersion} (${python}), FastAPI ${fastapiVersion}, uvicorn ${uvicornVersion}, SQLAlchemy ${sqlalchemyVersion}, ` +
    `pydantic ${pydanticVersion}, psycopg2 ${psycopg2Version}, PyJWT ${jwtVersion}, bcrypt ${bcryptVersion}; uvloop/httptools installed: ${uvicornExtras}`,
);
const summary: string[] = [];
for (const dialect of dialects) {
  if (dialect === 'postgres') {
    const lines = await withMigratedPostgresDatabase((spruceUrl) =>
      withPostgresDatabase((seedUrl) =>
        compare(
          `GET /todos, PostgreSQL + Redis (${entry})`,
          { DATABASE_URL: spruceUrl, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `bench-${randomBytes(3).toString('hex')}:` },
          // SQLAlchemy names the driver in the scheme; the database is the fresh one withPostgresDatabase made.
          seedUrl.replace(/^postgres(ql)?:/, 'postgresql+psycopg2:'),
        ),
      ),
    );
    summary.push(...lines);
  } else {
    const seedDir = temporaryDirectory();
    summary.push(...(await compare(`GET /todos, embedded SQLite (${entry})`, {}, `sqlite:///${path.join(seedDir, 'seed.db')}`)));
  }
}
console.log(`\n${machine()}; ${rounds} rounds of ${seconds} s; load average now ${loadAverage()}`);
for (const line of summary) console.log(line);
