import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SmtpMailer } from '../../src/infra/mailer/smtp-mailer.js';
import { InProcessQueue } from '../../src/infra/queue/in-process-queue.js';
import { createJobRunner } from '../../src/infra/queue/run-job.js';
import { recordingLogger } from './support/recording-logger.js';
import { startSmtpTestServer } from './support/smtp-test-server.js';

describe('Email delivery through the in-process queue', () => {
  it('delivers an email after the SMTP server refused it twice', async () => {
    const server = await startSmtpTestServer({ rejectFirst: 2 });
    const mailer = new SmtpMailer(server.url, 'Spruce <no-reply@spruce.test>');
    const logger = recordingLogger();
    const queue = new InProcessQueue(createJobRunner(mailer), logger, { attempts: 3, backoffDelayMs: 10 });
    try {
      await queue.enqueue({
        name: 'send-email',
        data: { to: 'bob@example.com', subject: 'Verify your address', text: 'Click', html: '<a>Click</a>' },
      });
      await queue.close();

      assert.equal(server.rejectedCount(), 2);
      assert.equal(server.received.length, 1);
      assert.match(server.received[0]!, /^Subject: Verify your address\r?$/m);
      assert.deepEqual(queue.deadLetters, []);
      assert.deepEqual(
        logger.entries.map((entry) => entry.level),
        ['warn', 'warn'],
      );
    } finally {
      await mailer.close();
      await server.close();
    }
  });
});
