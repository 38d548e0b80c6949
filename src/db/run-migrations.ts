import type { Config } from '../config/config.js';
import { databaseUnreachable, isConnectionFailure, StartupError } from '../config/startup-errors.js';
import { createDatabase } from '../infra/database.js';
import { migrateToLatest } from './migrator.js';

/**
 * How long a migration at the terminal or at start waits for a server that does not answer: with Node's own
 * start-up, the one line naming DATABASE_URL comes within 5 s.
 */
const connectTimeoutMs = 3_000;

/**
 * Opens the configured database, applies every pending migration and closes it; answers the names applied. A
 * database that cannot be reached is a StartupError naming DATABASE_URL, worded with `doing`.
 */
export async function runMigrations(config: Config, doing: string): Promise<string[]> {
  const database = await createDatabase(config, { connectTimeoutMs });
  try {
    const result = await migrateToLatest(database.db).catch((error: unknown) => {
      throw isConnectionFailure(error) ? new StartupError(databaseUnreachable(config, error, doing)) : error;
    });
    return result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
  } finally {
    await database.close();
  }
}
