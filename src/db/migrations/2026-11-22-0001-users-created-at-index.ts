import type { Kysely } from 'kysely';

/** Serves the superusers' list of accounts, paged oldest first with id as the tie-breaker. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('users_created_at_id_idx').on('users').columns(['created_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('users_created_at_id_idx').execute();
}
