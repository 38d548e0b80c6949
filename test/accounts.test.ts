import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { apiPassword, apiUser, bearer, logIn, mailedTokens, register, type ApiUser } from './helpers/api-accounts.js';
import { deleteKeysWithPrefix } from './infra/support/redis.js';
import { createTestApp, dialects, newUser, uniqueName, type TestApp } from './helpers/test-app.js';
import { suiteUnless } from './helpers/suite.js';

const publicUserKeys = ['created_at', 'email', 'id', 'is_active', 'is_superuser', 'is_verified', 'login_notices', 'mfa_enabled', 'name', 'updated_at'];

for (const dialect of dialects) {
  describe(`/api accounts on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, {
        LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
        LOGIN_MAX_FAILURES_PER_ADDRESS: '1000',
        LOGIN_FAILURE_WINDOW_SECONDS: '60',
      });
      mailedTokens(t);
    });
    after(() => t.close());

    const me = (headers: { authorization: string }) => t.inject({ method: 'GET', url: '/api/users/me', headers });
    const todos = (headers: { authorization: string }) => t.inject({ method: 'GET', url: '/todos', headers });
    const post = (url: string, payload: unknown, remoteAddress?: string) =>
      t.inject({ method: 'POST', url, payload: payload as object, ...(remoteAddress === undefined ? {} : { remoteAddress }) });
    const patchMe = (user: { headers: { authorization: string } }, payload: object) =>
      t.inject({ method: 'PATCH', url: '/api/users/me', headers: user.headers, payload });

    describe('OPTIONS /api/users', () => {
      test('204, no body, and an Allow header with the methods routed on the path', async () => {
        for (const url of ['/api/users', '/api/users/']) {
          const res = await t.inject({ method: 'OPTIONS', url });
          assert.equal(res.statusCode, 204);
          assert.equal(res.body, '');
          const allowed = new Set(String(res.headers.allow).split(',').map((m) => m.trim().toLowerCase()));
          assert.deepEqual(allowed, new Set(['get', 'head', 'post', 'options']));
        }
      });
    });

    describe('POST /api/users', () => {
      test('the seed’s success case: 201 with the public user, and the row exists', async () => {
        const newUser = { email: 'shakira@shakira.io', name: 'shakirashakira', password: 'chantaje@1' };
        assert.equal(await t.app.context.usersRepository.findByEmail(newUser.email), null);
        const res = await register(t, newUser);
        assert.equal(res.statusCode, 201);
        const body = res.json();
        assert.deepEqual(Object.keys(body).sort(), publicUserKeys);
        const row = await t.app.context.usersRepository.findByEmail(newUser.email);
        assert.ok(row);
        assert.equal(row.email, newUser.email);
        assert.equal(row.username, newUser.name);
        assert.ok(row.hashedPassword.startsWith('$argon2id$'));
        assert.deepEqual(body, {
          id: row.id,
          email: row.email,
          name: row.username,
          is_active: true,
          is_superuser: false,
          is_verified: false,
          mfa_enabled: false,
          login_notices: true,
          created_at: row.createdAt.toISOString(),
          updated_at: row.updatedAt.toISOString(),
        });
      });

      const failures: [string, string, number][] = [
        ['email', 'shakira@shakira.io', 400],
        ['name', 'sha', 422],
        ['name', 'shafasdfsdwerewfsdfxcvxcvxcv', 422],
        ['email', 'invalid_email@one@two.io', 422],
        ['password', 'short', 422],
        ['password', 'long'.repeat(36), 422],
        ['password', 'pattern@', 422],
        ['name', 'shakira@#$%^<>', 422],
        ['name', 'ab', 422],
      ];
      for (const [attr, value, status] of failures) {
        test(`the seed’s refusals: ${attr} ${JSON.stringify(value).slice(0, 24)} is ${status}`, async () => {
          if ((await t.app.context.usersRepository.findByEmail('shakira@shakira.io')) === null) {
            await register(t, { email: 'shakira@shakira.io', name: 'shakirashakira', password: 'chantaje@1' });
          }
          const name = uniqueName('nt_');
          const newUser: Record<string, string> = { email: `${name}@email.io`, name, password: 'freepassword@1' };
          newUser[attr] = value;
          const res = await register(t, newUser);
          assert.equal(res.statusCode, status);
          if (status === 400) {
            assert.deepEqual(res.json(), { detail: 'That email is already taken. Login with that email or register with another one.' });
          } else {
            assert.deepEqual(res.json().detail[0].loc, ['body', 'new_user', attr]);
          }
          assert.equal(await t.app.context.usersRepository.findByUsername(name), null, 'no row is written');
        });
      }

      test('the email is taken without regard to case, and stored lower-cased', async () => {
        const name = uniqueName('Mixed');
        const created = await register(t, { email: `${name}@Example.COM`, name, password: apiPassword });
        assert.equal(created.json().email, `${name.toLowerCase()}@example.com`);
        const again = await register(t, { email: `${name.toUpperCase()}@example.com`, name: uniqueName('other'), password: apiPassword });
        assert.equal(again.statusCode, 400);
        assert.match(again.json().detail, /email is already taken/);
      });

      test('a name taken in any case, also by a ToDo sign-up, is 400 with its own message', async () => {
        const api = await apiUser(t);
        const todoUser = await newUser(t);
        for (const name of [api.name.toUpperCase(), todoUser.username]) {
          const res = await register(t, { email: `${uniqueName('x')}@example.com`, name, password: apiPassword });
          assert.equal(res.statusCode, 400);
          assert.deepEqual(res.json(), { detail: 'That name is already taken. Register with another one.' });
        }
      });

      test('flags in the body are ignored; a verify token is handed to the mail hook but never returned', async () => {
        const name = uniqueName('flag');
        const email = `${name}@example.com`;
        const res = await register(t, { email, name, password: apiPassword, is_superuser: true, is_verified: true, is_active: false });
        assert.equal(res.statusCode, 201);
        assert.equal(res.json().is_superuser, false);
        assert.equal(res.json().is_verified, false);
        assert.equal(res.json().is_active, true);
        const token = mailedTokens(t).verify.get(email);
        assert.ok(token);
        assert.ok(!res.body.includes(token));
      });

      test('registrations racing for one email, or for one name: exactly one wins', async () => {
        const email = `${uniqueName('race')}@example.com`;
        const sameEmail = await Promise.all(
          [email, email.toUpperCase(), email].map((e) => register(t, { email: e, name: uniqueName('race'), password: apiPassword })),
        );
        assert.deepEqual(sameEmail.map((r) => r.statusCode).sort(), [201, 400, 400]);
        const name = uniqueName('race');
        const sameName = await Promise.all(
          [name, name.toUpperCase(), name].map((n) => register(t, { email: `${uniqueName('r')}@example.com`, name: n, password: apiPassword })),
        );
        assert.deepEqual(sameName.map((r) => r.statusCode).sort(), [201, 400, 400]);
        assert.deepEqual(new Set(sameName.filter((r) => r.statusCode === 400).map((r) => r.json().detail)), new Set(['That name is already taken. Register with another one.']));
      });

      test('a missing or wrongly typed body is 422', async () => {
        for (const payload of [{}, { new_user: {} }, { email: 'a@b.io', name: 'abcd', password: apiPassword }, { new_user: { email: 'a@b.io', name: 1234, password: apiPassword } }]) {
          const res = await post('/api/users', payload);
          assert.equal(res.statusCode, 422, JSON.stringify(payload));
        }
      });
    });

    describe('POST /api/token', () => {
      test('logs in with the email or the name, as a form; the token works on both route families', async () => {
        const user = await apiUser(t);
        for (const username of [user.email, user.email.toUpperCase(), user.name, user.name.toLowerCase()]) {
          const res = await logIn(t, username, apiPassword);
          assert.equal(res.statusCode, 200, username);
          const body = res.json();
          // Issue 11 adds the session's refresh token and the access token's lifetime to today's two fields.
          assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
          assert.equal(body.token_type, 'bearer');
          assert.equal((await me(bearer(body.access_token))).json().id, user.id);
          assert.equal((await todos(bearer(body.access_token))).statusCode, 200);
        }
        assert.equal((await t.inject({ method: 'POST', url: '/api/token/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `username=${encodeURIComponent(user.email)}&password=${encodeURIComponent(apiPassword)}` })).statusCode, 200);
      });

      test('unknown user, wrong password and inactive account are the same 400 LOGIN_BAD_CREDENTIALS', async () => {
        const user = await apiUser(t);
        const inactive = await apiUser(t);
        await t.app.context.usersRepository.update(inactive.id, { is_active: false });
        const responses = [
          await logIn(t, `${uniqueName('nobody')}@example.com`, apiPassword),
          await logIn(t, uniqueName('nobody'), apiPassword),
          await logIn(t, user.email, 'wrong-password-1'),
          await logIn(t, inactive.email, apiPassword),
        ];
        for (const res of responses) {
          assert.equal(res.statusCode, 400);
          // FastAPI Users' detail, and OAuth2's error fields (RFC 6749, section 5.2) for Swagger's Authorize and other OAuth2 clients.
          assert.deepEqual(res.json(), {
            detail: 'LOGIN_BAD_CREDENTIALS',
            error: 'invalid_grant',
            error_description: 'LOGIN_BAD_CREDENTIALS: wrong email, name or password, or the account is disabled.',
          });
        }
      });

      test('LOGIN_USER_NOT_VERIFIED only when the password is right', async () => {
        const user = await apiUser(t, { verified: false });
        assert.equal((await logIn(t, user.email, 'wrong-password-1')).json().detail, 'LOGIN_BAD_CREDENTIALS');
        const res = await logIn(t, user.email, apiPassword);
        assert.equal(res.statusCode, 400);
        assert.equal(res.json().detail, 'LOGIN_USER_NOT_VERIFIED');
        assert.equal(res.json().error, 'invalid_grant');
        assert.match(res.json().error_description, /^LOGIN_USER_NOT_VERIFIED: confirm your email address/);
      });

      test('missing fields are 422', async () => {
        const res = await t.inject({ method: 'POST', url: '/api/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'username=abcd' });
        assert.equal(res.statusCode, 422);
        assert.deepEqual(res.json().detail[0].loc, ['body', 'password']);
        assert.equal(res.json().error, 'invalid_request');
        assert.equal(res.json().error_description, 'password: Field required');
        const grant = await t.inject({ method: 'POST', url: '/api/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'username=abcd&password=x&grant_type=client_credentials' });
        assert.equal(grant.statusCode, 422);
        assert.equal(grant.json().error, 'unsupported_grant_type');
      });

      test('repeated failures on one account are throttled: 429 with Retry-After, even with the right password', async () => {
        const user = await apiUser(t);
        for (let i = 0; i < 3; i++) assert.equal((await logIn(t, user.email, `wrong-pass-${i}`)).statusCode, 400);
        const blocked = await logIn(t, user.email, apiPassword);
        assert.equal(blocked.statusCode, 429);
        const retryAfter = Number(blocked.headers['retry-after']);
        assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
        // One counter per account, whichever of its names is typed.
        assert.equal((await logIn(t, user.name, apiPassword)).statusCode, 429);
      });
    });

    describe('verification', () => {
      test('request-verify-token answers the same 202 for an unverified, a verified and an unknown email; only the first gets a token', async () => {
        const unverified = await apiUser(t, { verified: false });
        const verified = await apiUser(t);
        const unknown = `${uniqueName('ghost')}@example.com`;
        const tokens = mailedTokens(t).verify;
        tokens.clear(); // forget the tokens sent at registration
        const responses = [];
        for (const email of [unverified.email, verified.email, unknown]) {
          const res = await post('/api/auth/request-verify-token', { email });
          responses.push({ status: res.statusCode, body: res.body, type: res.headers['content-type'] });
        }
        assert.deepEqual(responses[0], { status: 202, body: 'null', type: 'application/json; charset=utf-8' });
        assert.deepEqual(responses[1], responses[0]);
        assert.deepEqual(responses[2], responses[0]);
        assert.ok(tokens.get(unverified.email));
        assert.equal(tokens.get(verified.email), undefined);
        assert.equal(tokens.get(unknown), undefined);
        assert.equal((await post('/api/auth/request-verify-token', { email: 'not-an-email' })).statusCode, 422);
      });

      test('verify: 200 with the user, then VERIFY_USER_ALREADY_VERIFIED; log-in works afterwards', async () => {
        const user = await apiUser(t, { verified: false });
        const token = mailedTokens(t).verify.get(user.email) as string;
        const res = await post('/api/auth/verify', { token });
        assert.equal(res.statusCode, 200);
        assert.deepEqual(Object.keys(res.json()).sort(), publicUserKeys);
        assert.equal(res.json().is_verified, true);
        assert.equal(res.json().id, user.id);
        const again = await post('/api/auth/verify', { token });
        assert.equal(again.statusCode, 400);
        assert.deepEqual(again.json(), { detail: 'VERIFY_USER_ALREADY_VERIFIED' });
        assert.equal((await logIn(t, user.email, apiPassword)).statusCode, 200);
      });

      test('bad tokens are 400 VERIFY_USER_BAD_TOKEN; an empty token is 422', async () => {
        const user = await apiUser(t, { verified: false });
        const token = mailedTokens(t).verify.get(user.email) as string;
        const [head, body, signature] = token.split('.') as [string, string, string];
        const tampered = `${head}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), email: 'x@y.io' })).toString('base64url')}.${signature}`;
        for (const bad of ['garbage', `${head}.${body}`, tampered, `${token}x`]) {
          const res = await post('/api/auth/verify', { token: bad });
          assert.equal(res.statusCode, 400);
          assert.deepEqual(res.json(), { detail: 'VERIFY_USER_BAD_TOKEN' });
        }
        assert.equal((await post('/api/auth/verify', { token: '' })).statusCode, 422);
      });

      test('a token for an earlier email does not verify the new one', async () => {
        const user = await apiUser(t);
        // Sent at registration for the first email; after the change below the account is unverified again.
        const oldToken = mailedTokens(t).verify.get(user.email);
        const newEmail = `${uniqueName('moved')}@example.com`;
        // A superuser's change: it takes effect at once, unverified, and a verify token goes to the new email.
        await t.app.context.usersAdmin.update(user.id, { email: newEmail }, null);
        const res = await post('/api/auth/verify', { token: oldToken });
        assert.deepEqual(res.json(), { detail: 'VERIFY_USER_BAD_TOKEN' });
        const fresh = await post('/api/auth/verify', { token: mailedTokens(t).verify.get(newEmail) });
        assert.equal(fresh.statusCode, 200);
        assert.equal(fresh.json().email, newEmail);
      });
    });

    describe('password reset', () => {
      const forgot = (email: string, remoteAddress?: string) => post('/api/auth/forgot-password', { email }, remoteAddress);
      const reset = (token: string | undefined, password: string) => post('/api/auth/reset-password', { token, password });

      test('forgot-password answers the same 202 for a known, an inactive and an unknown email; only the known one gets a token', async () => {
        const user = await apiUser(t);
        const inactive = await apiUser(t);
        await t.app.context.usersRepository.update(inactive.id, { is_active: false });
        const unknown = `${uniqueName('ghost')}@example.com`;
        const responses = [];
        for (const email of [user.email, inactive.email, unknown]) {
          const res = await forgot(email);
          responses.push({ status: res.statusCode, body: res.body });
        }
        assert.deepEqual(responses, [0, 1, 2].map(() => ({ status: 202, body: 'null' })));
        const tokens = mailedTokens(t).reset;
        assert.ok(tokens.get(user.email));
        assert.equal(tokens.get(inactive.email), undefined);
        assert.equal(tokens.get(unknown), undefined);
        assert.equal((await forgot('nope')).statusCode, 422);
      });

      test('reset: 200; older tokens stop working everywhere; the new password logs in; the token works once', async () => {
        const user = await apiUser(t);
        const events: string[] = [];
        t.app.context.accountEvents.on('password-reset', (e) => void (e.user.id === user.id && events.push('password-reset')));
        await forgot(user.email);
        const token = mailedTokens(t).reset.get(user.email);
        const res = await reset(token, 'brand-new-pass-1');
        assert.equal(res.statusCode, 200);
        assert.equal(res.body, 'null');
        assert.deepEqual(events, ['password-reset']);
        assert.equal((await me(user.headers)).statusCode, 401);
        assert.equal((await todos(user.headers)).statusCode, 401);
        assert.equal((await logIn(t, user.email, apiPassword)).json().detail, 'LOGIN_BAD_CREDENTIALS');
        const fresh = await logIn(t, user.email, 'brand-new-pass-1');
        assert.equal(fresh.statusCode, 200);
        assert.equal((await me(bearer(fresh.json().access_token))).statusCode, 200);
        const reused = await reset(token, 'another-new-pass-2');
        assert.equal(reused.statusCode, 400);
        assert.deepEqual(reused.json(), { detail: 'RESET_PASSWORD_BAD_TOKEN' });
      });

      test('a reset is one transaction: when ending its sessions fails, the password, its event and the sessions stay as they were', async () => {
        const user = await apiUser(t);
        await forgot(user.email);
        const token = mailedTokens(t).reset.get(user.email);
        const { audit, database } = t.app.context;
        const resetEvents = async () =>
          (await database.db.selectFrom('audit_events').select('id').where('subject_id', '=', user.id).where('event', '=', 'password.reset').execute()).length;
        const original = audit.record;
        audit.record = async (event, entry, context, trx) => {
          if (event === 'session.ended' && entry.subjectId === user.id) throw new Error('ending the sessions fails');
          return original.call(audit, event, entry, context, trx);
        };
        try {
          assert.equal((await reset(token, 'brand-new-pass-1')).statusCode, 500);
        } finally {
          audit.record = original;
        }
        assert.equal(await resetEvents(), 0);
        assert.equal((await me(user.headers)).statusCode, 200, 'the session lives on');
        assert.equal((await logIn(t, user.email, apiPassword)).statusCode, 200, 'the old password still works');
        // The token is still good: the stored hash it is bound to never changed.
        assert.equal((await reset(token, 'brand-new-pass-1')).statusCode, 200);
        assert.equal(await resetEvents(), 1);
      });

      test('a reset token dies when the password is changed another way', async () => {
        const user = await apiUser(t);
        await forgot(user.email);
        const token = mailedTokens(t).reset.get(user.email);
        const changed = await patchMe(user, { password: 'changed-pass-1', current_password: apiPassword });
        assert.equal(changed.statusCode, 200);
        assert.deepEqual((await reset(token, 'brand-new-pass-1')).json(), { detail: 'RESET_PASSWORD_BAD_TOKEN' });
      });

      test('a password that breaks the policy is 400 with code and reason, and the token is not spent', async () => {
        const user = await apiUser(t);
        await forgot(user.email);
        const token = mailedTokens(t).reset.get(user.email);
        const res = await reset(token, 'short');
        assert.equal(res.statusCode, 400);
        assert.equal(res.json().detail.code, 'RESET_PASSWORD_INVALID_PASSWORD');
        assert.match(res.json().detail.reason, /at least 10 characters/);
        assert.equal((await reset(token, 'brand-new-pass-1')).statusCode, 200);
      });

      test('two resets racing with one token: exactly one wins', async () => {
        const user = await apiUser(t);
        await forgot(user.email);
        const token = mailedTokens(t).reset.get(user.email);
        const results = await Promise.all([reset(token, 'racing-pass-1'), reset(token, 'racing-pass-2'), reset(token, 'racing-pass-3')]);
        assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 400, 400]);
      });

      test('bad tokens are RESET_PASSWORD_BAD_TOKEN, also for an account made inactive', async () => {
        const user = await apiUser(t);
        await forgot(user.email);
        const token = mailedTokens(t).reset.get(user.email) as string;
        assert.deepEqual((await reset('garbage', 'brand-new-pass-1')).json(), { detail: 'RESET_PASSWORD_BAD_TOKEN' });
        await t.app.context.usersRepository.update(user.id, { is_active: false });
        assert.deepEqual((await reset(token, 'brand-new-pass-1')).json(), { detail: 'RESET_PASSWORD_BAD_TOKEN' });
      });

      test('forgot-password is throttled per email and per address with 429 and Retry-After', async () => {
        const user = await apiUser(t);
        const address = `10.9.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
        for (let i = 0; i < 3; i++) assert.equal((await forgot(user.email, `10.1.0.${i}`)).statusCode, 202);
        const blocked = await forgot(user.email.toUpperCase(), '10.1.0.9');
        assert.equal(blocked.statusCode, 429);
        assert.ok(Number(blocked.headers['retry-after']) >= 1);
        // Another email from a fresh address still goes through.
        assert.equal((await forgot(`${uniqueName('other')}@example.com`, address)).statusCode, 202);
      });
    });

    describe('tokens of one kind are refused as another', () => {
      test('access, verify and reset tokens each work only where they belong', async () => {
        const unverified = await apiUser(t, { verified: false });
        const verifyToken = mailedTokens(t).verify.get(unverified.email) as string;
        const user = await apiUser(t);
        await post('/api/auth/forgot-password', { email: user.email });
        const resetToken = mailedTokens(t).reset.get(user.email) as string;

        for (const token of [verifyToken, resetToken]) {
          assert.equal((await me(bearer(token))).statusCode, 401);
          assert.equal((await todos(bearer(token))).statusCode, 401);
        }
        for (const token of [user.token, resetToken]) {
          assert.deepEqual((await post('/api/auth/verify', { token })).json(), { detail: 'VERIFY_USER_BAD_TOKEN' });
        }
        for (const token of [user.token, verifyToken]) {
          assert.deepEqual((await post('/api/auth/reset-password', { token, password: 'brand-new-pass-1' })).json(), { detail: 'RESET_PASSWORD_BAD_TOKEN' });
        }
        // Each is still good where it belongs.
        assert.equal((await post('/api/auth/verify', { token: verifyToken })).statusCode, 200);
        assert.equal((await post('/api/auth/reset-password', { token: resetToken, password: 'brand-new-pass-1' })).statusCode, 200);
      });
    });

    describe('POST /api/auth/logout', () => {
      test('204, and that token is refused on /api and /todos; another token of the account still works', async () => {
        const user = await apiUser(t);
        const second = (await logIn(t, user.email, apiPassword)).json().access_token as string;
        const res = await t.inject({ method: 'POST', url: '/api/auth/logout', headers: user.headers });
        assert.equal(res.statusCode, 204);
        assert.equal(res.body, '');
        assert.equal((await me(user.headers)).statusCode, 401);
        assert.equal((await todos(user.headers)).statusCode, 401);
        assert.equal((await t.inject({ method: 'POST', url: '/api/auth/logout', headers: user.headers })).statusCode, 401);
        assert.equal((await me(bearer(second))).statusCode, 200);
      });

      test('without a token it is 401', async () => {
        const res = await t.inject({ method: 'POST', url: '/api/auth/logout' });
        assert.equal(res.statusCode, 401);
        assert.deepEqual(res.json(), { detail: 'Not Authorized' });
      });
    });

    describe('/api/users/me', () => {
      test('GET returns the caller; no token is 401', async () => {
        const user = await apiUser(t);
        const res = await me(user.headers);
        assert.equal(res.statusCode, 200);
        assert.deepEqual(Object.keys(res.json()).sort(), publicUserKeys);
        assert.equal(res.json().email, user.email);
        assert.equal((await t.inject({ method: 'GET', url: '/api/users/me/' })).statusCode, 401);
      });

      test('PATCH changes the name; flags are ignored; a taken name is UPDATE_USER_NAME_ALREADY_EXISTS', async () => {
        const user = await apiUser(t);
        const other = await apiUser(t);
        const name = uniqueName('renamed');
        const res = await patchMe(user, { name, is_superuser: true, is_verified: false, is_active: false });
        assert.equal(res.statusCode, 200);
        assert.equal(res.json().name, name);
        assert.equal(res.json().is_superuser, false);
        assert.equal(res.json().is_verified, true);
        assert.equal(res.json().is_active, true);
        const taken = await patchMe(user, { name: other.name.toUpperCase() });
        assert.equal(taken.statusCode, 400);
        assert.deepEqual(taken.json(), { detail: 'UPDATE_USER_NAME_ALREADY_EXISTS' });
        assert.equal((await patchMe(user, { name: 'ab' })).statusCode, 422);
      });

      test('PATCH email needs current_password and changes nothing until confirmed; a taken email is UPDATE_USER_EMAIL_ALREADY_EXISTS', async () => {
        const user = await apiUser(t);
        const other = await apiUser(t);
        const email = `${uniqueName('new')}@example.com`;
        const res = await patchMe(user, { email: email.toUpperCase(), current_password: apiPassword });
        assert.equal(res.statusCode, 200);
        assert.equal(res.json().email, user.email);
        assert.equal(res.json().is_verified, true);
        assert.equal(mailedTokens(t).verify.get(email), undefined);
        const taken = await patchMe(user, { email: other.email.toUpperCase(), current_password: apiPassword });
        assert.equal(taken.statusCode, 400);
        assert.deepEqual(taken.json(), { detail: 'UPDATE_USER_EMAIL_ALREADY_EXISTS' });
        assert.equal((await patchMe(user, { email: 'invalid_email@one@two.io', current_password: apiPassword })).statusCode, 422);
      });

      test('PATCH password needs the right current_password, follows the policy, and ends older tokens', async () => {
        const user = await apiUser(t);
        const missing = await patchMe(user, { password: 'changed-pass-1' });
        assert.equal(missing.statusCode, 422);
        assert.deepEqual(missing.json().detail[0].loc, ['body', 'current_password']);
        const wrong = await patchMe(user, { password: 'changed-pass-1', current_password: 'wrong-password-1' });
        assert.equal(wrong.statusCode, 400);
        assert.deepEqual(wrong.json(), { detail: 'UPDATE_USER_INVALID_CURRENT_PASSWORD' });
        const weak = await patchMe(user, { password: 'weak', current_password: apiPassword });
        assert.equal(weak.statusCode, 400);
        assert.equal(weak.json().detail.code, 'UPDATE_USER_INVALID_PASSWORD');
        assert.match(weak.json().detail.reason, /at least 10 characters/);

        const ok = await patchMe(user, { password: 'changed-pass-1', current_password: apiPassword });
        assert.equal(ok.statusCode, 200);
        assert.equal((await me(user.headers)).statusCode, 401);
        assert.equal((await todos(user.headers)).statusCode, 401);
        assert.equal((await logIn(t, user.email, apiPassword)).statusCode, 400);
        const fresh = await logIn(t, user.email, 'changed-pass-1');
        assert.equal(fresh.statusCode, 200);
        assert.equal((await me(bearer(fresh.json().access_token))).statusCode, 200);
      });

      test('DELETE needs the right current_password, then removes the account and its todos', async () => {
        const user: ApiUser = await apiUser(t);
        await t.inject({ method: 'POST', url: '/todos', headers: user.headers, payload: { content: 'mine', is_done: false } });
        const del = (payload?: object) => t.inject({ method: 'DELETE', url: '/api/users/me', headers: user.headers, ...(payload ? { payload } : {}) });
        assert.equal((await del()).statusCode, 422);
        const wrong = await del({ current_password: 'wrong-password-1' });
        assert.equal(wrong.statusCode, 400);
        assert.deepEqual(wrong.json(), { detail: 'DELETE_USER_INVALID_CURRENT_PASSWORD' });
        const res = await del({ current_password: apiPassword });
        assert.equal(res.statusCode, 204);
        assert.equal(res.body, '');
        assert.equal(await t.app.context.usersRepository.findById(user.id), null);
        const left = await t.app.context.database.db.selectFrom('todos').select('id').where('user_id', '=', user.id).execute();
        assert.deepEqual(left, []);
        assert.equal((await me(user.headers)).statusCode, 401);
        assert.equal((await logIn(t, user.email, apiPassword)).json().detail, 'LOGIN_BAD_CREDENTIALS');
      });
    });

    describe('Swagger', () => {
      test('the OAuth2 password scheme points at /api/token and guards the bearer routes', async () => {
        const spec = (await t.inject({ method: 'GET', url: '/openapi.json' })).json();
        assert.deepEqual(spec.components.securitySchemes.oauth2Password, { type: 'oauth2', flows: { password: { tokenUrl: '/api/token', scopes: {} } } });
        assert.deepEqual(spec.paths['/api/users/me'].get.security, [{ bearerAuth: [] }, { oauth2Password: [] }]);
      });
    });
  });
}

