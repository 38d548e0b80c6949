/**
 * GET /todos (a user with 20 todos) on Spruce and on bare node:http running the same query, in alternating
 * rounds: `npx tsx bench/todos.ts [sqlite] [postgres]` (default both). SQLite is the embedded default as
 * `npm start` runs it; PostgreSQL runs with Redis, as production does.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { alternate, formatRatio, load, loadAverage, machine } from './lib/load.js';
import { entry, redisUrl, rounds, seconds, startBare, startSpruce, temporaryDirectory, todoListSql, userWithTodos, withPostgresDatabase } from './lib/spruce.js';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const dialects = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['sqlite', 'postgres'];
const beforeRoot = process.env.BENCH_BEFORE;
/**
 * BENCH_BARE_UNNAMED=1 adds, on PostgreSQL, the bare server sending the query unnamed (PostgreSQL parses and plans
 * it on every call, as `pool.query(text, values)` does): a baseline where the database, not Node, is the limit.
 */
const bareUnnamed = process.env.BENCH_BARE_UNNAMED === '1';

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
    const startBareTodos = (env: Record<string, string> = {}) => startBare(bareDatabase(dataDir), todoListSql(placeholder), [user.userId], 'todos', env);
    const bare = await startBareTodos();
    const unnamed = bareUnnamed && dialect === 'postgres' ? await startBareTodos({ BARE_NAMED: '0' }) : null;
    try {
      const spruceTarget = { url: `${spruce.url}/todos`, connections, seconds, headers: { authorization: `Bearer ${user.token}` } };
      const bareTarget = { url: `${bare.url}/`, connections, seconds };
      // Warm-up: JIT, statement caches, connection pools.
      await load({ ...spruceTarget, seconds: 3 });
      await load({ ...bareTarget, seconds: 3 });
      const unnamedTarget = unnamed === null ? null : { url: `${unnamed.url}/`, connections, seconds };
      if (unnamedTarget !== null) await load({ ...unnamedTarget, seconds: 3 });
      console.log(`${label} (load average ${loadAverage()})`);
      // BENCH_BEFORE=<another checkout> measures that version too (on SQLite), in the same alternating rounds.
      // Its own data folder (and database): an older version refuses a database migrated by a newer one.
      const beforeDataDir = temporaryDirectory();
      const before = beforeRoot === undefined || dialect !== 'sqlite' ? null : await startSpruce({ DATA_DIR: beforeDataDir, ...env }, beforeDataDir, [], beforeRoot);
      try {
        const beforeUser = before === null ? null : await userWithTodos(before.url, user.username, 20);
        const beforeTarget = before === null ? null : { ...spruceTarget, url: `${before.url}/todos`, headers: { authorization: `Bearer ${beforeUser!.token}` } };
        if (beforeTarget !== null) await load({ ...beforeTarget, seconds: 3 });
        const [s, b, ...others] = await alternate(
          [
            { name: 'spruce', options: spruceTarget, pid: spruce.pid },
            { name: 'bare', options: bareTarget, pid: bare.pid },
            ...(before === null ? [] : [{ name: 'spruce before', options: beforeTarget!, pid: before.pid }]),
            ...(unnamed === null ? [] : [{ name: 'bare, unnamed statement', options: unnamedTarget!, pid: unnamed.pid }]),
          ],
          rounds,
        );
        const lines = [formatRatio(`${label}, ${connections} conns`, s!, b!)];
        const old = before === null ? undefined : others.shift();
        if (old !== undefined) lines.push(formatRatio(`  before (${beforeRoot}), ${connections} conns`, old, b!));
        const againstUnnamed = others.shift();
        if (againstUnnamed !== undefined) lines.push(formatRatio(`  against the bare server's unnamed statement, ${connections} conns`, s!, againstUnnamed));
        return lines.join('\n');
      } finally {
        await before?.stop();
      }
    } finally {
      await bare.stop();
      await unnamed?.stop();
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
      await withPostgresDatabase((url) =>
        compare(
          `GET /todos, PostgreSQL + Redis (${entry})`,
          'postgres',
          { DATABASE_URL: url, MIGRATE_ON_START: 'true', REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `bench-${randomBytes(3).toString('hex')}:` },
          () => url,
          '$1',
        ),
      ),
    );
  }
}
console.log(`\n${machine()}; ${rounds} rounds of ${seconds} s; load average now ${loadAverage()}`);
for (const line of summary) console.log(line);
