import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config/config.js';
import { loadEnvFile } from './config/load-env-file.js';
import { describeListenError, StartupError } from './config/startup-errors.js';
import { buildWebAppIfMissing } from './modules/web-app/build-if-missing.js';

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

buildWebAppIfMissing(config);
let app: Awaited<ReturnType<typeof buildApp>>;
try {
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
  await app.listen({ host: config.host, port: config.port });
} catch (error) {
  const line = describeListenError(error, config);
  if (line === null) app.log.fatal({ err: error }, 'could not start listening');
  else console.error(line);
  await app.close();
  process.exit(1);
}
