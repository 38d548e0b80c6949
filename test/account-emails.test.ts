import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Job, JobQueue } from '../src/infra/queue/jobs.js';
import { escapeHtml } from '../src/core/escape-html.js';
import { maskEmail, registerAccountEmails, withinDuration } from '../src/modules/identity/account-emails.js';
import { AccountEvents } from '../src/modules/identity/account-events.js';
import { registerSecurityNotices } from '../src/modules/identity/security-notices.js';
import type { User } from '../src/modules/identity/users.repository.js';

/** Keeps what would have been queued, in order. */
class RecordingQueue implements JobQueue {
  readonly jobs: Job[] = [];
  async enqueue(job: Job): Promise<void> {
    this.jobs.push(job);
  }
  async counts(): Promise<Record<string, number>> {
    return { recorded: this.jobs.length };
  }
  async repeat(): Promise<void> {}
  async close(): Promise<void> {}
}

function user(overrides: Partial<User> = {}): User {
  const now = new Date();
  return {
    id: '7f1b0a52-2d0c-4f3e-9a57-0d2b7c1e5a11',
    username: 'shakira',
    email: 'shakira@shakira.io',
    hashedPassword: '$argon2id$…',
    isActive: true,
    isSuperuser: false,
    isVerified: false,
    tokensValidAfter: null,
    mfaEnabled: false,
    loginNotices: true,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

function setUp(options: Parameters<typeof registerAccountEmails>[2] = {}) {
  const events = new AccountEvents();
  const queue = new RecordingQueue();
  registerAccountEmails(events, queue, options);
  registerSecurityNotices(events, queue, options);
  const failures: unknown[] = [];
  const emit = (event: Parameters<AccountEvents['emit']>[0]) => events.emit(event, (error) => failures.push(error));
  return { queue, emit, failures };
}

describe('account emails', () => {
  test('a verification request mails a link with the token when a public URL is set', async () => {
    const { queue, emit, failures } = setUp({ publicUrl: 'https://spruce.example/', verifyTokenExpireSeconds: 86400 });
    await emit({ type: 'verification-requested', user: user(), token: 'abc.def-ghi' });
    assert.deepEqual(failures, []);
    assert.equal(queue.jobs.length, 1);
    const job = queue.jobs[0]!;
    assert.equal(job.name, 'send-email');
    assert.equal(job.data.to, 'shakira@shakira.io');
    assert.match(job.data.subject, /Confirm your email/);
    assert.match(job.data.text, /https:\/\/spruce\.example\/verify-email\?token=abc\.def-ghi/);
    assert.match(job.data.text, /within 1 day/);
    assert.match(job.data.html, /<a href="https:\/\/spruce\.example\/verify-email\?token=abc\.def-ghi">/);
  });

  test('without a public URL the mail carries the token and the route to send it to', async () => {
    const { queue, emit } = setUp({ resetTokenExpireSeconds: 1800 });
    await emit({ type: 'forgot-password', user: user(), token: 'reset.token.value' });
    const job = queue.jobs[0]!;
    assert.match(job.data.subject, /Reset your Spruce password/);
    assert.match(job.data.text, /POST \/api\/auth\/reset-password within 30 minutes:\n\nreset\.token\.value/);
    assert.match(job.data.html, /<code>reset\.token\.value<\/code>/);
  });

  test('confirmations after verification and after a password reset', async () => {
    const { queue, emit } = setUp({ productName: 'Phresh' });
    await emit({ type: 'verified', user: user({ isVerified: true }) });
    await emit({ type: 'security-notice', notice: 'password-reset', user: user(), at: new Date(), client: { ip: '203.0.113.9', userAgent: 'curl/8' } });
    assert.deepEqual(
      queue.jobs.map((j) => j.data.subject),
      ['Your email is confirmed', 'Your Phresh password was changed'],
    );
    assert.match(queue.jobs[1]!.data.text, /signed out/);
    assert.ok(queue.jobs.every((j) => j.data.text.includes('— Phresh') && j.data.html.includes('— Phresh')));
  });

  test('an email change: the token to the new address only, a masked notice to the current one; after it, a notice to the old one', async () => {
    const { queue, emit } = setUp({ publicUrl: 'https://spruce.example', emailChangeTokenExpireSeconds: 3600 });
    await emit({ type: 'email-change-requested', user: user(), newEmail: 'mallory@evil.example', token: 'change.token' });
    const [confirmation, notice] = queue.jobs.map((j) => j.data);
    assert.equal(confirmation?.to, 'mallory@evil.example');
    assert.match(confirmation?.text ?? '', /https:\/\/spruce\.example\/confirm-email\?token=change\.token/);
    assert.match(confirmation?.text ?? '', /within 1 hour/);
    assert.equal(notice?.to, 'shakira@shakira.io');
    assert.ok(!notice?.text.includes('change.token'));
    assert.ok(!notice?.text.includes('mallory@'));
    assert.match(notice?.text ?? '', /m\*\*\*@evil\.example/);
    assert.match(notice?.text ?? '', /change your password/);

    const { queue: later, emit: emitLater } = setUp();
    await emitLater({ type: 'email-change-requested', user: user({ email: null }), newEmail: 'first@example.com', token: 't' });
    assert.deepEqual(later.jobs.map((j) => j.data.to), ['first@example.com'], 'no notice for an account that had no email');
    await emitLater({ type: 'email-changed', user: user({ email: 'new@example.com' }), previousEmail: 'shakira@shakira.io' });
    assert.equal(later.jobs[1]?.data.to, 'shakira@shakira.io');
    assert.match(later.jobs[1]?.data.text ?? '', /n\*\*\*@example\.com/);
  });

  test('whatever a user chose is HTML-escaped in the HTML part, and left as typed in the text part', async () => {
    const { queue, emit } = setUp({ publicUrl: 'https://spruce.example/?a=1&b="2"' });
    await emit({ type: 'verification-requested', user: user({ username: '<b>boss</b>', email: 'a&b@x.io' }), token: 't<o>k"en' });
    const { html, text } = queue.jobs[0]!.data;
    assert.ok(!html.includes('<b>boss</b>'));
    assert.match(html, /Hello &lt;b&gt;boss&lt;\/b&gt;,/);
    assert.match(html, /a&amp;b@x\.io/);
    assert.ok(!/href="[^"]*"2"/.test(html), 'a quote cannot end the attribute');
    assert.match(html, /token=t%3Co%3Ek%22en/);
    assert.match(text, /Hello <b>boss<\/b>,/);
  });

  test('accounts without an email and events without a mail send nothing', async () => {
    const { queue, emit } = setUp();
    await emit({ type: 'verification-requested', user: user({ email: null }), token: 'x' });
    await emit({ type: 'forgot-password', user: user({ email: null }), token: 'x' });
    await emit({ type: 'registered', user: user() });
    await emit({ type: 'logged-in', user: user() });
    await emit({ type: 'updated', user: user(), changed: ['name'] });
    await emit({ type: 'deleted', user: user() });
    assert.deepEqual(queue.jobs, []);
  });

  test('a queue that fails is reported through the events, not thrown at the request', async () => {
    const events = new AccountEvents();
    registerAccountEmails(events, { enqueue: async () => Promise.reject(new Error('queue down')), counts: async () => ({}), repeat: async () => {}, close: async () => {} });
    const failures: unknown[] = [];
    await events.emit({ type: 'verified', user: user() }, (error) => failures.push(error));
    assert.equal((failures[0] as Error).message, 'queue down');
  });

  test('helpers', () => {
    assert.deepEqual(['ab@example.com', 'x@y.io', 'broken'].map(maskEmail), ['a***@example.com', 'x***@y.io', '***']);
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    assert.deepEqual([86400, 172800, 3600, 5400, 90, 1].map(withinDuration), [
      'within 1 day',
      'within 2 days',
      'within 1 hour',
      'within 90 minutes',
      'within 90 seconds',
      'within 1 second',
    ]);
  });
});
