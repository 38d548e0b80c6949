import { sql, type Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  if (t.mysql) {
    // Strings compare as on PostgreSQL and SQLite: by code point (no case or accent folding, no trailing-space
    // padding), and hold every Unicode character. Set on the database so later migrations' tables get it too.
    const [{ version }] = (await sql<{ version: string }>`select version() as version`.execute(db)).rows as [{ version: string }];
    const collation = /mariadb/i.test(version) ? 'utf8mb4_nopad_bin' : 'utf8mb4_0900_bin';
    await sql`alter database character set utf8mb4 collate ${sql.raw(collation)}`.execute(db);
  }

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

  // Usernames are unique without regard to case; they are ASCII only, so lower() means the same in every dialect.
  if (t.mysql) {
    // MariaDB has no index on an expression: index a generated column holding it instead (MySQL 8 reads it for
    // lower(username) too).
    await db.schema
      .alterTable('users')
      .addColumn('username_lower', 'varchar(20)', (c) => c.generatedAlwaysAs(sql`lower(username)`).stored())
      .execute();
    await db.schema.createIndex('users_username_lower_key').on('users').column('username_lower').unique().execute();
  } else {
    await db.schema
      .createIndex('users_username_lower_key')
      .on('users')
      .expression(sql`lower(username)`)
      .unique()
      .execute();
  }

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
