import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LightMyRequestResponse } from 'fastify';
import { apiPassword, apiUser, logIn as apiLogIn, mailedTokens, register, type ApiUser } from './helpers/api-accounts.js';
import { createTestApp, dialects, newUser, testPassword, uniqueName, type TestApp } from './helpers/test-app.js';

const limit = 10;

/** Counts every password check (real or against the dummy hash) the app makes from now on. */
function countPasswordChecks(t: TestApp): { readonly count: number } {
  const { hasher } = t.app.context;
  const counter = { count: 0 };
  const check = hasher.check.bind(hasher);
  const dummy = hasher.checkAgainstDummy.bind(hasher);
  hasher.check = (password, stored) => {
    counter.count++;
    return check(password, stored);
  };
  hasher.checkAgainstDummy = (password) => {
    counter.count++;
    return dummy(password);
  };
  return counter;
}

for (const dialect of dialects) {
  describe(`log-in guessing on ${dialect}`, () => {
    let t: TestApp;
    let checks: { readonly count: number };
    before(async () => {
      t = await createTestApp(dialect, {
        LOGIN_MAX_FAILURES_PER_ACCOUNT: String(limit),
        LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
        LOGIN_FAILURE_WINDOW_SECONDS: '600',
        RATE_LIMIT_MAX: '100000',
      });
      mailedTokens(t);
      checks = countPasswordChecks(t);
    });
    after(() => t.close());

    const todoLogIn = (username: string, password: string) =>
      t.inject({ method: 'POST', url: '/users/log-in', payload: { username, password } });

    /**
     * Sends `guesses` wrong passwords at once and checks the one rule: at most `limit` passwords are checked, every
     * other request is refused with 429 (or, if the store times out under the load of a busy machine, 503: refused
     * all the same), and exactly `limit` are checked when the store kept up.
     */
    async function guessAtOnce(guesses: number, wrong: number, send: (i: number) => Promise<LightMyRequestResponse>) {
      const before = checks.count;
      const responses = await Promise.all(Array.from({ length: guesses }, (_, i) => send(i)));
      const checked = checks.count - before;
      const count = (status: number) => responses.filter((res) => res.statusCode === status).length;
      assert.ok(checked <= limit, `${checked} passwords checked`);
      assert.equal(count(wrong), checked);
      assert.equal(count(wrong) + count(429) + count(503), guesses, responses.map((res) => res.statusCode).join(','));
      if (count(503) === 0) assert.equal(checked, limit);
      for (const res of responses.filter((r) => r.statusCode === 429)) assert.ok(Number(res.headers['retry-after']) >= 1);
    }

    for (const guesses of [50, 200]) {
      test(`${guesses} concurrent guesses on /users/log-in check at most ${limit} passwords; the right one is then refused`, async () => {
        const user = await newUser(t);
        await guessAtOnce(guesses, 401, (i) => todoLogIn(user.username, `wrong-guess-${i}`));
        const before = checks.count;
        assert.equal((await todoLogIn(user.username, testPassword)).statusCode, 429);
        assert.equal(checks.count, before, 'a refused attempt checks no password');
      });

      test(`${guesses} concurrent guesses on /api/token, by name and by email together, check at most ${limit} passwords`, async () => {
        const user = await apiUser(t);
        await guessAtOnce(guesses, 400, (i) => apiLogIn(t, i % 2 === 0 ? user.email : user.name.toUpperCase(), `wrong-guess-${i}`));
        const before = checks.count;
        assert.equal((await apiLogIn(t, user.email, apiPassword)).statusCode, 429);
        assert.equal(checks.count, before, 'a refused attempt checks no password');
      });

      test(`${guesses} concurrent guesses for a name nobody has are limited the same way`, async () => {
        const ghost = uniqueName('ghost');
        await guessAtOnce(guesses, 401, (i) => todoLogIn(ghost, `wrong-guess-${i}`));
      });
    }

    test('the username and the email of an account share one counter, on both routes', async () => {
      const user: ApiUser = await apiUser(t);
      for (let i = 0; i < limit - 1; i++) assert.equal((await apiLogIn(t, user.email.toUpperCase(), `wrong-pass-${i}`)).statusCode, 400);
      assert.equal((await todoLogIn(user.name, 'wrong-pass-x')).statusCode, 401);
      // The limit is reached, by whichever name: the right password is refused by name and by email alike.
      assert.equal((await apiLogIn(t, user.name, apiPassword)).statusCode, 429);
      assert.equal((await todoLogIn(user.name.toLowerCase(), apiPassword)).statusCode, 429);
      assert.equal((await apiLogIn(t, user.email, apiPassword)).statusCode, 429);
    });

    test('a success resets the count: failures before it no longer weigh', async () => {
      const user = await newUser(t);
      for (let i = 0; i < limit - 1; i++) assert.equal((await todoLogIn(user.username, `wrong-pass-${i}`)).statusCode, 401);
      assert.equal((await todoLogIn(user.username, testPassword)).statusCode, 200);
      for (let i = 0; i < limit - 1; i++) assert.equal((await todoLogIn(user.username, `wrong-pass-${i}`)).statusCode, 401);
      assert.equal((await todoLogIn(user.username, testPassword)).statusCode, 200);
    });

    test('a password reset clears the account’s log-in throttle', async () => {
      const user = await apiUser(t);
      for (let i = 0; i < limit; i++) await apiLogIn(t, user.email, `wrong-pass-${i}`);
      assert.equal((await apiLogIn(t, user.email, apiPassword)).statusCode, 429);
      await t.inject({ method: 'POST', url: '/api/auth/forgot-password', payload: { email: user.email } });
      const token = mailedTokens(t).reset.get(user.email);
      const reset = await t.inject({ method: 'POST', url: '/api/auth/reset-password', payload: { token, password: 'fresh-start-pw-1' } });
      assert.equal(reset.statusCode, 200);
      assert.equal((await apiLogIn(t, user.email, 'fresh-start-pw-1')).statusCode, 200);
    });

    test('an account registered with an email gets no token before it is verified, on either route', async () => {
      const user = await apiUser(t, { verified: false });
      const todo = await todoLogIn(user.name, apiPassword);
      assert.equal(todo.statusCode, 403);
      assert.match(todo.json().detail, /not verified/);
      assert.equal((await apiLogIn(t, user.email, apiPassword)).json().detail, 'LOGIN_USER_NOT_VERIFIED');
      // Only to someone with the right password: a wrong one is the usual 401.
      assert.equal((await todoLogIn(user.name, 'wrong-pass-1')).statusCode, 401);
      // Verified, it logs in on both.
      const registered = mailedTokens(t).verify.get(user.email);
      assert.equal((await t.inject({ method: 'POST', url: '/api/auth/verify', payload: { token: registered } })).statusCode, 200);
      assert.equal((await todoLogIn(user.name, apiPassword)).statusCode, 200);
      assert.equal((await apiLogIn(t, user.email, apiPassword)).statusCode, 200);
    });

    test('an account without an email (ToDo sign-up) keeps logging in on /users/log-in', async () => {
      const name = uniqueName('todo');
      assert.equal((await t.inject({ method: 'POST', url: '/users/sign-up', payload: { username: name, password: testPassword } })).statusCode, 201);
      assert.equal((await todoLogIn(name, testPassword)).statusCode, 200);
    });

    test('registering does not hand out a token either', async () => {
      const name = uniqueName('fresh');
      const res = await register(t, { email: `${name}@example.com`, name, password: apiPassword });
      assert.equal(res.statusCode, 201);
      assert.equal(res.json().access_token, undefined);
      assert.equal((await todoLogIn(name, apiPassword)).statusCode, 403);
    });
  });
}

describe('a stranger locks an owner out for one window at most', () => {
  for (const dialect of dialects) {
    test(`on ${dialect}: guessing on through the lock does not extend it`, async () => {
      const t = await createTestApp(dialect, { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_FAILURE_WINDOW_SECONDS: '2' });
      try {
        const owner = await newUser(t);
        const logIn = (password: string, remoteAddress: string) =>
          t.inject({ method: 'POST', url: '/users/log-in', payload: { username: owner.username, password }, remoteAddress });
        for (let i = 0; i < 3; i++) assert.equal((await logIn(`wrong-pass-${i}`, '10.9.9.9')).statusCode, 401);
        const startedAt = Date.now();
        assert.equal((await logIn(testPassword, '10.1.1.1')).statusCode, 429);
        // The stranger keeps guessing through the lock.
        while (Date.now() - startedAt < 1500) {
          assert.equal((await logIn('wrong-pass-again', '10.9.9.9')).statusCode, 429);
          await sleep(100);
        }
        await sleep(2100 - (Date.now() - startedAt));
        assert.equal((await logIn(testPassword, '10.1.1.1')).statusCode, 200);
      } finally {
        await t.close();
      }
    });
  }
});
