/** One email with both a plain-text and an HTML part. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Sends the message or throws; the job queue retries a throw. */
  send(message: EmailMessage): Promise<void>;
  close(): Promise<void>;
}
