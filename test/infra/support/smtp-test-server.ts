import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SmtpTestServer {
  url: string;
  /** Raw messages accepted, in order. */
  received: string[];
  rejectedCount(): number;
  close(): Promise<void>;
}

/** A real SMTP server on a free local port; rejects the first `rejectFirst` messages with a temporary error. */
export async function startSmtpTestServer({ rejectFirst = 0 } = {}): Promise<SmtpTestServer> {
  const received: string[] = [];
  let rejected = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 1000,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (rejected < rejectFirst) {
          rejected += 1;
          callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
          return;
        }
        received.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  const listening = server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => listening.once('listening', resolve));
  const { port } = listening.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    rejectedCount: () => rejected,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
