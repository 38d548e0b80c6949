import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import { migrations } from './migrations/index.js';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/**
 * Runs every pending migration. Kysely's Migrator takes a lock (an advisory lock on PostgreSQL), so several
 * processes starting at once run each migration exactly once.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateToLatest();
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    // No migration named: the failure came before any ran (connecting, locking, reading the migrations table).
    const what = failed === undefined ? 'Migrations could not start' : `Migration ${failed} failed`;
    throw new MigrationError(`${what}: ${String(result.error)}`, { cause: result.error });
  }
  return result;
}

export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const all = await migrator.getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
