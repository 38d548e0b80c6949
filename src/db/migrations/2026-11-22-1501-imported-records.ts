import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * What `npm run cli -- import …` brought in: one row per source record, keyed by where it came from, naming the
 * Spruce row it became. A rerun skips what is here, so nothing is imported twice, and a todo finds its owner's
 * new id here.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('imported_records')
    .addColumn('source', 'varchar(200)', (c) => c.notNull())
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('source_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('target_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('imported_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addPrimaryKeyConstraint('imported_records_pkey', ['source', 'kind', 'source_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('imported_records').execute();
}
