import { CommandError, createSuperuserUsage, importUsage, seedUsage } from './cli/command-error.js';
import { ConfigError, loadConfig } from './config/config.js';
import { loadEnvFile } from './config/load-env-file.js';
import { StartupError } from './config/startup-errors.js';
import { runMigrations } from './db/run-migrations.js';

loadEnvFile();

const usage = `Usage: npm run cli -- <command>

Commands:
  migrate            Run every pending database migration (safe to run from several processes at once)
  create-superuser   Create an active, verified superuser account
  import             Bring in accounts (and todos) from the tutorial apps' databases
  seed               Fill the database with demo data and print how to log in (npm run seed)

${createSuperuserUsage}

${importUsage}`;

const migrateUsage = `Usage: npm run migrate   (or: npm run cli -- migrate)

Applies every pending database migration to DATABASE_URL (or the SQLite file under DATA_DIR), in order.
Safe to run from several processes at once: the migrator takes a lock. Prints the migrations it applied.`;

/** What `<command> --help` prints. */
const usages: Record<string, string> = { migrate: migrateUsage, 'create-superuser': createSuperuserUsage, import: importUsage, seed: seedUsage };

async function migrate(): Promise<void> {
  const applied = await runMigrations(loadConfig(), 'to run migrations');
  console.log(applied.length === 0 ? 'Database is up to date.' : `Applied: ${applied.join(', ')}`);
}

const commands: Record<string, (args: string[]) => Promise<void>> = {
  migrate,
  // Loaded only when used: it brings in the whole app, which `migrate` does not need.
  'create-superuser': async (args) => (await import('./cli/create-superuser.js')).createSuperuser(loadConfig(), args),
  seed: async () => (await import('./cli/seed.js')).seed(loadConfig()),
  import: async (args) => {
    const summary = await (await import('./cli/import.js')).runImport(loadConfig(), args);
    if (summary.failed !== null) process.exitCode = 1;
  },
};

const [name, ...args] = process.argv.slice(2);
const command = name === undefined ? undefined : commands[name];
if (command !== undefined && (args.includes('--help') || args.includes('-h'))) {
  console.log(usages[name as string]);
  process.exit(0);
}
if (command === undefined) {
  console.error(usage);
  process.exit(name === undefined || name === '--help' || name === '-h' || name === 'help' ? 0 : 2);
}
try {
  await command(args);
} catch (error) {
  if (error instanceof ConfigError || error instanceof CommandError || error instanceof StartupError) console.error(error.message);
  else console.error(`Error: ${(error as Error).message}`);
  process.exit(1);
}
