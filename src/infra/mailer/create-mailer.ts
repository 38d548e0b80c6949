import type { Config } from '../../config/config.js';
import type { Logger } from '../logger.js';
import type { Mailer } from './mailer.js';
import { OutboxMailer } from './outbox-mailer.js';
import { SmtpMailer } from './smtp-mailer.js';

/** SMTP when SMTP_URL is set; otherwise emails go to .eml files in the outbox directory. */
export function createMailer(
  config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'outboxDir'>,
  logger: Pick<Logger, 'info'>,
): Mailer {
  if (config.smtpUrl !== null) return new SmtpMailer(config.smtpUrl, config.mailFrom);
  return new OutboxMailer(config.outboxDir, config.mailFrom, logger);
}
