import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig } from './config/config.js';
import { startupBanner } from './config/banner.js';
import { loadEnvFile } from './config/load-env-file.js';
import { checkListenable, checkWritableDirectories, describeListenError, StartupError } from './config/startup-errors.js';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`Usage: npm start   (npm run dev restarts on changes; npm run start:prod runs the build in dist/)

Serves the API on HOST:PORT (default http://127.0.0.1:8000), Swagger UI at /docs. Every setting comes from the
environment or a .env file in the working directory; .env.example lists them all with their defaults.
Stops gracefully on SIGTERM or SIGINT.`);
  process.exit(0);
}

loadEnvFile();

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

let app: FastifyInstance;
try {
  // What a person most often gets wrong is checked before the app and its libraries are loaded (seconds on a
  // busy machine), so a taken port or an unwritable DATA_DIR answers at once. buildApp checks the directories too.
  checkWritableDirectories(config);
  await checkListenable(config);
  // A database server that does not answer, likewise: migrated before the app loads (buildApp's own pass then
  // finds nothing pending). SQLite is a file, checked above with DATA_DIR.
  if (config.migrateOnStart && config.databaseUrl !== null) {
    const { runMigrations } = await import('./db/run-migrations.js');
    await runMigrations(config, 'to migrate on start (MIGRATE_ON_START)');
  }
  const { buildWebAppIfMissing } = await import('./modules/web-app/build-if-missing.js');
  buildWebAppIfMissing(config);
  const { buildApp } = await import('./app.js');
  app = await buildApp(config);
} catch (error) {
  // Start-up problems a person can fix get one line naming the setting, not a stack trace.
  if (!(error instanceof StartupError)) throw error;
  console.error(error.message);
  process.exit(1);
}

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
  // A request that never finishes must not keep the process alive forever.
  const deadline = setTimeout(() => {
    app.log.error('shutdown took longer than 25 s; exiting');
    process.exit(1);
  }, 25_000);
  deadline.unref();
  try {
    await app.close();
    process.exit(0);
  } catch (error) {
    app.log.error({ err: error }, 'error while shutting down');
    process.exit(1);
  }
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));

try {
  const address = await app.listen({ host: config.host, port: config.port });
  const banner = startupBanner(config, address);
  const { usesPrettyLogs } = await import('./http/logging.js');
  // Pretty logs show the text alone; JSON logs carry the same facts as fields for machines.
  if (usesPrettyLogs(config)) app.log.info(banner.text);
  else app.log.info(banner.fields, banner.text);
} catch (error) {
  const line = describeListenError(error, config);
  if (line === null) app.log.fatal({ err: error }, 'could not start listening');
  else console.error(line);
  await app.close();
  process.exit(1);
}
