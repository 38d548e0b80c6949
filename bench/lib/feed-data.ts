/** The feed bench's data: 100,000 cleanings by 100 owners, and the SQL and paths of its two pages. */
import { randomUUID } from 'node:crypto';
import { CompiledQuery, type Kysely } from 'kysely';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import type { Database } from '../../src/db/schema.js';
import { encodeCursor } from '../../src/modules/feed/feed-cursor.js';
import { FeedRepository, type FeedPosition } from '../../src/modules/feed/feed.repository.js';

export const cleaningCount = 100_000;
const ownerCount = 100;
const batchSize = 1_000;
export const pageSize = 20;

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

export interface Prepared {
  deepPosition: FeedPosition;
  queries: { first: CompiledQuery; deep: CompiledQuery };
  plan: string[];
  /** Spruce's paths of the first and the deep page. */
  paths: { first: string; deep: string };
}

/** Seeds the database through the app's own Kysely, then finds the deep cursor and the SQL of both pages. */
export async function prepare(env: Record<string, string>, dialect: string): Promise<Prepared> {
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
    const paths = { first: `/api/feed/cleanings?page_chunk_size=${pageSize}`, deep: `/api/feed/cleanings?page_chunk_size=${pageSize}&cursor=${encodeCursor(deepPosition)}` };
    return { deepPosition, queries, plan: lines, paths };
  } finally {
    await app.close();
  }
}
