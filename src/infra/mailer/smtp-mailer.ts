import { createTransport } from 'nodemailer';
import type { EmailMessage, Mailer } from './mailer.js';

/** Sends through an SMTP relay given as a URL (smtp://user:pass@host:587 or smtps://…). */
export class SmtpMailer implements Mailer {
  private readonly transport;

  constructor(smtpUrl: string, from: string) {
    this.transport = createTransport(
      {
        url: smtpUrl,
        // Reuses connections across emails instead of a TCP and TLS handshake for each one.
        pool: true,
        maxConnections: 3,
        // Bounded so a stuck relay fails the job (which is then retried) instead of holding the worker.
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
        dnsTimeout: 10_000,
      },
      { from },
    );
  }

  async send(message: EmailMessage): Promise<void> {
    await this.transport.sendMail({
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
