import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * The second factor (TOTP) and security notices.
 *
 * - `users.mfa_enabled` says whether a log-in needs a code; it changes in the same transaction as the account's
 *   `totp_factors` row is confirmed or removed, so a log-in reads it without another query.
 * - `users.login_notices`: mail the owner when the account logs in from a client it has not used before.
 * - `totp_factors`: one per account; the secret only encrypted (AES-256-GCM), `enabled_at` null while the
 *   enrolment waits for its first code, `last_step` the last time step accepted (a code works once).
 * - `recovery_codes`: SHA-256 hashes of the single-use codes; `used_at` set when one is spent.
 * - `known_clients`: a hash of (user-agent family, address) per client an account has logged in from.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('users').addColumn('mfa_enabled', t.boolean, (c) => c.notNull().defaultTo(t.false)).execute();
  await db.schema.alterTable('users').addColumn('login_notices', t.boolean, (c) => c.notNull().defaultTo(t.true)).execute();

  await db.schema
    .createTable('totp_factors')
    .addColumn('user_id', t.uuid, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('secret_ciphertext', 'varchar(255)', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('enabled_at', t.timestamp)
    .addColumn('last_step', 'integer')
    .execute();

  await db.schema
    .createTable('recovery_codes')
    .addColumn('user_id', t.uuid, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('used_at', t.timestamp)
    .addPrimaryKeyConstraint('recovery_codes_pk', ['user_id', 'code_hash'])
    .execute();

  await db.schema
    .createTable('known_clients')
    .addColumn('user_id', t.uuid, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('client_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('first_seen_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('known_clients_pk', ['user_id', 'client_hash'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('known_clients').execute();
  await db.schema.dropTable('recovery_codes').execute();
  await db.schema.dropTable('totp_factors').execute();
  await db.schema.alterTable('users').dropColumn('login_notices').execute();
  await db.schema.alterTable('users').dropColumn('mfa_enabled').execute();
}
