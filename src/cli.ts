import { ConfigError, loadConfig } from './config/config.js';
import { loadEnvFile } from './config/load-env-file.js';
import { migrateToLatest } from './db/migrator.js';
import { createDatabase } from './infra/database.js';

loadEnvFile();

const usage = `Usage: npm run cli -- <command>

Commands:
  migrate     Run every pending database migration (safe to run from several processes at once)`;

async function migrate(): Promise<void> {
  const config = loadConfig();
  const database = createDatabase(config);
  try {
    const result = await migrateToLatest(database.db);
    const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
    console.log(applied.length === 0 ? 'Database is up to date.' : `Applied: ${applied.join(', ')}`);
  } finally {
    await database.close();
  }
}

const commands: Record<string, () => Promise<void>> = { migrate };

const [name] = process.argv.slice(2);
const command = name === undefined ? undefined : commands[name];
if (command === undefined) {
  console.error(usage);
  process.exit(name === undefined || name === '--help' ? 0 : 2);
}
try {
  await command();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Error: ${(error as Error).message}`);
  process.exit(1);
}
