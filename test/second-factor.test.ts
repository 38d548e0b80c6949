import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { EmailMessage } from '../src/infra/mailer/mailer.js';
import { SecretBox } from '../src/modules/identity/secret-box.js';
import { toUserSummary } from '../src/modules/identity/users.service.js';
import { apiPassword, apiUser, bearer, logIn, mailedTokens, type ApiUser } from './helpers/api-accounts.js';
import { ManualClock } from './helpers/manual-clock.js';
import { createTestApp, dialects, type TestApp } from './helpers/test-app.js';

const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0';
const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

const subjects = {
  enabled: 'Two-step verification is on for your Spruce account',
  disabled: 'Two-step verification was turned off for your Spruce account',
  codesReplaced: 'New recovery codes for your Spruce account',
  codeUsed: 'A recovery code of your Spruce account was used',
  newClient: 'New sign-in to your Spruce account',
  password: 'Your Spruce password was changed',
};

interface Enrolled {
  user: ApiUser;
  secret: string;
  recoveryCodes: string[];
}

for (const dialect of dialects) {
  describe(`second factor on ${dialect}`, () => {
    let t: TestApp;
    const clock = new ManualClock();
    const mails: EmailMessage[] = [];

    before(async () => {
      // The mfa_token's limits are set away from their defaults (300 s, 5 codes), so the test below shows the settings take effect.
      t = await createTestApp(dialect, { MFA_MAX_FAILURES_PER_ACCOUNT: '8', MFA_TOKEN_TTL_SECONDS: '120', MFA_TOKEN_MAX_ATTEMPTS: '4' }, { clock });
      mailedTokens(t);
      const { jobs } = t.app.context;
      const enqueue = jobs.enqueue.bind(jobs);
      jobs.enqueue = async (job) => {
        if (job.name === 'send-email') mails.push(job.data);
        return enqueue(job);
      };
    });
    after(() => t.close());

    const post = (url: string, payload: object, headers: Record<string, string> = {}) => t.inject({ method: 'POST', url, payload, headers });
    const del = (url: string, payload: object | undefined, headers: Record<string, string>) =>
      t.inject({ method: 'DELETE', url, headers, ...(payload === undefined ? {} : { payload }) });
    const me = (headers: Record<string, string>) => t.inject({ method: 'GET', url: '/api/users/me', headers });
    /** The code of the clock's current step (or `steps` away from it), computed from the secret as an app would. */
    const codeOf = (secret: string, steps = 0) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: clock.now() + steps * 30_000 });
    /** Moves to the next time step, so the next code is a fresh one. */
    const nextStep = () => clock.advance(30);
    const mailsTo = (to: string, subject: string) => mails.filter((m) => m.to === to && m.subject === subject);
    /** Waits for the mail hooks, which run without holding up the response. */
    const settled = () => new Promise((resolve) => setTimeout(resolve, 50));
    async function eventsOf(userId: string): Promise<{ event: string; actor_type: string; detail: string | null }[]> {
      return t.app.context.database.db
        .selectFrom('audit_events')
        .select(['event', 'actor_type', 'detail'])
        .where('subject_id', '=', userId)
        .orderBy('created_at')
        .execute();
    }
    const namesOf = async (userId: string) => (await eventsOf(userId)).map((e) => e.event);

    async function enrolled(): Promise<Enrolled> {
      const user = await apiUser(t);
      const started = await post('/api/users/me/mfa/totp', { current_password: apiPassword }, user.headers);
      assert.equal(started.statusCode, 200, started.body);
      const { secret } = started.json();
      nextStep();
      const confirmed = await post('/api/users/me/mfa/totp/confirm', { code: codeOf(secret) }, user.headers);
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      nextStep();
      return { user, secret, recoveryCodes: confirmed.json().recovery_codes };
    }

    /** The first half of a log-in on /api/token: the 401 with its mfa_token. */
    async function mfaTokenOf(user: ApiUser, headers: Record<string, string> = {}): Promise<string> {
      const res = await t.inject({
        method: 'POST',
        url: '/api/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: new URLSearchParams({ username: user.email, password: apiPassword }).toString(),
      });
      assert.equal(res.statusCode, 401, res.body);
      return res.json().mfa_token;
    }
    const finish = (payload: object, headers: Record<string, string> = {}) => post('/api/auth/mfa', payload, headers);

    describe('enrolment', () => {
      test('starts with the current password: a base32 secret, an otpauth URI naming service and account, and a QR code', async () => {
        const user = await apiUser(t);
        assert.equal((await post('/api/users/me/mfa/totp', {}, user.headers)).statusCode, 422);
        const wrong = await post('/api/users/me/mfa/totp', { current_password: 'wrong-password-1' }, user.headers);
        assert.deepEqual([wrong.statusCode, wrong.json()], [400, { detail: 'MFA_INVALID_CURRENT_PASSWORD' }]);
        const res = await post('/api/users/me/mfa/totp', { current_password: apiPassword }, user.headers);
        assert.equal(res.statusCode, 200);
        const body = res.json();
        assert.match(body.secret, /^[A-Z2-7]{32}$/);
        const uri = new URL(body.uri);
        assert.equal(uri.protocol, 'otpauth:');
        assert.equal(uri.host, 'totp');
        assert.equal(decodeURIComponent(uri.pathname), `/Spruce:${user.email}`);
        assert.equal(uri.searchParams.get('issuer'), 'Spruce');
        assert.equal(uri.searchParams.get('secret'), body.secret);
        assert.deepEqual([uri.searchParams.get('algorithm'), uri.searchParams.get('digits'), uri.searchParams.get('period')], ['SHA1', '6', '30']);
        assert.match(body.qr_svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
        assert.equal((await me(user.headers)).json().mfa_enabled, false, 'nothing is on before the first code');

        const row = await t.app.context.database.db.selectFrom('totp_factors').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
        assert.ok(!row.secret_ciphertext.includes(body.secret), 'the secret is stored encrypted');
        assert.match(row.secret_ciphertext, /^v1\./);
      });

      test('starting again replaces the unconfirmed enrolment; a code confirms it and answers 10 single-use recovery codes', async () => {
        const user = await apiUser(t);
        const first = (await post('/api/users/me/mfa/totp', { current_password: apiPassword }, user.headers)).json();
        const second = (await post('/api/users/me/mfa/totp', { current_password: apiPassword }, user.headers)).json();
        assert.notEqual(first.secret, second.secret);
        const stale = await post('/api/users/me/mfa/totp/confirm', { code: codeOf(first.secret) }, user.headers);
        assert.deepEqual([stale.statusCode, stale.json()], [400, { detail: 'MFA_CODE_INVALID' }]);
        const res = await post('/api/users/me/mfa/totp/confirm', { code: codeOf(second.secret) }, user.headers);
        assert.equal(res.statusCode, 200, res.body);
        const codes: string[] = res.json().recovery_codes;
        assert.equal(codes.length, 10);
        assert.equal(new Set(codes).size, 10);
        assert.ok(codes.every((code) => /^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/.test(code)));
        assert.equal((await me(user.headers)).json().mfa_enabled, true);

        const stored = await t.app.context.database.db.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', user.id).execute();
        assert.equal(stored.length, 10);
        assert.ok(stored.every((row) => !codes.includes(row.code_hash) && /^[0-9a-f]{64}$/.test(row.code_hash)), 'only hashes are stored');

        const again = await post('/api/users/me/mfa/totp', { current_password: apiPassword }, user.headers);
        assert.deepEqual([again.statusCode, again.json()], [409, { detail: 'MFA_ALREADY_ENABLED' }]);
        assert.equal((await post('/api/users/me/mfa/totp/confirm', { code: codeOf(second.secret) }, user.headers)).statusCode, 409);
        await settled();
        assert.equal(mailsTo(user.email, subjects.enabled).length, 1);
        const events = await namesOf(user.id);
        assert.deepEqual(events.filter((e) => e.startsWith('mfa.')).sort(), ['mfa.challenge_failed', 'mfa.enabled', 'mfa.enrolment_started', 'mfa.enrolment_started']);
      });

      test('confirm without an enrolment is 409 MFA_ENROLMENT_NOT_STARTED', async () => {
        const user = await apiUser(t);
        const res = await post('/api/users/me/mfa/totp/confirm', { code: '123456' }, user.headers);
        assert.deepEqual([res.statusCode, res.json()], [409, { detail: 'MFA_ENROLMENT_NOT_STARTED' }]);
      });
    });

    describe('log-in with a second factor', () => {
      test('neither log-in route answers a token: 401 LOGIN_MFA_REQUIRED with an mfa_token, which opens nothing else', async () => {
        const { user, secret } = await enrolled();
        const api = await logIn(t, user.email, apiPassword);
        assert.equal(api.statusCode, 401);
        assert.equal(api.headers['www-authenticate'], 'Bearer');
        assert.deepEqual(Object.keys(api.json()).sort(), ['detail', 'mfa_token']);
        assert.equal(api.json().detail, 'LOGIN_MFA_REQUIRED');
        const todo = await post('/users/log-in', { username: user.name, password: apiPassword });
        assert.equal(todo.statusCode, 401);
        assert.equal(todo.headers['www-authenticate'], 'Bearer');
        assert.equal(todo.json().detail, 'LOGIN_MFA_REQUIRED');
        assert.equal(typeof todo.json().mfa_token, 'string');
        assert.equal(todo.json().access_token, undefined);
        // A wrong password still says only that.
        assert.equal((await logIn(t, user.email, 'wrong-password-1')).json().detail, 'LOGIN_BAD_CREDENTIALS');

        for (const token of [api.json().mfa_token, todo.json().mfa_token]) {
          assert.equal((await me(bearer(token))).statusCode, 401);
          assert.equal((await t.inject({ method: 'GET', url: '/todos', headers: bearer(token) })).statusCode, 401);
          assert.equal((await post('/api/auth/refresh', { refresh_token: token })).statusCode, 401);
        }

        const res = await finish({ mfa_token: api.json().mfa_token, code: codeOf(secret) });
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(Object.keys(res.json()).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
        assert.equal((await me(bearer(res.json().access_token))).json().id, user.id);
        assert.equal((await post('/api/auth/refresh', { refresh_token: res.json().refresh_token })).statusCode, 200);
        const events = await namesOf(user.id);
        assert.ok(events.includes('mfa.challenge_issued'));
        // Written in one transaction, at the same instant: their order is not defined.
        assert.deepEqual(events.slice(-2).sort(), ['login.succeeded', 'mfa.login_succeeded']);
      });

      test('the log-in’s refresh_cookie is kept: the second step sets the cookie and leaves the token out of the body', async () => {
        const { user, secret } = await enrolled();
        const todo = await post('/users/log-in', { username: user.name, password: apiPassword, refresh_cookie: true });
        const res = await finish({ mfa_token: todo.json().mfa_token, code: codeOf(secret) });
        assert.equal(res.statusCode, 200);
        assert.equal(res.json().refresh_token, undefined);
        assert.match(String(res.headers['set-cookie']), /^spruce_refresh=.+HttpOnly/);
      });

      test('a code is accepted once: a replay inside its window is refused, even with a new mfa_token', async () => {
        const { user, secret } = await enrolled();
        const code = codeOf(secret);
        assert.equal((await finish({ mfa_token: await mfaTokenOf(user), code })).statusCode, 200);
        const replay = await finish({ mfa_token: await mfaTokenOf(user), code });
        assert.deepEqual([replay.statusCode, replay.json()], [400, { detail: 'MFA_CODE_INVALID' }]);
        // The previous step's code is older than the last accepted: refused too.
        assert.equal((await finish({ mfa_token: await mfaTokenOf(user), code: codeOf(secret, -1) })).statusCode, 400);
        nextStep();
        assert.equal((await finish({ mfa_token: await mfaTokenOf(user), code: codeOf(secret) })).statusCode, 200);
      });

      test('one code sent in parallel with five mfa_tokens: exactly one log-in', async () => {
        const { user, secret } = await enrolled();
        const tokens = await Promise.all(Array.from({ length: 5 }, () => mfaTokenOf(user)));
        const code = codeOf(secret);
        const answers = await Promise.all(tokens.map((mfa_token) => finish({ mfa_token, code })));
        assert.deepEqual(answers.map((r) => r.statusCode).sort(), [200, 400, 400, 400, 400]);
      });

      test('codes of one step either side are accepted (clock drift)', async () => {
        const { user, secret } = await enrolled();
        assert.equal((await finish({ mfa_token: await mfaTokenOf(user), code: codeOf(secret, 1) })).statusCode, 200);
        nextStep();
        nextStep();
        assert.equal((await finish({ mfa_token: await mfaTokenOf(user), code: codeOf(secret, 2) })).statusCode, 400, 'two steps ahead');
      });

      test('recovery codes work once, in any case and with or without hyphens; the owner is told', async () => {
        const { user, recoveryCodes } = await enrolled();
        const [first, second] = recoveryCodes as [string, string];
        assert.equal((await finish({ mfa_token: await mfaTokenOf(user), recovery_code: first })).statusCode, 200);
        const again = await finish({ mfa_token: await mfaTokenOf(user), recovery_code: first });
        assert.deepEqual([again.statusCode, again.json()], [400, { detail: 'MFA_CODE_INVALID' }]);
        const typed = second.replace(/-/g, '').toUpperCase();
        assert.equal((await finish({ mfa_token: await mfaTokenOf(user), recovery_code: typed })).statusCode, 200);
        await settled();
        const notices = mailsTo(user.email, subjects.codeUsed);
        assert.equal(notices.length, 2);
        assert.match(notices[1]!.text, /8 unused codes left/);
        assert.ok(!notices[1]!.text.includes(second), 'no code in the mail');
        const used = (await eventsOf(user.id)).filter((e) => e.event === 'mfa.recovery_code_used');
        assert.deepEqual(used.map((e) => JSON.parse(e.detail ?? '{}').remaining).sort(), [8, 9]);
      });

      test('both or neither of code and recovery_code is a 422', async () => {
        const { user, secret, recoveryCodes } = await enrolled();
        const mfa_token = await mfaTokenOf(user);
        assert.equal((await finish({ mfa_token })).statusCode, 422);
        assert.equal((await finish({ mfa_token, code: codeOf(secret), recovery_code: recoveryCodes[0] })).statusCode, 422);
        assert.equal((await finish({ code: codeOf(secret) })).statusCode, 422);
      });

      test('the mfa_token lives MFA_TOKEN_TTL_SECONDS, works once, and dies after MFA_TOKEN_MAX_ATTEMPTS wrong codes', async () => {
        const { user, secret } = await enrolled();
        const young = await mfaTokenOf(user);
        clock.advance(119);
        assert.equal((await finish({ mfa_token: young, code: codeOf(secret) })).statusCode, 200, 'alive at 119 s of 120');
        nextStep();
        const expiring = await mfaTokenOf(user);
        clock.advance(121);
        const expired = await finish({ mfa_token: expiring, code: codeOf(secret) });
        assert.deepEqual([expired.statusCode, expired.json()], [401, { detail: 'MFA_TOKEN_INVALID' }]);
        assert.equal(expired.headers['www-authenticate'], 'Bearer');

        const once = await mfaTokenOf(user);
        assert.equal((await finish({ mfa_token: once, code: codeOf(secret) })).statusCode, 200);
        nextStep();
        assert.equal((await finish({ mfa_token: once, code: codeOf(secret) })).statusCode, 401, 'used');

        const guessed = await mfaTokenOf(user);
        const answers: number[] = [];
        for (let i = 0; i < 4; i++) answers.push((await finish({ mfa_token: guessed, code: '000000' === codeOf(secret) ? '111111' : '000000' })).statusCode);
        assert.deepEqual(answers, [400, 400, 400, 401]);
        assert.equal((await finish({ mfa_token: guessed, code: codeOf(secret) })).statusCode, 401, 'dead, even with the right code');
        assert.equal((await finish({ mfa_token: 'made-up-token', code: codeOf(secret) })).statusCode, 401);
        const failed = (await eventsOf(user.id)).filter((e) => e.event === 'mfa.challenge_failed');
        assert.equal(failed.length, 4);
      });

      test('wrong codes are throttled per account (429, audited), across mfa_tokens', async () => {
        const { user, secret } = await enrolled();
        const wrong = codeOf(secret) === '000000' ? '111111' : '000000';
        const statuses: number[] = [];
        for (let i = 0; i < 3; i++) {
          const mfa_token = await mfaTokenOf(user);
          for (let j = 0; j < 3; j++) statuses.push((await finish({ mfa_token, code: wrong })).statusCode);
        }
        assert.deepEqual(statuses, [400, 400, 400, 400, 400, 400, 400, 400, 429]);
        const right = await finish({ mfa_token: await mfaTokenOf(user), code: codeOf(secret) });
        assert.equal(right.statusCode, 429, 'the account waits out the window');
        assert.ok(Number(right.headers['retry-after']) > 0);
        assert.ok((await namesOf(user.id)).includes('mfa.challenge_throttled'));
      });

      test('a password reset keeps the second factor: the next log-in still asks for a code; a pending mfa_token dies', async () => {
        const { user, secret } = await enrolled();
        const pending = await mfaTokenOf(user);
        assert.equal((await post('/api/auth/forgot-password', { email: user.email })).statusCode, 202);
        await settled();
        const token = mailedTokens(t).reset.get(user.email);
        const newPassword = 'another-horse-7?';
        assert.equal((await post('/api/auth/reset-password', { token, password: newPassword })).statusCode, 200);
        const after = await logIn(t, user.email, newPassword);
        assert.equal(after.statusCode, 401);
        assert.equal(after.json().detail, 'LOGIN_MFA_REQUIRED');
        assert.equal((await finish({ mfa_token: pending, code: codeOf(secret) })).statusCode, 401, 'issued for the old password');
        assert.equal((await finish({ mfa_token: after.json().mfa_token, code: codeOf(secret) })).statusCode, 200);
        await settled();
        const notice = mailsTo(user.email, subjects.password);
        assert.equal(notice.length, 1);
        assert.match(notice[0]!.text, /reset/);
      });
    });

    describe('turning it off, new recovery codes, and superusers', () => {
      test('DELETE /api/users/me/mfa/totp needs the password and a code; then a log-in needs the password only', async () => {
        const { user, secret } = await enrolled();
        const token = (await finish({ mfa_token: await mfaTokenOf(user), code: codeOf(secret) })).json().access_token;
        const headers = bearer(token);
        nextStep();
        const off = (payload: object) => del('/api/users/me/mfa/totp', payload, headers);
        assert.deepEqual((await off({ current_password: apiPassword })).json().detail[0].loc, ['body', 'code']);
        assert.deepEqual((await off({ current_password: 'wrong-password-1', code: codeOf(secret) })).json(), { detail: 'MFA_INVALID_CURRENT_PASSWORD' });
        assert.deepEqual((await off({ current_password: apiPassword, code: '12345x' })).json(), { detail: 'MFA_CODE_INVALID' });
        assert.equal((await off({ current_password: apiPassword, code: codeOf(secret) })).statusCode, 204);
        assert.equal((await me(headers)).json().mfa_enabled, false);
        assert.equal((await off({ current_password: apiPassword, code: codeOf(secret) })).statusCode, 409);
        assert.equal((await logIn(t, user.email, apiPassword)).statusCode, 200);
        await settled();
        assert.equal(mailsTo(user.email, subjects.disabled).length, 1);
        assert.ok((await namesOf(user.id)).includes('mfa.disabled'));
        const rows = await t.app.context.database.db.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', user.id).execute();
        assert.equal(rows.length, 0);
      });

      test('a recovery code also turns it off (a lost phone)', async () => {
        const { user, recoveryCodes } = await enrolled();
        const token = (await finish({ mfa_token: await mfaTokenOf(user), recovery_code: recoveryCodes[0] })).json().access_token;
        const res = await del('/api/users/me/mfa/totp', { current_password: apiPassword, code: recoveryCodes[1] }, bearer(token));
        assert.equal(res.statusCode, 204);
      });

      test('POST /api/users/me/mfa/recovery-codes replaces them: the old ones stop working, the new ones work', async () => {
        const { user, secret, recoveryCodes } = await enrolled();
        const headers = bearer((await finish({ mfa_token: await mfaTokenOf(user), code: codeOf(secret) })).json().access_token);
        nextStep();
        const missing = await post('/api/users/me/mfa/recovery-codes', { current_password: apiPassword }, headers);
        assert.equal(missing.statusCode, 422);
        const res = await post('/api/users/me/mfa/recovery-codes', { current_password: apiPassword, code: codeOf(secret) }, headers);
        assert.equal(res.statusCode, 200);
        const fresh: string[] = res.json().recovery_codes;
        assert.equal(fresh.length, 10);
        assert.equal((await finish({ mfa_token: await mfaTokenOf(user), recovery_code: recoveryCodes[2] })).statusCode, 400);
        assert.equal((await finish({ mfa_token: await mfaTokenOf(user), recovery_code: fresh[0] })).statusCode, 200);
        await settled();
        const notice = mailsTo(user.email, subjects.codesReplaced);
        assert.equal(notice.length, 1);
        assert.ok(fresh.every((code) => !notice[0]!.text.includes(code) && !notice[0]!.html.includes(code)), 'no code in the mail');
        assert.ok((await namesOf(user.id)).includes('mfa.recovery_codes_replaced'));
      });

      test('a superuser turns a user’s TOTP off: audited as the superuser, and the user is mailed', async () => {
        const { user } = await enrolled();
        const admin = await apiUser(t, { superuser: true });
        const stranger = await apiUser(t);
        assert.equal((await del(`/api/users/${user.id}/mfa/totp`, undefined, stranger.headers)).statusCode, 403);
        assert.equal((await del(`/api/users/${user.id}/mfa/totp`, undefined, {})).statusCode, 401);
        assert.equal((await del('/api/users/not-a-uuid/mfa/totp', undefined, admin.headers)).statusCode, 404);
        assert.equal((await del(`/api/users/${user.id}/mfa/totp`, undefined, admin.headers)).statusCode, 204);
        assert.equal((await del(`/api/users/${user.id}/mfa/totp`, undefined, admin.headers)).statusCode, 409);
        assert.equal((await logIn(t, user.email, apiPassword)).statusCode, 200);
        const event = (await eventsOf(user.id)).find((e) => e.event === 'mfa.disabled_by_superuser');
        assert.equal(event?.actor_type, 'superuser');
        await settled();
        const notice = mailsTo(user.email, subjects.disabled);
        assert.equal(notice.length, 1);
        assert.match(notice[0]!.text, /An administrator turned off/);
      });
    });

    describe('step-up on sensitive changes', () => {
      async function signedIn(): Promise<Enrolled & { headers: Record<string, string> }> {
        const enrolment = await enrolled();
        const res = await finish({ mfa_token: await mfaTokenOf(enrolment.user), code: codeOf(enrolment.secret) });
        nextStep();
        return { ...enrolment, headers: bearer(res.json().access_token) };
      }

      test('PATCH /api/users/me: a new password or email needs the code too; the name does not', async () => {
        const { user, secret, headers } = await signedIn();
        const patch = (payload: object) => t.inject({ method: 'PATCH', url: '/api/users/me', headers, payload });
        const missing = await patch({ password: 'another-horse-7?', current_password: apiPassword });
        assert.deepEqual([missing.statusCode, missing.json().detail[0].loc], [422, ['body', 'code']]);
        assert.equal((await patch({ email: 'moved@example.com', current_password: apiPassword })).statusCode, 422);
        assert.deepEqual((await patch({ password: 'another-horse-7?', current_password: apiPassword, code: '000001' })).json(), { detail: 'MFA_CODE_INVALID' });
        const failed = (await eventsOf(user.id)).filter((e) => e.event === 'mfa.challenge_failed').map((e) => JSON.parse(e.detail ?? '{}').purpose);
        assert.deepEqual(failed, ['step-up']);
        assert.equal((await patch({ login_notices: false })).statusCode, 200);
        assert.equal((await patch({ password: 'another-horse-7?', current_password: apiPassword, code: codeOf(secret) })).statusCode, 200);
      });

      test('DELETE /api/users/me needs the code', async () => {
        const { user, secret, headers } = await signedIn();
        const remove = (payload: object) => del('/api/users/me', payload, headers);
        assert.equal((await remove({ current_password: apiPassword })).statusCode, 422);
        assert.deepEqual((await remove({ current_password: apiPassword, code: 'not-a-recovery-code' })).json(), { detail: 'MFA_CODE_INVALID' });
        assert.equal((await remove({ current_password: apiPassword, code: codeOf(secret) })).statusCode, 204);
        assert.equal(await t.app.context.usersRepository.findById(user.id), null);
      });

      test('DELETE /api/users/me/sessions needs the password and the code', async () => {
        const { user, secret, headers } = await signedIn();
        const other = await finish({ mfa_token: await mfaTokenOf(user), code: codeOf(secret) });
        nextStep();
        const end = (payload?: object) => del('/api/users/me/sessions', payload, headers);
        assert.equal((await end()).statusCode, 422);
        assert.equal((await end({ current_password: apiPassword })).statusCode, 422);
        assert.deepEqual((await end({ current_password: 'wrong-password-1', code: codeOf(secret) })).json(), { detail: 'END_SESSIONS_INVALID_CURRENT_PASSWORD' });
        assert.deepEqual((await end({ current_password: apiPassword, code: '999999' === codeOf(secret) ? '888888' : '999999' })).json(), { detail: 'MFA_CODE_INVALID' });
        assert.equal((await me(bearer(other.json().access_token))).statusCode, 200, 'nothing ended yet');
        assert.equal((await end({ current_password: apiPassword, code: codeOf(secret) })).statusCode, 204);
        assert.equal((await me(bearer(other.json().access_token))).statusCode, 401);
        assert.equal((await me(headers)).statusCode, 200);
      });
    });

    describe('security notices', () => {
      test('a log-in from a new client mails the owner (not the first log-in ever); it can be switched off', async () => {
        const user = await apiUser(t);
        await settled();
        assert.equal(mailsTo(user.email, subjects.newClient).length, 0, 'the first log-in only records its client');
        assert.equal((await logIn(t, user.email, apiPassword)).statusCode, 200);
        const fromFirefox = () =>
          t.inject({
            method: 'POST',
            url: '/users/log-in',
            payload: { username: user.name, password: apiPassword },
            headers: { 'user-agent': firefox },
            remoteAddress: '203.0.113.7',
          });
        assert.equal((await fromFirefox()).statusCode, 200);
        assert.equal((await fromFirefox()).statusCode, 200);
        await settled();
        const notices = mailsTo(user.email, subjects.newClient);
        assert.equal(notices.length, 1);
        assert.match(notices[0]!.text, /Firefox on Linux/);
        assert.match(notices[0]!.text, /From address: 203\.0\.113\.7/);
        assert.match(notices[0]!.text, /When: \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
        assert.match(notices[0]!.text, /If not, change your password/);

        const off = await t.inject({ method: 'PATCH', url: '/api/users/me', headers: user.headers, payload: { login_notices: false } });
        assert.equal(off.json().login_notices, false);
        const chromeLogIn = await t.inject({ method: 'POST', url: '/users/log-in', payload: { username: user.name, password: apiPassword }, headers: { 'user-agent': chrome } });
        assert.equal(chromeLogIn.statusCode, 200);
        await settled();
        assert.equal(mailsTo(user.email, subjects.newClient).length, 1);
      });

      test('a password change mails the owner what happened, when, from where, and what to do', async () => {
        const user = await apiUser(t);
        const res = await t.inject({
          method: 'PATCH',
          url: '/api/users/me',
          headers: { ...user.headers, 'user-agent': firefox },
          payload: { password: 'another-horse-7?', current_password: apiPassword },
          remoteAddress: '198.51.100.4',
        });
        assert.equal(res.statusCode, 200);
        await settled();
        const notice = mailsTo(user.email, subjects.password);
        assert.equal(notice.length, 1);
        assert.match(notice[0]!.text, /was changed/);
        assert.match(notice[0]!.text, /From address: 198\.51\.100\.4/);
        assert.match(notice[0]!.text, /User agent: Mozilla\/5\.0/);
        assert.match(notice[0]!.text, /If this was not you, reset your password/);
        assert.ok(!notice[0]!.text.includes('another-horse-7?'));
      });
    });

    test('mfa_enabled is in the caller’s own view, never in another user’s', async () => {
      const user = await apiUser(t);
      const self = await t.app.context.usersRepository.findById(user.id);
      assert.ok(self);
      assert.deepEqual(Object.keys(toUserSummary(self, { id: 'someone-else', isSuperuser: false })).sort(), ['id', 'name']);
      assert.equal(typeof (await me(user.headers)).json().mfa_enabled, 'boolean');
    });
  });
}

describe('TOTP secrets at rest', () => {
  test('AES-256-GCM with a fresh nonce each time, bound to its account and its key', () => {
    const box = new SecretBox('a'.repeat(64), 'spruce totp secrets');
    const one = box.seal('JBSWY3DPEHPK3PXP', 'account-1');
    assert.notEqual(one, box.seal('JBSWY3DPEHPK3PXP', 'account-1'));
    assert.equal(box.open(one, 'account-1'), 'JBSWY3DPEHPK3PXP');
    assert.equal(box.open(one, 'account-2'), null, 'copied onto another account');
    assert.equal(new SecretBox('b'.repeat(64), 'spruce totp secrets').open(one, 'account-1'), null, 'another SECRET_KEY');
    assert.equal(new SecretBox('a'.repeat(64), 'another purpose').open(one, 'account-1'), null, 'another purpose');
    const raw = Buffer.from(one.slice(3), 'base64url');
    for (const index of [0, 12, raw.length - 1]) {
      const flipped = Buffer.from(raw);
      flipped[index] = (flipped[index] ?? 0) ^ 1;
      assert.equal(box.open(`v1.${flipped.toString('base64url')}`, 'account-1'), null, `byte ${index} changed`);
    }
    assert.equal(box.open('garbage', 'account-1'), null);
  });
});
