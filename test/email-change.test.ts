import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { EmailMessage } from '../src/infra/mailer/mailer.js';
import { apiPassword, apiUser, bearer, logIn, mailedTokens, type ApiUser } from './helpers/api-accounts.js';
import { createTestApp, dialects, newUser, uniqueName, type TestApp } from './helpers/test-app.js';

const confirmSubject = 'Confirm your new email for Spruce';
const noticeSubject = 'Your Spruce email is about to change';
const changedSubject = 'Your Spruce email was changed';

for (const dialect of dialects) {
  describe(`email change on ${dialect}`, () => {
    let t: TestApp;
    /** Every mail queued, in order. */
    const mails: EmailMessage[] = [];
    /** The last email-change token mailed per new address. */
    const changeTokens = new Map<string, string>();

    before(async () => {
      t = await createTestApp(dialect, { EMAIL_CHANGE_MAX_PER_ACCOUNT: '3', EMAIL_CHANGE_MAX_PER_EMAIL: '3', EMAIL_CHANGE_WINDOW_SECONDS: '600' });
      mailedTokens(t);
      const { jobs, accountEvents } = t.app.context;
      const enqueue = jobs.enqueue.bind(jobs);
      jobs.enqueue = async (job) => {
        if (job.name === 'send-email') mails.push(job.data);
        return enqueue(job);
      };
      accountEvents.on('email-change-requested', (e) => void changeTokens.set(e.newEmail, e.token));
    });
    after(() => t.close());

    const me = (headers: { authorization: string }) => t.inject({ method: 'GET', url: '/api/users/me', headers });
    const patchMe = (user: { headers: { authorization: string } }, payload: object) =>
      t.inject({ method: 'PATCH', url: '/api/users/me', headers: user.headers, payload });
    const confirm = (token: string | undefined, remoteAddress?: string, headers?: { authorization: string }) =>
      t.inject({ method: 'POST', url: '/api/auth/confirm-email', payload: { token }, ...(remoteAddress ? { remoteAddress } : {}), ...(headers ? { headers } : {}) });
    const refresh = (refreshToken: string) => t.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refresh_token: refreshToken } });
    const mailsTo = (to: string, subject: string) => mails.filter((m) => m.to === to && m.subject === subject);
    const newAddress = () => `${uniqueName('moved')}@example.com`;

    /** Waits for the mail hooks, which run without holding up the response. */
    async function settled(): Promise<void> {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    test('without current_password, or with a wrong one, nothing changes and nothing is mailed', async () => {
      const user = await apiUser(t);
      const target = newAddress();
      await settled();
      const before = mails.length;
      const missing = await patchMe(user, { email: target });
      assert.equal(missing.statusCode, 422);
      assert.deepEqual(missing.json().detail[0].loc, ['body', 'current_password']);
      const wrong = await patchMe(user, { email: target, current_password: 'wrong-password-1' });
      assert.equal(wrong.statusCode, 400);
      assert.deepEqual(wrong.json(), { detail: 'UPDATE_USER_INVALID_CURRENT_PASSWORD' });
      await settled();
      assert.equal((await me(user.headers)).json().email, user.email);
      assert.deepEqual(mails.slice(before).filter((m) => m.to === target || m.to === user.email), []);
    });

    test('a stolen token cannot take the account over: the address changes only once confirmed from the new mailbox', async () => {
      const user = await apiUser(t);
      const target = newAddress();
      const res = await patchMe(user, { email: target.toUpperCase(), current_password: apiPassword });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().email, user.email);
      assert.equal(res.json().is_verified, true);
      await settled();

      // Until confirmed: the old address and its verified state, and a reset can only go to the old address.
      const stored = await t.app.context.usersRepository.findById(user.id);
      assert.equal(stored?.email, user.email);
      assert.equal(stored?.isVerified, true);
      await t.inject({ method: 'POST', url: '/api/auth/forgot-password', payload: { email: target } });
      assert.equal(mailedTokens(t).reset.get(target), undefined);
      assert.equal((await logIn(t, target, apiPassword)).statusCode, 400);

      // The new address gets the token, the old one a notice without it.
      const [confirmation] = mailsTo(target, confirmSubject);
      const token = changeTokens.get(target);
      assert.ok(confirmation && token);
      assert.ok(confirmation.text.includes(token));
      const [notice] = mailsTo(user.email, noticeSubject);
      assert.ok(notice, 'the old address is told');
      assert.ok(!notice.text.includes(token));
      assert.match(notice.text, /m\*\*\*@example\.com/);

      const other = await logIn(t, user.email, apiPassword);
      const confirmed = await confirm(token);
      assert.equal(confirmed.statusCode, 200);
      assert.equal(confirmed.json().email, target);
      assert.equal(confirmed.json().is_verified, true);

      // Every token of the account issued before ends, the one that asked included.
      assert.equal((await me(user.headers)).statusCode, 401);
      assert.equal((await me(bearer(other.json().access_token))).statusCode, 401);
      assert.equal((await t.inject({ method: 'GET', url: '/todos', headers: user.headers })).statusCode, 401);
      const fresh = await logIn(t, target, apiPassword);
      assert.equal(fresh.statusCode, 200);
      assert.equal((await me(bearer(fresh.json().access_token))).json().email, target);
      assert.equal((await logIn(t, user.email, apiPassword)).json().detail, 'LOGIN_BAD_CREDENTIALS');
      await settled();
      assert.equal(mailsTo(user.email, changedSubject).length, 1, 'the old address hears the change happened');
    });

    test('confirmed with an access token of the account, every session but that one ends; it refreshes on', async () => {
      const user = await apiUser(t);
      const here = (await logIn(t, user.email, apiPassword)).json();
      const elsewhere = (await logIn(t, user.email, apiPassword)).json();
      const target = newAddress();
      assert.equal((await patchMe({ headers: bearer(here.access_token) }, { email: target, current_password: apiPassword })).statusCode, 200);
      const confirmed = await confirm(changeTokens.get(target), undefined, bearer(here.access_token));
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      assert.equal(confirmed.json().email, target);

      // Access tokens issued before the change die, the caller's too (issue 9); its session refreshes on.
      assert.equal((await me(bearer(here.access_token))).statusCode, 401);
      assert.equal((await refresh(elsewhere.refresh_token)).statusCode, 401);
      const renewed = await refresh(here.refresh_token);
      assert.equal(renewed.statusCode, 200, renewed.body);
      const after = await me(bearer(renewed.json().access_token));
      assert.equal(after.statusCode, 200);
      assert.equal(after.json().email, target);
      const sessions = await t.inject({ method: 'GET', url: '/api/users/me/sessions', headers: bearer(renewed.json().access_token) });
      assert.deepEqual(sessions.json().map((s: { current: boolean }) => s.current), [true]);
    });

    test('confirmed with no token, or with another account’s, every session of the account ends', async () => {
      for (const caller of ['none', 'stranger'] as const) {
        const user = await apiUser(t);
        const session = (await logIn(t, user.email, apiPassword)).json();
        const stranger = await apiUser(t);
        const target = newAddress();
        assert.equal((await patchMe(user, { email: target, current_password: apiPassword })).statusCode, 200);
        const confirmed = await confirm(changeTokens.get(target), undefined, caller === 'stranger' ? stranger.headers : undefined);
        assert.equal(confirmed.statusCode, 200, confirmed.body);
        assert.equal((await refresh(session.refresh_token)).statusCode, 401, caller);
        assert.equal((await me(user.headers)).statusCode, 401, caller);
        // The stranger's own session is untouched.
        assert.equal((await me(stranger.headers)).statusCode, 200, caller);
      }
    });

    test('the token works once, only the latest request counts, and a password change cancels it', async () => {
      const user = await apiUser(t);
      const first = newAddress();
      const second = newAddress();
      assert.equal((await patchMe(user, { email: first, current_password: apiPassword })).statusCode, 200);
      assert.equal((await patchMe(user, { email: second, current_password: apiPassword })).statusCode, 200);
      const superseded = await confirm(changeTokens.get(first));
      assert.equal(superseded.statusCode, 400);
      assert.deepEqual(superseded.json(), { detail: 'CHANGE_EMAIL_BAD_TOKEN' });
      const racing = await Promise.all([1, 2, 3].map(() => confirm(changeTokens.get(second))));
      assert.deepEqual(racing.map((r) => r.statusCode).sort(), [200, 400, 400]);
      assert.deepEqual((await confirm(changeTokens.get(second))).json(), { detail: 'CHANGE_EMAIL_BAD_TOKEN' });

      const owner = await apiUser(t);
      const attackers = newAddress();
      assert.equal((await patchMe(owner, { email: attackers, current_password: apiPassword })).statusCode, 200);
      assert.equal((await patchMe(owner, { password: 'new-secret-pw-2', current_password: apiPassword })).statusCode, 200);
      assert.deepEqual((await confirm(changeTokens.get(attackers))).json(), { detail: 'CHANGE_EMAIL_BAD_TOKEN' });
      assert.equal((await t.app.context.usersRepository.findById(owner.id))?.email, owner.email);
    });

    test('tokens of other kinds are refused, and an email-change token is no access, verify or reset token', async () => {
      const user = await apiUser(t);
      const target = newAddress();
      await patchMe(user, { email: target, current_password: apiPassword });
      const changeToken = changeTokens.get(target) as string;
      for (const token of [user.token, 'not-a-token', `${changeToken}x`]) {
        assert.deepEqual((await confirm(token)).json(), { detail: 'CHANGE_EMAIL_BAD_TOKEN' });
      }
      assert.equal((await confirm('')).statusCode, 422);
      assert.equal((await me(bearer(changeToken))).statusCode, 401);
      assert.equal((await t.inject({ method: 'POST', url: '/api/auth/verify', payload: { token: changeToken } })).statusCode, 400);
      const reset = await t.inject({ method: 'POST', url: '/api/auth/reset-password', payload: { token: changeToken, password: 'hijacked-pw-1' } });
      assert.deepEqual(reset.json(), { detail: 'RESET_PASSWORD_BAD_TOKEN' });
    });

    test('an address another account holds is refused on request, and on confirm if it was taken since', async () => {
      const user = await apiUser(t);
      const other = await apiUser(t);
      const taken = await patchMe(user, { email: other.email.toUpperCase(), current_password: apiPassword });
      assert.equal(taken.statusCode, 400);
      assert.deepEqual(taken.json(), { detail: 'UPDATE_USER_EMAIL_ALREADY_EXISTS' });

      const target = newAddress();
      await patchMe(user, { email: target, current_password: apiPassword });
      await t.app.context.usersRepository.update(other.id, { email: target });
      const late = await confirm(changeTokens.get(target));
      assert.equal(late.statusCode, 400);
      assert.deepEqual(late.json(), { detail: 'UPDATE_USER_EMAIL_ALREADY_EXISTS' });
      assert.equal((await t.app.context.usersRepository.findById(user.id))?.email, user.email);
    });

    test('requests are limited per account and per new address (429 + Retry-After): no mail-bombing by switching back and forth', async () => {
      const attacker: ApiUser = await apiUser(t);
      const victim = newAddress();
      const decoy = newAddress();
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) {
        statuses.push((await patchMe(attacker, { email: i % 2 === 0 ? victim : decoy, current_password: apiPassword })).statusCode);
      }
      await settled();
      assert.deepEqual(statuses.slice(0, 3), [200, 200, 200]);
      assert.ok(statuses.slice(3).every((s) => s === 429), statuses.join(','));
      assert.ok(mailsTo(victim, confirmSubject).length <= 2);
      assert.equal(mailsTo(attacker.email, noticeSubject).length, 3);

      // Per new address, whichever accounts ask.
      const target = newAddress();
      for (let i = 0; i < 3; i++) assert.equal((await patchMe(await apiUser(t), { email: target, current_password: apiPassword })).statusCode, 200);
      const refused = await patchMe(await apiUser(t), { email: target, current_password: apiPassword });
      assert.equal(refused.statusCode, 429);
      const retryAfter = Number(refused.headers['retry-after']);
      assert.ok(retryAfter >= 1 && retryAfter <= 600, String(retryAfter));
      await settled();
      assert.equal(mailsTo(target, confirmSubject).length, 3);
    });

    test('a name change alone needs no password; an account without an email gets one by confirmation, with no notice', async () => {
      const user = await apiUser(t);
      assert.equal((await patchMe(user, { name: uniqueName('renamed') })).statusCode, 200);
      assert.equal((await patchMe(user, { email: user.email.toUpperCase() })).statusCode, 200, 'the same email is no change');

      const todoUser = await newUser(t);
      const target = newAddress();
      const before = mails.length;
      const res = await patchMe(todoUser, { email: target, current_password: todoUser.password });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().email, null);
      await settled();
      assert.deepEqual(mails.slice(before).map((m) => m.to), [target]);
      assert.equal((await confirm(changeTokens.get(target))).json().email, target);
    });

    test('a one-time code cannot replace an email an account already has', async () => {
      const user = await apiUser(t);
      const res = await t.inject({ method: 'POST', url: '/users/email/otp', headers: user.headers, payload: { email: newAddress() } });
      assert.equal(res.statusCode, 409);
      assert.match(res.json().detail, /PATCH \/api\/users\/me/);

      // A code asked for while the account had no email is refused once it has one.
      const todoUser = await newUser(t);
      const codeAddress = newAddress();
      assert.equal((await t.inject({ method: 'POST', url: '/users/email/otp', headers: todoUser.headers, payload: { email: codeAddress } })).statusCode, 200);
      await settled();
      const code = /on Spruce is (\d{6})\./.exec(mails.filter((m) => m.to === codeAddress).at(-1)?.text ?? '')?.[1];
      assert.ok(code);
      const target = newAddress();
      await patchMe(todoUser, { email: target, current_password: todoUser.password });
      assert.equal((await confirm(changeTokens.get(target))).statusCode, 200);
      const fresh = await t.inject({ method: 'POST', url: '/users/log-in', payload: { username: todoUser.username, password: todoUser.password } });
      const headers = bearer(fresh.json().access_token);
      const verify = await t.inject({ method: 'POST', url: '/users/email/otp/verify', headers, payload: { email: codeAddress, otp: code } });
      assert.equal(verify.statusCode, 409);
      assert.equal((await t.app.context.usersRepository.findById(todoUser.id))?.email, target);
    });
  });
}
