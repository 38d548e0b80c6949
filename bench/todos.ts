/**
 * GET /todos (a user with 20 todos) on Spruce and on bare node:http running the same query, in alternating
 * rounds: `npx tsx bench/todos.ts [sqlite] [postgres]` (default both). SQLite is the embedded default as
 * `npm start` runs it; PostgreSQL runs with Redis, as production does.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { alternate, formatRatio, load, loadAverage, machine, type Comparison } from './lib/load.js';
import {
  entry,
  headerLinesOf,
  redisUrl,
  rounds,
  seconds,
  startBare,
  startSpruce,
  temporaryDirectory,
  todoListSql,
  userWithTodos,
  withMigratedPostgresDatabase,
  type Server,
} from './lib/spruce.js';

/** A server measured beside Spruce and the bare server, and the line that reports it. */
interface Other {
  name: string;
  server: Server;
  report: (result: Comparison, spruce: Comparison, bare: Comparison) => string;
}

const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const dialects = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['sqlite', 'postgres'];
const beforeRoot = process.env.BENCH_BEFORE;
/**
 * BENCH_BARE_UNNAMED=1 adds, on PostgreSQL, the bare server sending the query unnamed (PostgreSQL parses and plans
 * it on every call, as `pool.query(text, values)` does): a baseline where the database, not Node, is the limit.
 */
const bareUnnamed = process.env.BENCH_BARE_UNNAMED === '1';
/**
 * BENCH_FASTIFY=1 adds the bare server's query served through Fastify with nothing but the route, once without
 * logging and once with Fastify's own request logging at info: how much of Spruce's cost is the framework, and how
 * much a request log line costs on this machine.
 */
const fastifyAlone = process.env.BENCH_FASTIFY === '1';
/**
 * BENCH_BARE_HEADERS=1 adds the bare server sending, besides its two, the header lines Spruce sent on one GET /todos
 * (security headers, rate limit, request id): what writing those lines costs node:http itself, which Spruce pays
 * for protections the issue keeps.
 */
const bareWithHeaders = process.env.BENCH_BARE_HEADERS === '1';

