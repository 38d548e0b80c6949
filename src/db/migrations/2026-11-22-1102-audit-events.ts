import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * What happened to accounts, and who did it. No foreign keys: an account's history outlives the account (a
 * deletion is itself an event), until AUDIT_RETENTION_DAYS prunes it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('audit_events')
    .addColumn('id', t.uuid, (c) => c.primaryKey())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('event', 'varchar(64)', (c) => c.notNull())
    .addColumn('actor_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('actor_id', t.uuid)
    .addColumn('subject_id', t.uuid)
    .addColumn('session_id', t.uuid)
    .addColumn('ip', 'varchar(64)')
    .addColumn('user_agent', 'varchar(512)')
    .addColumn('request_id', 'varchar(128)')
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('audit_events_subject_idx').on('audit_events').columns(['subject_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('audit_events_created_idx').on('audit_events').columns(['created_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_events').execute();
}
