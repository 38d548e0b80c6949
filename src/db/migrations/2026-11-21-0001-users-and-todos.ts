import { sql, type Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('users')
    .addColumn('id', t.uuid, (c) => c.primaryKey())
    .addColumn('username', 'varchar(20)', (c) => c.notNull())
    .addColumn('email', 'varchar(320)', (c) => c.unique())
    .addColumn('hashed_password', 'varchar(1024)', (c) => c.notNull())
    .addColumn('is_active', t.boolean, (c) => c.notNull().defaultTo(t.true))
    .addColumn('is_superuser', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('is_verified', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('tokens_valid_after', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('updated_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .execute();

  // Usernames are unique without regard to case; they are ASCII only, so lower() means the same in both dialects.
  await db.schema
    .createIndex('users_username_lower_key')
    .on('users')
    .expression(sql`lower(username)`)
    .unique()
    .execute();

  await db.schema
    .createTable('todos')
    .addColumn('id', t.postgres ? 'serial' : 'integer', (c) => (t.postgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('user_id', t.uuid, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('content', 'varchar(256)', (c) => c.notNull())
    .addColumn('is_done', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .execute();

  // Serves both "a user's todos in id order" (either direction) and "this todo if it is this user's".
  await db.schema.createIndex('todos_user_id_id_idx').on('todos').columns(['user_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('todos').execute();
  await db.schema.dropTable('users').execute();
}