describe('/api accounts with REQUIRE_VERIFIED_LOGIN=false', () => {
  test('an unverified account logs in', async () => {
    const t = await createTestApp('sqlite', { REQUIRE_VERIFIED_LOGIN: 'false' });
    try {
      const user = await apiUser(t, { verified: false });
      assert.equal((await logIn(t, user.email, apiPassword)).statusCode, 200);
    } finally {
      await t.close();
    }
  });
});

describe('/api/token throttling per client address', () => {
  test('failures from one address across many names are throttled; another address is not', async () => {
    const t = await createTestApp('sqlite', { LOGIN_MAX_FAILURES_PER_ADDRESS: '4' });
    try {
      const user = await apiUser(t);
      for (let i = 0; i < 4; i++) assert.equal((await logIn(t, uniqueName('guess'), 'wrong-pass-1', '10.0.0.1')).statusCode, 400);
      const blocked = await logIn(t, user.email, apiPassword, '10.0.0.1');
      assert.equal(blocked.statusCode, 429);
      assert.ok(Number(blocked.headers['retry-after']) >= 1);
      assert.equal((await logIn(t, user.email, apiPassword, '10.0.0.2')).statusCode, 200);
    } finally {
      await t.close();
    }
  });
});

// With REDIS_URL every app shares one store and broadcast; without Redis there is nothing to share.
suiteUnless('a revoked token across app instances sharing Redis', process.env.TEST_REDIS_URL ? false : 'TEST_REDIS_URL is not set', {}, () => {
  test('a second app sharing the store refuses a token logged out on the first', async () => {
    const shared = { REDIS_URL: process.env.TEST_REDIS_URL as string, REDIS_KEY_PREFIX: `spruce-test-${randomBytes(6).toString('hex')}:` };
    const first = await createTestApp(dialects.at(-1) ?? 'sqlite', shared);
    const second = await createTestApp(first.dialect, { ...first.env, ...shared });
    try {
      const user = await apiUser(first);
      assert.equal((await second.inject({ method: 'GET', url: '/api/users/me', headers: user.headers })).statusCode, 200);
      assert.equal((await first.inject({ method: 'POST', url: '/api/auth/logout', headers: user.headers })).statusCode, 204);
      // The second app cached "not revoked" a moment ago; the Redis broadcast reaches it within milliseconds.
      const deadline = Date.now() + 2_000;
      let status = 200;
      while (status !== 401 && Date.now() < deadline) {
        status = (await second.inject({ method: 'GET', url: '/api/users/me', headers: user.headers })).statusCode;
        if (status !== 401) await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(status, 401);
      assert.equal((await second.inject({ method: 'GET', url: '/todos', headers: user.headers })).statusCode, 401);
    } finally {
      await second.close();
      await first.close();
      await deleteKeysWithPrefix(shared.REDIS_URL, shared.REDIS_KEY_PREFIX);
    }
  });
});
