/**
 * Load test of GET /api/feed/cleanings over 100,000 cleanings: `npx tsx bench/feed.ts`.
 * DATABASE_URL=postgres://… runs on a database of its own created next to the given one (and dropped after);
 * without it, on a SQLite file in a temporary directory (removed after).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { encodeCursor } from '../src/modules/feed/feed-cursor.js';
import { FeedRepository } from '../src/modules/feed/feed.repository.js';

const cleaningCount = 100_000;
const ownerCount = 100;
const batchSize = 1_000;
const durationSeconds = 10;
const connections = 20;

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spruce-bench-'));
  const databaseName = `spruce_bench_${randomBytes(6).toString('hex')}`;
  let databaseUrl: string | undefined;
  if (adminUrl) {
    await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${databaseName}`));
    const url = new URL(adminUrl);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
  }
  const dialect = databaseUrl ? 'postgres' : 'sqlite';
  console.log(`feed benchmark on ${dialect}`);

  const app = await buildApp(
    loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      SECRET_KEY: randomBytes(32).toString('hex'),
      MIGRATE_ON_START: 'true',
      DATABASE_POOL_SIZE: '20',
      // Every bench client is 127.0.0.1: the global per-address limit would otherwise measure itself.
      RATE_LIMIT_MAX: '10000000',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    }),
  );
  try {
    const { db } = app.context.database;

    // Owners, then cleanings: three created in each millisecond (ties for the cursor), every tenth changed later.
    const seedStart = performance.now();
    const base = Date.now() - cleaningCount * 1000;
    await db.transaction().execute(async (trx) => {
      const ownerIds = Array.from({ length: ownerCount }, () => randomUUID());
      const now = new Date();
      await trx
        .insertInto('users')
        .values(ownerIds.map((id, i) => ({ id, username: `bench_${i}`, hashed_password: 'x', created_at: now, updated_at: now })))
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
    const seedSeconds = (performance.now() - seedStart) / 1000;
    console.log(`seeded ${cleaningCount} cleanings in ${seedSeconds.toFixed(2)} s (batches of ${batchSize} in one transaction)`);
    // Fresh planner statistics, as autovacuum would gather after a bulk load.
    await db.executeQuery(CompiledQuery.raw('ANALYZE'));

    const username = `bench_${randomBytes(4).toString('hex')}`;
    const password = 'bench-password-1';
    await app.inject({ method: 'POST', url: '/users/sign-up', payload: { username, password } });
    const logIn = await app.inject({ method: 'POST', url: '/users/log-in', payload: { username, password } });
    const token = logIn.json().access_token as string;

    // A cursor 90,000 creation events down.
    const deep = await db
      .selectFrom('cleanings')
      .select(['id', 'created_at'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .offset(90_000)
      .limit(1)
      .executeTakeFirstOrThrow();
    const deepPosition = { timestamp: new Date(deep.created_at), id: deep.id };
    const deepCursor = encodeCursor(deepPosition);

    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const targets = [
      { label: 'baseline GET / (no database, for scale)', path: '/' },
      { label: 'first page', path: '/api/feed/cleanings?page_chunk_size=20' },
      { label: 'deep page (90,000 events down)', path: `/api/feed/cleanings?page_chunk_size=20&cursor=${deepCursor}` },
    ];
    for (const target of targets) {
      const check = await app.inject({ method: 'GET', url: target.path, headers: { authorization: `Bearer ${token}` } });
      if (check.statusCode !== 200 || (target.path !== '/' && check.json().length !== 20)) throw new Error(`${target.label}: ${check.statusCode} ${check.body.slice(0, 200)}`);
      const result = await autocannon({
        url: `${address}${target.path}`,
        connections,
        // Load is generated in a worker thread, off the server's event loop.
        workers: 1,
        duration: durationSeconds,
        headers: { authorization: `Bearer ${token}` },
      });
      console.log(
        `${target.label}: ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms ` +
          `(${result.requests.total} requests, ${result.non2xx} non-2xx, ${result.errors} errors)`,
      );
    }

    const compiled = new FeedRepository(db).pageQuery(deepPosition, 21).compile();
    const explain = dialect === 'postgres' ? 'EXPLAIN ANALYZE ' : 'EXPLAIN QUERY PLAN ';
    const plan = await db.executeQuery(CompiledQuery.raw(explain + compiled.sql, [...compiled.parameters]));
    console.log(`\n${explain.trim()} of the deep-page feed query:`);
    for (const row of plan.rows as Record<string, unknown>[]) {
      console.log(dialect === 'postgres' ? row['QUERY PLAN'] : `${'  '.repeat(Number(row.parent) === 0 ? 0 : 1)}${String(row.detail)}`);
    }
  } finally {
    await app.close();
    if (databaseUrl && adminUrl) await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
