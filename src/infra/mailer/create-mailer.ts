import type { Config } from '../../config/config.js';
import type { Logger } from '../logger.js';
import type { Mailer } from './mailer.js';
import { OutboxMailer } from './outbox-mailer.js';
import { SmtpMailer } from './smtp-mailer.js';

/**
 * SMTP when SMTP_URL is set; otherwise emails go to .eml files in the outbox directory, which the config allows
 * in production only when MAIL_TO_OUTBOX=true was asked for.
 */
export function createMailer(
  config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'outboxDir' | 'env'>,
  logger: Pick<Logger, 'info' | 'warn'>,
): Mailer {
  if (config.smtpUrl !== null) return new SmtpMailer(config.smtpUrl, config.mailFrom);
  if (config.env === 'production') {
    logger.warn({ outboxDir: config.outboxDir }, 'MAIL_TO_OUTBOX=true: emails (password resets included) are written to the outbox, not sent');
  }
  return new OutboxMailer(config.outboxDir, config.mailFrom, logger);
}
