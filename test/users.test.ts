import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import bcrypt from 'bcrypt';
import { createSigner } from 'fast-jwt';
import { createTestApp, dialects, newUser, testPassword, uniqueName, type TestApp } from './helpers/test-app.js';

for (const dialect of dialects) {
  describe(`ToDo account routes on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_FAILURE_WINDOW_SECONDS: '60' });
    });
    after(() => t.close());

    const signUp = (username: string, password = testPassword) =>
      t.inject({ method: 'POST', url: '/users/sign-up', payload: { username, password } });
    const logIn = (username: string, password = testPassword) =>
      t.inject({ method: 'POST', url: '/users/log-in', payload: { username, password } });

    describe('POST /users/sign-up', () => {
      test('creates the account: 201 with id and username, and the password is stored as argon2id', async () => {
        const username = uniqueName('Ann_');
        const res = await signUp(username);
        assert.equal(res.statusCode, 201);
        const body = res.json();
        assert.deepEqual(Object.keys(body).sort(), ['id', 'username']);
        assert.equal(body.username, username);
        assert.match(body.id, /^[0-9a-f-]{36}$/);
        const user = await t.app.context.usersRepository.findById(body.id);
        assert.ok(user?.hashedPassword.startsWith('$argon2id$'));
        assert.equal(user?.isActive, true);
        assert.equal(user?.isSuperuser, false);
        assert.equal(user?.isVerified, false);
        assert.equal(user?.email, null);
      });

      test('a username taken in any letter case is 400 with the seed message', async () => {
        const username = uniqueName('Case_');
        assert.equal((await signUp(username)).statusCode, 201);
        for (const variant of [username, username.toUpperCase(), username.toLowerCase()]) {
          const res = await signUp(variant);
          assert.equal(res.statusCode, 400);
          assert.deepEqual(res.json(), { detail: 'That username is already taken. Please try another one.' });
        }
      });

      test('two sign-ups racing for one name: exactly one wins', async () => {
        const username = uniqueName('race');
        const results = await Promise.all([signUp(username), signUp(username.toUpperCase()), signUp(username)]);
        assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, 400, 400]);
      });

      test('usernames outside 4 to 20 of [A-Za-z0-9_-] are 422', async () => {
        for (const username of ['abc', 'a'.repeat(21), 'has space', 'shakira@#$%^<>', 'ünïcode', '']) {
          const res = await signUp(username);
          assert.equal(res.statusCode, 422, username);
          assert.deepEqual(res.json().detail[0].loc, ['body', 'username']);
        }
        assert.equal((await signUp(`a-_${uniqueName('').slice(0, 5)}`)).statusCode, 201);
      });

      test('passwords that break the policy are 422 with a reason a person understands', async () => {
        const cases: [string, RegExp][] = [
          ['short-1', /at least 10 characters/],
          [`${'long-1'.repeat(11)}`, /at most 64 characters/],
          ['no-digits-here', /at least one digit/],
          ['1234567890-', /at least one letter/],
          ['letters1234567', /neither a letter nor a digit/],
        ];
        for (const [password, reason] of cases) {
          const res = await signUp(uniqueName('pw'), password);
          assert.equal(res.statusCode, 422, password);
          const messages = res.json().detail.map((d: { msg: string; loc: string[] }) => {
            assert.deepEqual(d.loc, ['body', 'password']);
            return d.msg;
          });
          assert.ok(messages.some((m: string) => reason.test(m)), `${password}: ${messages.join('; ')}`);
        }
      });

      test('missing fields and wrong types are 422', async () => {
        for (const payload of [{}, { username: 'abcd' }, { password: testPassword }, { username: 1234, password: testPassword }]) {
          const res = await t.inject({ method: 'POST', url: '/users/sign-up', payload });
          assert.equal(res.statusCode, 422, JSON.stringify(payload));
        }
      });
    });

    describe('POST /users/log-in', () => {
      test('returns a JWT with sub, exp, iat, jti and the audience; the username is matched without regard to case', async () => {
        const username = uniqueName('Log_');
        const { id } = (await signUp(username)).json();
        const res = await logIn(username.toLowerCase());
        assert.equal(res.statusCode, 200);
        const { access_token } = res.json();
        const payload = JSON.parse(Buffer.from(access_token.split('.')[1], 'base64url').toString());
        assert.equal(payload.sub, id);
        assert.equal(payload.aud, 'spruce:auth');
        // Issue 11: 15-minute access tokens by default; the session's refresh token renews them.
        assert.equal(payload.exp - payload.iat, 900);
        assert.match(payload.jti, /^[0-9a-f-]{36}$/);
        const header = JSON.parse(Buffer.from(access_token.split('.')[0], 'base64url').toString());
        assert.equal(header.alg, 'HS256');
      });

      test('unknown user and wrong password are the same 401 Not Authorized', async () => {
        const username = uniqueName('who');
        await signUp(username);
        const wrong = await logIn(username, 'wrong-password-1');
        const unknown = await logIn(uniqueName('nobody'), testPassword);
        for (const res of [wrong, unknown]) {
          assert.equal(res.statusCode, 401);
          assert.deepEqual(res.json(), { detail: 'Not Authorized' });
        }
      });

      test('an inactive user cannot log in, even with the right password', async () => {
        const username = uniqueName('off');
        const { id } = (await signUp(username)).json();
        await t.app.context.usersRepository.update(id, { is_active: false });
        const res = await logIn(username);
        assert.equal(res.statusCode, 401);
        assert.deepEqual(res.json(), { detail: 'Not Authorized' });
      });

      test('repeated failures are throttled with 429 and Retry-After, also for unknown names', async () => {
        for (const username of [uniqueName('brute'), uniqueName('ghost')]) {
          await signUp(username);
          for (let i = 0; i < 3; i++) assert.equal((await logIn(username, `wrong-pass-${i}`)).statusCode, 401);
          const blocked = await logIn(username);
          assert.equal(blocked.statusCode, 429);
          const retryAfter = Number(blocked.headers['retry-after']);
          assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
        }
      });

      test('a bcrypt hash from the seed still verifies and is re-hashed to argon2id on log-in', async () => {
        const username = uniqueName('legacy');
        const { id } = (await signUp(username)).json();
        await t.app.context.usersRepository.update(id, { hashed_password: await bcrypt.hash(testPassword, 4) });
        assert.equal((await logIn(username, 'wrong-password-1')).statusCode, 401);
        assert.ok((await t.app.context.usersRepository.findById(id))?.hashedPassword.startsWith('$2b$'));
        assert.equal((await logIn(username)).statusCode, 200);
        assert.ok((await t.app.context.usersRepository.findById(id))?.hashedPassword.startsWith('$argon2id$'));
        assert.equal((await logIn(username)).statusCode, 200);
      });

      test('missing fields are 422', async () => {
        const res = await t.inject({ method: 'POST', url: '/users/log-in', payload: { username: 'abcd' } });
        assert.equal(res.statusCode, 422);
        assert.deepEqual(res.json().detail[0].loc, ['body', 'password']);
      });
    });

    describe('bearer tokens', () => {
      const todos = (authorization?: string) =>
        t.inject({ method: 'GET', url: '/todos', headers: authorization === undefined ? {} : { authorization } });
      const sign = (payload: Record<string, unknown>, options: Record<string, unknown> = {}) =>
        createSigner({ key: t.config.secretKey as string, ...options })(payload);

      test('a valid token works', async () => {
        const user = await newUser(t);
        assert.equal((await todos(user.headers.authorization)).statusCode, 200);
      });

      test('missing, malformed, expired, tampered, wrong-audience, wrong-secret and alg=none tokens are 401', async () => {
        const user = await newUser(t);
        const now = Math.floor(Date.now() / 1000);
        const claims = { sub: user.id, jti: randomUUID(), aud: 'spruce:auth' };
        const [head, body, signature] = user.token.split('.') as [string, string, string];
        const tamperedBody = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), sub: randomUUID() })).toString('base64url');
        const noneToken = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${body}.`;
        const headers = [
          undefined,
          '',
          'Bearer',
          'Bearer ',
          `Basic ${user.token}`,
          user.token,
          'Bearer not-a-jwt',
          `Bearer ${head}.${body}`,
          `Bearer ${head}.${tamperedBody}.${signature}`,
          `Bearer ${noneToken}`,
          `Bearer ${sign({ ...claims, iat: now - 7200, exp: now - 3600 })}`,
          `Bearer ${sign({ ...claims, aud: 'spruce:verify' }, { expiresIn: 60_000 })}`,
          `Bearer ${sign({ ...claims, aud: 'someone-else' }, { expiresIn: 60_000 })}`,
          `Bearer ${createSigner({ key: 'x'.repeat(64), expiresIn: 60_000 })(claims)}`,
          `Bearer ${sign({ ...claims }, { expiresIn: 60_000, algorithm: 'HS512' })}`,
          `Bearer ${sign({ aud: 'spruce:auth', jti: randomUUID() }, { expiresIn: 60_000 })}`,
        ];
        for (const authorization of headers) {
          const res = await todos(authorization);
          assert.equal(res.statusCode, 401, String(authorization));
          assert.deepEqual(res.json(), { detail: 'Not Authorized' });
        }
        // The same claims, signed properly, do work: the refusals above are about the token, not the claims.
        assert.equal((await todos(`Bearer ${sign(claims, { expiresIn: 60_000 })}`)).statusCode, 200);
      });

      test('a token of a deleted or deactivated user stops working', async () => {
        const gone = await newUser(t);
        await t.app.context.usersRepository.delete(gone.id);
        await t.app.context.authenticator.accountChanged(gone.id);
        assert.equal((await todos(gone.headers.authorization)).statusCode, 401);

        const off = await newUser(t);
        assert.equal((await todos(off.headers.authorization)).statusCode, 200);
        await t.app.context.usersRepository.update(off.id, { is_active: false });
        await t.app.context.authenticator.accountChanged(off.id);
        assert.equal((await todos(off.headers.authorization)).statusCode, 401);
      });
    });
  });
}
