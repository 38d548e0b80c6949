import { pino } from 'pino';
import { ConfigError, loadConfig } from './config/config.js';
import { loadEnvFile } from './config/load-env-file.js';
import { systemClock } from './core/clock.js';
import { createDatabase } from './infra/database.js';
import { createMailer } from './infra/mailer/create-mailer.js';
import { pruneExpired } from './modules/identity/index.js';
import { startBullWorker } from './infra/queue/bull-queue.js';
import { createJobRunner } from './infra/queue/run-job.js';

// The separate worker process (`npm run worker`): runs the jobs the API queued in Redis.

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`Usage: npm run worker   (npm run worker:prod runs the build in dist/)

Runs the background jobs (emails) that API processes queue in Redis. Needs REDIS_URL, the same Redis and
REDIS_KEY_PREFIX as the API, and SMTP_URL/MAIL_FROM (or the outbox). Run as many as you like; SIGTERM lets the
jobs in hand finish, then exits 0.`);
  process.exit(0);
}

loadEnvFile();
let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const logger = pino({ level: config.logLevel, base: { process: 'worker' } });

if (config.redisUrl === null) {
  logger.fatal(
    'REDIS_URL is not set. Without Redis, jobs run inside the API process and no worker is needed; ' +
      'set REDIS_URL to the same Redis as the API to run them here.',
  );
  process.exit(1);
}

const mailer = await createMailer(config, logger);
// The scheduled prune needs the database; the pool opens its connections only when a prune runs.
const database = await createDatabase(config);
const auditRetentionDays = config.auditRetentionDays;
const worker = startBullWorker(config, createJobRunner(mailer, { pruneExpired: () => pruneExpired(database.db, systemClock, auditRetentionDays) }), logger);
logger.info({ mailer: config.smtpUrl === null ? 'outbox' : 'smtp' }, 'Worker started');

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) {
    // A second signal means "now": the interrupted job runs again elsewhere once its lock expires.
    logger.warn({ signal }, 'Stopping at once');
    process.exit(1);
  }
  stopping = true;
  logger.info({ signal }, 'Stopping after the running jobs finish');
  try {
    await worker.close();
    await mailer.close();
    await database.close();
  } catch (error) {
    logger.error({ err: error }, 'Error while stopping');
    process.exit(1);
  }
  logger.info('Worker stopped');
  process.exit(0);
}
process.on('SIGTERM', (signal) => void stop(signal));
process.on('SIGINT', (signal) => void stop(signal));
