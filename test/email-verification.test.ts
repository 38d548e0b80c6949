import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { startSmtpTestServer, type SmtpTestServer } from './infra/support/smtp-test-server.js';
import { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from './infra/support/redis.js';
import { createTestApp, dialects, newUser, type DialectName, type TestApp, type TestUser } from './helpers/test-app.js';
import { codeIn, codeSubject, messagesTo, verifiedSubject, waitForMessage } from './helpers/mail.js';

const otpUrl = '/users/email/otp';
const verifyUrl = '/users/email/otp/verify';
const badRequest = { detail: 'Bad Request' };

function newAddress(): string {
  return `someone-${randomUUID().slice(0, 8)}@example.com`;
}

interface Leg {
  name: string;
  dialect: DialectName;
  env: Record<string, string>;
  cleanUp?: () => Promise<void>;
}

// The SQLite leg runs on the memory store and the PostgreSQL leg on Redis (when TEST_REDIS_URL is set); SQLite
// on Redis is run as well, so each store is seen under each database.
const legs: Leg[] = dialects.map((dialect) => ({ name: dialect, dialect, env: {} }));
const redisUrl = testRedisUrl;
if (redisUrl !== null) {
  const prefix = uniqueKeyPrefix();
  legs.push({
    name: 'sqlite with Redis',
    dialect: 'sqlite',
    env: { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix },
    cleanUp: () => deleteKeysWithPrefix(redisUrl, prefix),
  });
}

for (const leg of legs) {
  describe(`email verification by one-time code on ${leg.name}`, () => {
    let smtp: SmtpTestServer;
    // Resending at once is allowed here; the cooldown is tested on `slow` below.
    let t: TestApp;
    // One-second codes and the default one-minute cooldown.
    let slow: TestApp;

    before(async () => {
      smtp = await startSmtpTestServer();
      const common = { ...leg.env, SMTP_URL: smtp.url };
      t = await createTestApp(leg.dialect, { ...common, OTP_RESEND_SECONDS: '0', OTP_DAILY_LIMIT: '3' });
      slow = await createTestApp(leg.dialect, { ...common, OTP_TTL_SECONDS: '1', OTP_RESEND_SECONDS: '60' });
    });
    after(async () => {
      await t.close();
      await slow.close();
      await smtp.close();
      await leg.cleanUp?.();
    });

    const requestCode = (app: TestApp, user: TestUser, email: string) =>
      app.inject({ method: 'POST', url: otpUrl, headers: user.headers, payload: { email } });
    const verify = (app: TestApp, user: TestUser, email: string, otp: unknown) =>
      app.inject({ method: 'POST', url: verifyUrl, headers: user.headers, payload: { email, otp } });
    /** Asks for a code and reads it from the email that arrives. */
    async function emailedCode(app: TestApp, user: TestUser, email: string, nth = 1): Promise<string> {
      const res = await requestCode(app, user, email);
      assert.equal(res.statusCode, 200, res.body);
      return codeIn(await waitForMessage(smtp, email.toLowerCase(), codeSubject, nth));
    }
    function wrongCode(code: string): string {
      return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    }

    test('the whole flow: code emailed (never returned), wrong code refused, right code saves the verified address once', async () => {
      const alice = await newUser(t);
      const address = newAddress();
      const mixedCase = address.replace('someone', 'SomeOne');

      const requested = await requestCode(t, alice, mixedCase);
      assert.equal(requested.statusCode, 200);
      assert.deepEqual(requested.json(), { email: address, expires_in: 180 });

      const message = await waitForMessage(smtp, address, codeSubject);
      const code = codeIn(message);
      assert.match(code, /^\d{6}$/);
      assert.match(message, /Content-Type: text\/plain/);
      assert.match(message, /Content-Type: text\/html/);
      assert.ok(!requested.body.includes(code), 'the code is never in a response');

      const wrong = await verify(t, alice, address, wrongCode(code));
      assert.equal(wrong.statusCode, 400);
      assert.deepEqual(wrong.json(), badRequest);

      const before = await t.app.context.usersRepository.findById(alice.id);
      assert.equal(before?.email, null);
      assert.equal(before?.isVerified, false);

      const right = await verify(t, alice, mixedCase, code);
      assert.equal(right.statusCode, 200);
      assert.deepEqual(right.json(), { id: alice.id, username: alice.username });
      assert.ok(!right.body.includes(code));

      const saved = await t.app.context.usersRepository.findById(alice.id);
      assert.equal(saved?.email, address);
      assert.equal(saved?.isVerified, true);

      const confirmation = await waitForMessage(smtp, address, verifiedSubject);
      assert.ok(confirmation.includes(alice.username));
      assert.ok(!confirmation.includes(code));

      const reused = await verify(t, alice, address, code);
      assert.equal(reused.statusCode, 400);
      assert.deepEqual(reused.json(), badRequest);
    });

    test('otp may be sent as an integer, which means the code with its leading zeros', async () => {
      const user = await newUser(t);
      const address = newAddress();
      const code = await emailedCode(t, user, address);
      const res = await verify(t, user, address, Number(code));
      assert.equal(res.statusCode, 200, res.body);
    });

    test('a verification by code is audited in the transaction that saves the address: no event without the change, no change without the event', async () => {
      const { audit, database } = t.app.context;
      const verifiedEvents = async (userId: string) =>
        database.db.selectFrom('audit_events').select(['event', 'detail', 'actor_id']).where('subject_id', '=', userId).where('event', '=', 'user.verified').execute();

      const user = await newUser(t);
      const address = newAddress();
      const code = await emailedCode(t, user, address);
      const original = audit.record;
      audit.record = async (event, entry, context, trx) => {
        if (event === 'user.verified') throw new Error('the audit insert fails');
        return original.call(audit, event, entry, context, trx);
      };
      try {
        assert.equal((await verify(t, user, address, code)).statusCode, 500);
      } finally {
        audit.record = original;
      }
      assert.equal((await t.app.context.usersRepository.findById(user.id))?.email, null, 'the address rolled back with its event');
      assert.equal((await verifiedEvents(user.id)).length, 0);

      const next = await emailedCode(t, user, address, 2);
      assert.equal((await verify(t, user, address, next)).statusCode, 200);
      const events = await verifiedEvents(user.id);
      assert.equal(events.length, 1);
      assert.equal(events[0]?.actor_id, user.id);
      const detail = String(events[0]?.detail);
      assert.match(detail, /email-code/);
      assert.ok(!detail.includes(next) && !detail.includes(address), detail);
    });

    test('a code is bound to its address and its user', async () => {
      const alice = await newUser(t);
      const mallory = await newUser(t);
      const address = newAddress();
      const code = await emailedCode(t, alice, address);

      assert.equal((await verify(t, alice, newAddress(), code)).statusCode, 400);
      assert.equal((await verify(t, mallory, address, code)).statusCode, 400);
      assert.equal((await verify(t, alice, address, code)).statusCode, 200);
    });

    test('asking again replaces the old code', async () => {
      const user = await newUser(t);
      const address = newAddress();
      const first = await emailedCode(t, user, address, 1);
      const second = await emailedCode(t, user, address, 2);
      if (first !== second) assert.deepEqual((await verify(t, user, address, first)).json(), badRequest);
      assert.equal((await verify(t, user, address, second)).statusCode, 200);
    });

    test('without a code, verification is 400', async () => {
      const user = await newUser(t);
      const res = await verify(t, user, newAddress(), '123456');
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json(), badRequest);
    });

    test('four wrong tries leave the fifth; after five wrong tries even the right code fails', async () => {
      const lucky = await newUser(t);
      const luckyAddress = newAddress();
      const luckyCode = await emailedCode(t, lucky, luckyAddress);
      for (let i = 0; i < 4; i++) assert.equal((await verify(t, lucky, luckyAddress, wrongCode(luckyCode))).statusCode, 400);
      assert.equal((await verify(t, lucky, luckyAddress, luckyCode)).statusCode, 200);

      const unlucky = await newUser(t);
      const address = newAddress();
      const code = await emailedCode(t, unlucky, address);
      for (let i = 0; i < 5; i++) assert.equal((await verify(t, unlucky, address, wrongCode(code))).statusCode, 400);
      const dead = await verify(t, unlucky, address, code);
      assert.equal(dead.statusCode, 400);
      assert.deepEqual(dead.json(), badRequest);
      assert.equal((await t.app.context.usersRepository.findById(unlucky.id))?.email, null);
    });

    test('the same code sent twice at once works for exactly one request', async () => {
      const user = await newUser(t);
      const address = newAddress();
      const code = await emailedCode(t, user, address);
      const results = await Promise.all([1, 2, 3].map(() => verify(t, user, address, code)));
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 400, 400]);
    });

    test('an address another account holds: the same answer as a free one, a notice instead of a code, and verifying fails like a wrong code', async () => {
      const alice = await newUser(t);
      const bob = await newUser(t);
      const carol = await newUser(t);
      const address = newAddress();
      const bobsCode = await emailedCode(t, bob, address, 1);
      const alicesCode = await emailedCode(t, alice, address, 2);
      assert.equal((await verify(t, alice, address, alicesCode)).statusCode, 200);

      // A code sent before another account took the address: whoever reads that mailbox may hear why.
      const lateVerify = await verify(t, bob, address, bobsCode);
      assert.equal(lateVerify.statusCode, 409);

      // Dave holds another address outright; Carol asks for it.
      const dave = await newUser(t);
      const davesAddress = newAddress();
      await t.app.context.usersRepository.update(dave.id, { email: davesAddress, is_verified: true });
      const held = await requestCode(t, carol, davesAddress.toUpperCase());
      const free = await requestCode(t, carol, newAddress());
      assert.equal(held.statusCode, 200);
      assert.deepEqual(held.json(), { email: davesAddress, expires_in: free.json().expires_in });
      assert.equal((await requestCode(t, carol, davesAddress)).statusCode, 200);

      const notice = await waitForMessage(smtp, davesAddress, 'Someone tried to use your email address on Spruce');
      assert.doesNotMatch(notice, /on Spruce is \d{6}/);
      await sleep(200);
      assert.equal(messagesTo(smtp, davesAddress, codeSubject).length, 0, 'no code to an address another account holds');
      for (const otp of [alicesCode, bobsCode, '000000']) {
        const res = await verify(t, carol, davesAddress, otp);
        assert.equal(res.statusCode, 400);
        assert.deepEqual(res.json(), badRequest);
      }
      assert.equal((await t.app.context.usersRepository.findById(carol.id))?.email, null);

      // The owner may ask for the address it already holds, and gets a code.
      assert.equal((await requestCode(t, dave, davesAddress)).statusCode, 200);
      await waitForMessage(smtp, davesAddress, codeSubject);
    });

    test('the cooldown applies before anything else, whoever holds the address', async () => {
      const alice = await newUser(slow);
      const mallory = await newUser(slow);
      const address = newAddress();
      await slow.app.context.usersRepository.update(alice.id, { email: address, is_verified: true });
      assert.equal((await requestCode(slow, mallory, newAddress())).statusCode, 200);
      const held = await requestCode(slow, mallory, address);
      const free = await requestCode(slow, mallory, newAddress());
      assert.equal(held.statusCode, 429);
      assert.equal(free.statusCode, 429);
      assert.deepEqual(held.json(), free.json());
    });

    test('an address gets at most OTP_DAILY_LIMIT codes a day, whoever asks; then 429 with Retry-After', async () => {
      const address = newAddress();
      for (let i = 0; i < 3; i++) assert.equal((await requestCode(t, await newUser(t), address)).statusCode, 200);
      const refused = await requestCode(t, await newUser(t), address);
      assert.equal(refused.statusCode, 429);
      assert.match(refused.json().detail, /today/);
      const retryAfter = Number(refused.headers['retry-after']);
      assert.ok(retryAfter > 23 * 3600 && retryAfter <= 24 * 3600, `Retry-After ${retryAfter}`);
      await sleep(200);
      assert.equal(messagesTo(smtp, address, codeSubject).length, 3);
    });

    test('one code per OTP_RESEND_SECONDS per user: a second request is 429 with Retry-After', async () => {
      const user = await newUser(slow);
      assert.equal((await requestCode(slow, user, newAddress())).statusCode, 200);
      const again = await requestCode(slow, user, newAddress());
      assert.equal(again.statusCode, 429);
      assert.match(again.json().detail, /Wait/);
      const retryAfter = Number(again.headers['retry-after']);
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      // Other users are not held back.
      assert.equal((await requestCode(slow, await newUser(slow), newAddress())).statusCode, 200);
    });

    test('an expired code is refused', async () => {
      const user = await newUser(slow);
      const address = newAddress();
      const res = await requestCode(slow, user, address);
      assert.deepEqual(res.json(), { email: address, expires_in: 1 });
      const code = codeIn(await waitForMessage(smtp, address, codeSubject));
      await sleep(2100);
      const late = await verify(slow, user, address, code);
      assert.equal(late.statusCode, 400);
      assert.deepEqual(late.json(), badRequest);
    });

    test('bad input is 422; no token is 401', async () => {
      const user = await newUser(t);
      const cases: [string, unknown][] = [
        [otpUrl, { email: 'not-an-email' }],
        [otpUrl, {}],
        [otpUrl, { email: `${'a'.repeat(320)}@example.com` }],
        [verifyUrl, { email: 'a@example.com', otp: '12345' }],
        [verifyUrl, { email: 'a@example.com', otp: 'abcdef' }],
        [verifyUrl, { email: 'a@example.com', otp: 1_000_000 }],
        [verifyUrl, { email: 'a@example.com', otp: -1 }],
        [verifyUrl, { email: 'a@example.com', otp: 12.5 }],
        [verifyUrl, { email: 'a@example.com' }],
        [verifyUrl, { email: 'nope', otp: '123456' }],
      ];
      for (const [url, payload] of cases) {
        const res = await t.inject({ method: 'POST', url, headers: user.headers, payload: payload as object });
        assert.equal(res.statusCode, 422, `${url} ${JSON.stringify(payload)}: ${res.body}`);
        assert.ok(Array.isArray(res.json().detail));
      }
      for (const url of [otpUrl, verifyUrl]) {
        const res = await t.inject({ method: 'POST', url, payload: { email: 'a@example.com', otp: '123456' } });
        assert.equal(res.statusCode, 401);
        assert.deepEqual(res.json(), { detail: 'Not Authorized' });
      }
    });
  });
}

