import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createMailer } from '../../src/infra/mailer/create-mailer.js';
import type { EmailMessage } from '../../src/infra/mailer/mailer.js';
import { OutboxMailer } from '../../src/infra/mailer/outbox-mailer.js';
import { SmtpMailer } from '../../src/infra/mailer/smtp-mailer.js';
import { recordingLogger } from './support/recording-logger.js';
import { startSmtpTestServer } from './support/smtp-test-server.js';

const from = 'Spruce <no-reply@spruce.test>';
const message: EmailMessage = {
  to: 'alice@example.com',
  subject: 'Your sign-in code',
  text: 'Your code is 123456.',
  html: '<p>Your code is <b>123456</b>.</p>',
};

function assertIsTheMessage(raw: string): void {
  assert.match(raw, /^Subject: Your sign-in code\r?$/m);
  assert.match(raw, /^To: alice@example\.com\r?$/m);
  assert.match(raw, /^From: Spruce <no-reply@spruce\.test>\r?$/m);
  assert.match(raw, /^Content-Type: multipart\/alternative;/m);
  assert.match(raw, /^Content-Type: text\/plain; charset=utf-8\r?$/m);
  assert.match(raw, /^Content-Type: text\/html; charset=utf-8\r?$/m);
  assert.ok(raw.includes('Your code is 123456.'));
  assert.ok(raw.includes('<b>123456</b>'));
}

describe('SmtpMailer', () => {
  it('delivers a message with a plain-text and an HTML part over SMTP', async () => {
    const server = await startSmtpTestServer();
    const mailer = new SmtpMailer(server.url, from);
    try {
      await mailer.send(message);
      assert.equal(server.received.length, 1);
      assertIsTheMessage(server.received[0]!);
    } finally {
      await mailer.close();
      await server.close();
    }
  });

  it('throws when the server refuses the message', async () => {
    const server = await startSmtpTestServer({ rejectFirst: 1 });
    const mailer = new SmtpMailer(server.url, from);
    try {
      await assert.rejects(mailer.send(message), /451/);
      assert.equal(server.received.length, 0);
    } finally {
      await mailer.close();
      await server.close();
    }
  });
});

describe('OutboxMailer', () => {
  it('writes the message as a readable .eml file and logs recipient and subject', async () => {
    const outboxDir = await mkdtemp(path.join(tmpdir(), 'spruce-outbox-'));
    const logger = recordingLogger();
    const mailer = new OutboxMailer(path.join(outboxDir, 'outbox'), from, logger);
    try {
      await mailer.send(message);
      await mailer.send({ ...message, subject: 'Second' });

      const files = await readdir(path.join(outboxDir, 'outbox'));
      assert.equal(files.length, 2, 'one file per message');
      const sortableName = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-[0-9a-f]{8}\.eml$/;
      assert.ok(files.every((file) => sortableName.test(file)), files.join());
      const contents = await Promise.all(files.map((file) => readFile(path.join(outboxDir, 'outbox', file), 'utf8')));
      const first = contents.find((raw) => raw.includes('Subject: Your sign-in code'));
      assert.ok(first !== undefined);
      assert.ok(first.includes('\r\n'), 'RFC 822 line endings');
      assertIsTheMessage(first);

      const logged = logger.entries.map(({ level, details }) => {
        const { to, subject } = details as { to: string; subject: string };
        return { level, to, subject };
      });
      assert.deepEqual(logged, [
        { level: 'info', to: 'alice@example.com', subject: 'Your sign-in code' },
        { level: 'info', to: 'alice@example.com', subject: 'Second' },
      ]);
    } finally {
      await mailer.close();
      await rm(outboxDir, { recursive: true, force: true });
    }
  });
});

describe('createMailer', () => {
  it('uses SMTP when SMTP_URL is set and the outbox otherwise', async () => {
    const logger = recordingLogger();
    const smtp = createMailer({ smtpUrl: 'smtp://127.0.0.1:2525', mailFrom: from, outboxDir: '/unused', env: 'test' }, logger);
    const outbox = createMailer({ smtpUrl: null, mailFrom: from, outboxDir: '/unused', env: 'test' }, logger);
    assert.ok(smtp instanceof SmtpMailer);
    assert.ok(outbox instanceof OutboxMailer);
    await smtp.close();
    await outbox.close();
  });
});
