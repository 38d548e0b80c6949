import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OutboxMailer } from '../src/infra/mailer/outbox-mailer.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const silent = { info: () => {} };

describe('/dev/outbox in development with the outbox mailer', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite', { NODE_ENV: 'development' });
  });
  after(() => t.close());

  test('lists the emails newest first, decoded, every value escaped, links clickable, under a strict CSP', async () => {
    const mailer = new OutboxMailer(t.config.outboxDir, 'Spruce <no-reply@spruce.localhost>', silent);
    // Longer than a quoted-printable line: in the .eml file it is cut by soft line breaks.
    const token = `${'a1b2c3d4'.repeat(12)}.x_y-z`;
    await mailer.send({ to: 'first@example.com', subject: 'First', text: 'the older one', html: '<p>the older one</p>' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await mailer.send({
      to: 'second@example.com',
      subject: '<script>alert(1)</script> Confirm',
      text: `Your token: ${token}\nOr open https://example.com/verify?token=${token}&next=%2F.\n<b>not bold</b>`,
      html: '<p>see the text</p>',
    });
    await mailer.close();
    const files = fs.readdirSync(t.config.outboxDir).filter((name) => name.endsWith('.eml'));
    const raw = files.map((name) => fs.readFileSync(path.join(t.config.outboxDir, name), 'utf8')).join('');
    assert.ok(!raw.includes(token), 'in the .eml file the token is cut by quoted-printable soft line breaks');

    const res = await t.inject({ method: 'GET', url: '/dev/outbox' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /^default-src 'none'; style-src 'nonce-[A-Za-z0-9+/=]+'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/);
    const page = res.body;
    assert.ok(page.indexOf('Confirm') < page.indexOf('First'), 'newest first');
    assert.ok(page.includes(`Your token: ${token}`), 'the token is whole');
    assert.ok(page.includes(`<a href="https://example.com/verify?token=${token}&amp;next=%2F" rel="noreferrer">`), 'the link, without the full stop after it');
    assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt; Confirm'));
    assert.ok(page.includes('&lt;b&gt;not bold&lt;/b&gt;'));
    assert.doesNotMatch(page, /<script|<b>/);
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    assert.ok(page.includes(`<style nonce="${nonce}">`));
  });
});

describe('/dev/outbox is absent', () => {
  for (const [label, env] of [
    // Production refuses to start without SMTP_URL, so it can never have the outbox mailer either.
    ['in production', { NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:2525' }],
    ['in tests', {}],
    ['with SMTP', { NODE_ENV: 'development', SMTP_URL: 'smtp://127.0.0.1:2525' }],
  ] as const) {
    test(label, async () => {
      const t = await createTestApp('sqlite', env);
      try {
        const res = await t.inject({ method: 'GET', url: '/dev/outbox' });
        assert.equal(res.statusCode, 404);
        assert.deepEqual(res.json(), { detail: 'Not Found' });
      } finally {
        await t.close();
      }
    });
  }
});