async function compare(
  label: string,
  dialect: string,
  env: Record<string, string>,
  bareDatabase: (dataDir: string) => string,
  placeholder: string,
): Promise<string> {
  const dataDir = temporaryDirectory();
  const spruce = await startSpruce({ DATA_DIR: dataDir, ...env }, dataDir);
  try {
    const user = await userWithTodos(spruce.url, `bench_${randomBytes(3).toString('hex')}`, 20);
    const startBareTodos = (env: Record<string, string> = {}, logDirectory?: string) =>
      startBare(bareDatabase(dataDir), todoListSql(placeholder), [user.userId], 'todos', env, logDirectory);
    const bare = await startBareTodos();
    const unnamed = bareUnnamed && dialect === 'postgres' ? await startBareTodos({ BARE_NAMED: '0' }) : null;
    const spruceHeaderLines = bareWithHeaders ? await headerLinesOf(`${spruce.url}/todos`, { authorization: `Bearer ${user.token}` }) : null;
    const withHeaders = spruceHeaderLines === null ? null : await startBareTodos({ BARE_HEADERS: JSON.stringify(spruceHeaderLines) });
    const fastify = fastifyAlone ? await startBareTodos({ BARE_FRAMEWORK: 'fastify' }) : null;
    const fastifyLogging = fastifyAlone ? await startBareTodos({ BARE_FRAMEWORK: 'fastify', BARE_LOG: 'info' }, dataDir) : null;
    try {
      const spruceTarget = { url: `${spruce.url}/todos`, connections, seconds, headers: { authorization: `Bearer ${user.token}` } };
      const targetOf = (server: Server) => ({ url: `${server.url}/`, connections, seconds });
      const bareTarget = targetOf(bare);
      // Warm-up: JIT, statement caches, connection pools.
      await load({ ...spruceTarget, seconds: 3 });
      await load({ ...bareTarget, seconds: 3 });
      // The other servers in the rounds, each with the line that reports it.
      const others: Other[] = [];
      if (unnamed !== null) {
        const lineLabel = `  against the bare server's unnamed statement, ${connections} conns`;
        others.push({ name: 'bare, unnamed statement', server: unnamed, report: (result, s) => formatRatio(lineLabel, s, result) });
      }
      if (withHeaders !== null) {
        const name = `bare, Spruce's ${Object.keys(spruceHeaderLines!).length} header lines`;
        others.push({
          name,
          server: withHeaders,
          report: (result, s, b) =>
            [formatRatio(`  the same query, ${connections} conns`, result, b, name), formatRatio(`  against ${name}, ${connections} conns`, s, result)].join('\n'),
        });
      }
      // The framework's own figures, against the bare server: what is left to Spruce is the gap between them.
      for (const [name, server] of [['Fastify alone', fastify], ['Fastify alone, logging at info', fastifyLogging]] as const) {
        if (server !== null) others.push({ name, server, report: (result, _s, b) => formatRatio(`  the same query, ${connections} conns`, result, b, name) });
      }
      for (const other of others) await load({ ...targetOf(other.server), seconds: 3 });
      console.log(`${label} (load average ${loadAverage()})`);
      // BENCH_BEFORE=<another checkout> measures that version too (on SQLite), in the same alternating rounds.
      // Its own data folder (and database): an older version refuses a database migrated by a newer one.
      const beforeDataDir = temporaryDirectory();
      const before = beforeRoot === undefined || dialect !== 'sqlite' ? null : await startSpruce({ DATA_DIR: beforeDataDir, ...env }, beforeDataDir, [], beforeRoot);
      try {
        const beforeUser = before === null ? null : await userWithTodos(before.url, user.username, 20);
        const beforeTarget = before === null ? null : { ...spruceTarget, url: `${before.url}/todos`, headers: { authorization: `Bearer ${beforeUser!.token}` } };
        if (beforeTarget !== null) await load({ ...beforeTarget, seconds: 3 });
        const measured = [
          ...(before === null
            ? []
            : [
                {
                  contender: { name: 'spruce before', options: beforeTarget!, pid: before.pid },
                  report: (result: Comparison, _s: Comparison, b: Comparison) => formatRatio(`  before (${beforeRoot}), ${connections} conns`, result, b),
                },
              ]),
          ...others.map(({ name, server, report }) => ({ contender: { name, options: targetOf(server), pid: server.pid }, report })),
        ];
        const [s, b, ...results] = await alternate(
          [{ name: 'spruce', options: spruceTarget, pid: spruce.pid }, { name: 'bare', options: bareTarget, pid: bare.pid }, ...measured.map((m) => m.contender)],
          rounds,
        );
        return [formatRatio(`${label}, ${connections} conns`, s!, b!), ...results.map((result, index) => measured[index]!.report(result, s!, b!))].join('\n');
      } finally {
        await before?.stop();
      }
    } finally {
      await bare.stop();
      await unnamed?.stop();
      await withHeaders?.stop();
      await fastify?.stop();
      await fastifyLogging?.stop();
    }
  } finally {
    await spruce.stop();
  }
}

const summary: string[] = [];
for (const dialect of dialects) {
  if (dialect === 'sqlite') {
    summary.push(await compare(`GET /todos, embedded SQLite (${entry})`, 'sqlite', {}, (dataDir) => path.join(dataDir, 'spruce.db'), '?'));
  } else {
    summary.push(
      await withMigratedPostgresDatabase((url) =>
        compare(
          `GET /todos, PostgreSQL + Redis (${entry})`,
          'postgres',
          { DATABASE_URL: url, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `bench-${randomBytes(3).toString('hex')}:` },
          () => url,
          '$1',
        ),
      ),
    );
  }
}
console.log(`\n${machine()}; ${rounds} rounds of ${seconds} s; load average now ${loadAverage()}`);
for (const line of summary) console.log(line);
