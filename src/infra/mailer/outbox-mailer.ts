import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Transporter } from 'nodemailer';
import type { Logger } from '../logger.js';
import type { EmailMessage, Mailer } from './mailer.js';

/**
 * The development mailer: instead of sending, writes each email as an .eml file that any mail client opens,
 * and logs a line saying so. File names start with the time, so a directory listing is in sending order.
 */
export class OutboxMailer implements Mailer {
  // Nodemailer builds the MIME message exactly as the SMTP mailer would send it. Loaded at the first email, so
  // starting the app does not pay for it.
  private transport: Promise<Transporter> | undefined;

  constructor(
    private readonly outboxDir: string,
    private readonly from: string,
    private readonly logger: Pick<Logger, 'info'>,
  ) {}

  async send(message: EmailMessage): Promise<void> {
    this.transport ??= import('nodemailer').then(({ createTransport }) =>
      createTransport({ streamTransport: true, buffer: true, newline: 'windows' }),
    );
    const info = await (await this.transport).sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
    await mkdir(this.outboxDir, { recursive: true });
    const timestamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = path.join(this.outboxDir, `${timestamp}-${randomBytes(4).toString('hex')}.eml`);
    await writeFile(file, info.message);
    this.logger.info({ to: message.to, subject: message.subject, file }, 'Email written to the outbox');
  }

  async close(): Promise<void> {
    (await this.transport)?.close();
  }
}
