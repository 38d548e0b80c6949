/**
 * GET /api/feed/cleanings over 100,000 cleanings, the first page and a page 90,000 events deep, on Spruce and on
 * bare node:http running the same SQL (bench/baselines/bare-server.mjs), in alternating rounds:
 * `npx tsx bench/feed.ts [sqlite] [postgres]` (default both). Also prints the deep page's query plan; with
 * BENCH_PROFILE=1, where Spruce spent its time.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CompiledQuery, type Kysely } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import type { Database } from '../src/db/schema.js';
import { encodeCursor } from '../src/modules/feed/feed-cursor.js';
import { FeedRepository, type FeedPosition } from '../src/modules/feed/feed.repository.js';
import { summarizeProfile } from './lib/profile-summary.js';
import { alternate, formatRatio, load, loadAverage, machine } from './lib/load.js';
import { rounds, seconds, startBare, startSpruce, temporaryDirectory, userWithTodos, withPostgresDatabase } from './lib/spruce.js';

const cleaningCount = 100_000;
const ownerCount = 100;
const batchSize = 1_000;
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const pageSize = 20;
const dialects = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['sqlite', 'postgres'];

/** Owners, then cleanings: three created in each millisecond (ties for the cursor), every tenth changed later. */
async function seed(db: Kysely<Database>): Promise<void> {
  const base = Date.now() - cleaningCount * 1000;
  await db.transaction().execute(async (trx) => {
    const ownerIds = Array.from({ length: ownerCount }, () => randomUUID());
    const now = new Date();
    await trx
      .insertInto('users')
      .values(ownerIds.map((id, i) => ({ id, username: `owner_${i}`, hashed_password: 'x', created_at: now, updated_at: now })))
      .execute();
    for (let start = 0; start < cleaningCount; start += batchSize) {
      const rows = [];
      for (let i = start; i < Math.min(start + batchSize, cleaningCount); i++) {
        const created = new Date(base + Math.floor(i / 3) * 10);
        const updated = i % 10 === 0 ? new Date(created.getTime() + 5_000) : created;
        rows.push({
          owner_id: ownerIds[i % ownerCount]!,
          name: `Cleaning ${i}`,
          description: 'A benchmark job',
          price_cents: 1_000 + (i % 50_000),
          cleaning_type: (['dust_up', 'spot_clean', 'full_clean'] as const)[i % 3]!,
          created_at: created,
          updated_at: updated,
        });
      }
      await trx.insertInto('cleanings').values(rows).execute();
    }
  });
  // Fresh planner statistics, as autovacuum would gather after a bulk load.
  await db.executeQuery(CompiledQuery.raw('ANALYZE'));
}

interface Prepared {
  deepPosition: FeedPosition;
  queries: { first: CompiledQuery; deep: CompiledQuery };
  plan: string[];
}

/** Seeds the database through the app's own Kysely, then finds the deep cursor and the SQL of both pages. */
async function prepare(env: Record<string, string>, dialect: string): Promise<Prepared> {
  const app = await buildApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', MIGRATE_ON_START: 'true', ...env }));
  try {
    const { db } = app.context.database;
    const started = performance.now();
    await seed(db);
    console.log(`seeded ${cleaningCount} cleanings in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    const deep = await db
      .selectFrom('cleanings')
      .select(['id', 'created_at'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .offset(90_000)
      .limit(1)
      .executeTakeFirstOrThrow();
    const deepPosition = { timestamp: new Date(deep.created_at), id: deep.id };
    const repository = new FeedRepository(db);
    const queries = { first: repository.pageQuery(null, pageSize + 1).compile(), deep: repository.pageQuery(deepPosition, pageSize + 1).compile() };
    const explain = dialect === 'postgres' ? 'EXPLAIN ANALYZE ' : 'EXPLAIN QUERY PLAN ';
    const plan = await db.executeQuery(CompiledQuery.raw(explain + queries.deep.sql, [...queries.deep.parameters]));
    const lines = (plan.rows as Record<string, unknown>[]).map((row) =>
      dialect === 'postgres' ? String(row['QUERY PLAN']) : `${'  '.repeat(Number(row.parent) === 0 ? 0 : 1)}${String(row.detail)}`,
    );
    return { deepPosition, queries, plan: lines };
  } finally {
    await app.close();
  }
}

async function compare(dialect: string, env: Record<string, string>, bareDatabase: string, dataDir: string): Promise<string[]> {
  const prepared = await prepare(env, dialect);
  // BENCH_PROFILE=1 runs Spruce under --cpu-prof and prints where its time went.
  const profileDir = path.join(dataDir, 'profile');
  const spruce = await startSpruce(env, dataDir, process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  const lines: string[] = [];
  try {
    const user = await userWithTodos(spruce.url, `bench_${randomBytes(3).toString('hex')}`, 0);
    const headers = { authorization: `Bearer ${user.token}` };
    const pages = [
      { label: 'first page', query: prepared.queries.first, path: `/api/feed/cleanings?page_chunk_size=${pageSize}` },
      {
        label: 'page 90,000 events deep',
        query: prepared.queries.deep,
        path: `/api/feed/cleanings?page_chunk_size=${pageSize}&cursor=${encodeCursor(prepared.deepPosition)}`,
      },
    ];
    for (const page of pages) {
      const bare = await startBare(bareDatabase, page.query.sql, [...page.query.parameters], null);
      try {
        const check = await fetch(`${spruce.url}${page.path}`, { headers });
        const body = (await check.json()) as unknown[];
        if (check.status !== 200 || body.length !== pageSize) throw new Error(`${page.label}: ${check.status} ${JSON.stringify(body).slice(0, 200)}`);
        const spruceTarget = { url: `${spruce.url}${page.path}`, connections, seconds, headers };
        const bareTarget = { url: `${bare.url}/`, connections, seconds };
        await load({ ...spruceTarget, seconds: 3 });
        await load({ ...bareTarget, seconds: 3 });
        console.log(`feed ${page.label} on ${dialect} (load average ${loadAverage()})`);
        const [s, b] = await alternate(
          [
            { name: 'spruce', options: spruceTarget, pid: spruce.pid },
            { name: 'bare', options: bareTarget, pid: bare.pid },
          ],
          rounds,
        );
        lines.push(formatRatio(`feed ${page.label}, ${dialect}, ${connections} conns`, s!, b!));
      } finally {
        await bare.stop();
      }
    }
  } finally {
    await spruce.stop();
  }
  if (process.env.BENCH_PROFILE) {
    for (const file of fs.readdirSync(profileDir)) console.log(summarizeProfile(path.join(profileDir, file)));
  }
  console.log(`\nquery plan of the deep page on ${dialect}:\n${prepared.plan.join('\n')}\n`);
  return lines;
}

const summary: string[] = [];
for (const dialect of dialects) {
  const dataDir = temporaryDirectory();
  try {
    if (dialect === 'sqlite') {
      summary.push(...(await compare('sqlite', { DATA_DIR: dataDir }, path.join(dataDir, 'spruce.db'), dataDir)));
    } else {
      summary.push(
        ...(await withPostgresDatabase((url) => compare('postgres', { DATA_DIR: dataDir, DATABASE_URL: url, MIGRATE_ON_START: 'true' }, url, dataDir))),
      );
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
console.log(`\n${machine()}; ${rounds} rounds of ${seconds} s; load average now ${loadAverage()}`);
for (const line of summary) console.log(line);
