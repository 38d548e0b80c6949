import type { Config } from './config.js';
import { redactUrl } from './startup-errors.js';

function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}${parsed.port === '' ? '' : `:${parsed.port}`}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}

/** What a person starting the server wants to know first: where it answers and what it is wired to. */
export function startupBanner(config: Config, address: string): { fields: Record<string, string>; text: string } {
  const fields = {
    url: address,
    docs: `${address}/docs`,
    database: config.databaseUrl === null ? `SQLite ${config.sqlitePath}` : `PostgreSQL ${redactUrl(config.databaseUrl)}`,
    mailer: config.smtpUrl === null ? `outbox ${config.outboxDir} (emails are written there, not sent)` : `SMTP ${hostOf(config.smtpUrl)}`,
    store: config.redisUrl === null ? 'process memory' : `Redis ${hostOf(config.redisUrl)} (key prefix ${config.redisKeyPrefix})`,
    jobs:
      config.redisUrl === null
        ? 'run in this process'
        : config.runWorkerInApi
          ? 'queued in Redis; this process also runs them'
          : 'queued in Redis for `npm run worker`',
  };
  const text = [
    `Spruce is listening on ${fields.url}  (Swagger UI: ${fields.docs})`,
    `  database  ${fields.database}`,
    `  mailer    ${fields.mailer}`,
    `  store     ${fields.store}`,
    `  jobs      ${fields.jobs}`,
  ].join('\n');
  return { fields, text };
}