describe('email verification with Redis unreachable', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite', { REDIS_URL: 'redis://127.0.0.1:1' });
  });
  after(() => t.close());

  test('the OTP routes answer 503 quickly while sign-up and /todos keep working', async () => {
    const signUp = await t.inject({ method: 'POST', url: '/users/sign-up', payload: { username: 'offline_user', password: 'correct-horse-9' } });
    assert.equal(signUp.statusCode, 201);
    // Log-in is throttled through the store, so the token is issued directly.
    const user = await t.app.context.usersRepository.findById(signUp.json().id);
    const headers = { authorization: `Bearer ${t.app.context.users.issueAccessToken(user!)}` };

    const todosStarted = Date.now();
    const todos = await t.inject({ method: 'GET', url: '/todos', headers });
    assert.equal(todos.statusCode, 200);
    assert.ok(Date.now() - todosStarted < 2000, 'a dead store does not slow the other routes down');

    for (const [url, payload] of [
      [otpUrl, { email: 'offline@example.com' }],
      [verifyUrl, { email: 'offline@example.com', otp: '123456' }],
    ] as const) {
      const started = Date.now();
      const res = await t.inject({ method: 'POST', url, headers, payload });
      const elapsed = Date.now() - started;
      assert.equal(res.statusCode, 503, res.body);
      assert.equal(typeof res.json().detail, 'string');
      assert.ok(elapsed < 2000, `${url} took ${elapsed} ms`);
    }
  });
});
