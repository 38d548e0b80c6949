import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ServiceUnavailableError } from '../src/core/errors.js';
import { breachedPasswordMessage } from '../src/modules/identity/password-policy.js';
import {
  passwordCheckUnavailableMessage,
  ThreadedStrengthEstimator,
  type StrengthEstimate,
  type StrengthEstimator,
} from '../src/modules/identity/password-strength.js';
import { PwnedPasswordsClient } from '../src/modules/identity/pwned-passwords.js';
import { apiUser, logIn, mailedTokens, register } from './helpers/api-accounts.js';
import { createTestApp, dialects, uniqueName, type TestApp } from './helpers/test-app.js';

const silent = { warn: () => {} };
const common = 'Password123!';
const commonReason = /^Password is too easy to guess: This is similar to a commonly used password\./;
/** Strong by zxcvbn (random words and digits), so only the breach corpus can refuse it. */
const strongPassword = () => `kettle-${randomBytes(4).toString('hex')}-Orbit!`;
const sha1 = (password: string) => createHash('sha1').update(password).digest('hex').toUpperCase();

/** The accounts and passwords of the seed tutorial's own tests, on the route each one registers through. */
const seedAccounts = [
  { email: 'shakira@shakira.io', name: 'shakirashakira', password: 'chantaje@1' },
  { email: 'nottaken@email.io', name: 'not_taken_username', password: 'freepassword@1' },
  { email: 'lebron@james.io', name: 'lebronjames', password: 'heatcavslakers@1' },
];

/**
 * A stand-in for api.pwnedpasswords.com's range API: answers each five-character prefix with the suffixes of the
 * `breached` passwords (count > 0) and of the `padded` ones (count 0, as Add-Padding's decoys are), or hangs,
 * or fails, as the test asks. Records every request.
 */
interface RangeStub {
  url: string;
  mode: 'answer' | 'hang' | 'fail';
  breached: Set<string>;
  padded: Set<string>;
  requests: { method: string; url: string; padding: string | undefined }[];
  close(): Promise<void>;
}

async function startRangeStub(): Promise<RangeStub> {
  const stub: Omit<RangeStub, 'url' | 'close'> = { mode: 'answer', breached: new Set(), padded: new Set(), requests: [] };
  const server = http.createServer((request, response) => {
    stub.requests.push({ method: request.method ?? '', url: request.url ?? '', padding: request.headers['add-padding'] as string | undefined });
    if (stub.mode === 'hang') return; // never answers; closed with the server
    if (stub.mode === 'fail') return void response.writeHead(503).end('Service Unavailable');
    const prefix = (request.url ?? '').replace('/range/', '');
    const lines = [`${'0'.repeat(35)}:0`];
    for (const [passwords, count] of [[stub.breached, 42], [stub.padded, 0]] as const) {
      for (const password of passwords) if (sha1(password).startsWith(prefix)) lines.push(`${sha1(password).slice(5)}:${count}`);
    }
    response.writeHead(200, { 'content-type': 'text/plain' }).end(lines.join('\r\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(stub, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** The real estimator, made to answer 503 on demand (as it does when a check times out or the queue is full). */
class FailableEstimator implements StrengthEstimator {
  failing = false;
  constructor(private readonly real: StrengthEstimator) {}
  estimate(password: string, userInputs: string[]): Promise<StrengthEstimate> {
    return this.failing ? Promise.reject(new ServiceUnavailableError(passwordCheckUnavailableMessage)) : this.real.estimate(password, userInputs);
  }
  close(): Promise<void> {
    return this.real.close();
  }
}

describe('the zxcvbn estimator in its worker thread', () => {
  const estimator = new ThreadedStrengthEstimator(silent);
  after(() => estimator.close());

  test('Password123! scores 1, with the library\'s warning and advice in English', async () => {
    const estimate = await estimator.estimate(common, []);
    assert.equal(estimate.score, 1);
    assert.equal(estimate.warning, 'This is similar to a commonly used password.');
    assert.ok(estimate.suggestions.length > 0);
  });

  test('the seed tutorials\' test passwords score 3 or 4 with their own accounts\' names and emails', async () => {
    for (const { email, name, password } of [...seedAccounts, { email: '', name: 'unknown', password: 'testpassword@1' }]) {
      const { score } = await estimator.estimate(password, ['spruce', name, email, email.split('@')[0] ?? ''].filter(Boolean));
      assert.ok(score >= 3, `${password}: ${score}`);
    }
  });

  test('a password built from the account\'s own name scores low only for that account', async () => {
    const name = 'plumtree_kayak';
    assert.ok((await estimator.estimate(`${name}!7`, [])).score >= 3);
    const own = await estimator.estimate(`${name}!7`, ['spruce', name]);
    assert.ok(own.score < 3);
    assert.equal(own.warning, 'There should not be any personal or page related data.');
  });
});

describe('the estimator\'s thread comes and goes with the checks', () => {
  const estimator = new ThreadedStrengthEstimator(silent, { idleMs: 300 });
  after(() => estimator.close());

  test('no thread (and no dictionaries) before the first check, none again once idle, and a later check loads them again', async () => {
    assert.equal(await estimator.loadedThreads(), 0);
    assert.equal((await estimator.estimate(common, [])).score, 1);
    assert.equal(await estimator.loadedThreads(), 1);
    const deadline = Date.now() + 10_000;
    while ((await estimator.loadedThreads()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await estimator.loadedThreads(), 0, 'the idle thread has ended');
    assert.equal((await estimator.estimate(common, [])).score, 1);
    assert.equal(await estimator.loadedThreads(), 1);
  });
});

describe('the estimator when its worker misbehaves', () => {
  const estimator = new ThreadedStrengthEstimator(silent, {
    timeoutMs: 3000,
    workerFile: new URL('./fixtures/stuck-strength-worker.ts', import.meta.url).href,
  });
  after(() => estimator.close());

  test('a check that does not finish in time is 503, and the stopped thread is replaced for the next one', async () => {
    await assert.rejects(estimator.estimate('hang', []), (error: unknown) => error instanceof ServiceUnavailableError && error.detail === passwordCheckUnavailableMessage);
    assert.equal((await estimator.estimate('anything-else-1', [])).score, 4);
  });

  test('after close a check is refused at once rather than starting a thread', async () => {
    const closed = new ThreadedStrengthEstimator(silent);
    await closed.close();
    await assert.rejects(closed.estimate('anything-else-1', []), ServiceUnavailableError);
  });
});

describe('the Pwned Passwords range client', () => {
  let stub: RangeStub;
  const warnings: unknown[] = [];
  let client: PwnedPasswordsClient;
  before(async () => {
    stub = await startRangeStub();
    client = new PwnedPasswordsClient(`${stub.url}/`, { warn: (...args: unknown[]) => void warnings.push(args) });
  });
  after(() => stub.close());

  test('sends only the first five hex characters of the SHA-1, asks for padding, and finds a listed suffix', async () => {
    const password = strongPassword();
    stub.breached.add(password);
    stub.requests.length = 0;
    assert.equal(await client.isBreached(password), true);
    assert.deepEqual(stub.requests, [{ method: 'GET', url: `/range/${sha1(password).slice(0, 5)}`, padding: 'true' }]);
  });

  test('a miss, and a suffix listed only as padding (count 0), are not breached', async () => {
    const padded = strongPassword();
    stub.padded.add(padded);
    assert.equal(await client.isBreached(strongPassword()), false);
    assert.equal(await client.isBreached(padded), false);
  });

  test('a service that fails or does not answer within 1 s is logged and judged not breached', async () => {
    const password = strongPassword();
    stub.breached.add(password);
    for (const mode of ['fail', 'hang'] as const) {
      stub.mode = mode;
      warnings.length = 0;
      assert.equal(await client.isBreached(password), false, mode);
      assert.equal(warnings.length, 1, mode);
      assert.ok(!JSON.stringify(warnings).includes(sha1(password).slice(0, 5)), 'the log carries no part of the hash');
    }
    stub.mode = 'answer';
  });
});

for (const dialect of dialects) {
  describe(`common and breached passwords on every route that sets one, on ${dialect}`, () => {
    let t: TestApp;
    let stub: RangeStub;
    let estimator: FailableEstimator;
    before(async () => {
      stub = await startRangeStub();
      estimator = new FailableEstimator(new ThreadedStrengthEstimator(silent));
      t = await createTestApp(dialect, { PWNED_PASSWORDS_URL: stub.url }, { strengthEstimator: estimator });
      mailedTokens(t);
    });
    after(async () => {
      await t.close();
      await stub.close();
    });

    const signUp = (username: string, password: string) => t.inject({ method: 'POST', url: '/users/sign-up', payload: { username, password } });
    const patch = (user: { headers: { authorization: string } }, url: string, payload: object) => t.inject({ method: 'PATCH', url, headers: user.headers, payload });
    const resetToken = async (email: string) => {
      assert.equal((await t.inject({ method: 'POST', url: '/api/auth/forgot-password', payload: { email } })).statusCode, 202);
      return mailedTokens(t).reset.get(email) as string;
    };
    const reset = (token: string, password: string) => t.inject({ method: 'POST', url: '/api/auth/reset-password', payload: { token, password } });

    /** Every route that sets a password, with the answer each gives a refused one (its own error shape). */
    async function refusedEverywhere(password: string, reason: RegExp): Promise<void> {
      const name = uniqueName('ref_');
      const todo = await signUp(name, password);
      assert.equal(todo.statusCode, 422, todo.body);
      assert.equal(todo.json().detail.length, 1);
      assert.deepEqual({ ...todo.json().detail[0], msg: '' }, { loc: ['body', 'password'], msg: '', type: 'value_error' });
      assert.match(todo.json().detail[0].msg, reason);

      const email = `${name}@example.com`;
      const api = await register(t, { email, name, password });
      assert.equal(api.statusCode, 422, api.body);
      assert.deepEqual(api.json().detail.map((d: { loc: unknown }) => d.loc), [['body', 'new_user', 'password']]);
      assert.match(api.json().detail[0].msg, reason);
      assert.equal(await t.app.context.usersRepository.findByUsername(name), null);

      const user = await apiUser(t);
      const change = await patch(user, '/api/users/me', { password, current_password: user.password });
      assert.equal(change.statusCode, 400, change.body);
      assert.equal(change.json().detail.code, 'UPDATE_USER_INVALID_PASSWORD');
      assert.match(change.json().detail.reason, reason);
      const admin = await apiUser(t, { superuser: true });
      const byAdmin = await patch(admin, `/api/users/${user.id}`, { password });
      assert.equal(byAdmin.statusCode, 400, byAdmin.body);
      assert.equal(byAdmin.json().detail.code, 'UPDATE_USER_INVALID_PASSWORD');
      assert.match(byAdmin.json().detail.reason, reason);

      const token = await resetToken(user.email);
      const refusedReset = await reset(token, password);
      assert.equal(refusedReset.statusCode, 400, refusedReset.body);
      assert.equal(refusedReset.json().detail.code, 'RESET_PASSWORD_INVALID_PASSWORD');
      assert.match(refusedReset.json().detail.reason, reason);
      // Nothing changed: the old password still logs in, and the reset token is still good.
      assert.equal((await logIn(t, user.email, user.password)).statusCode, 200);
      assert.equal((await reset(token, strongPassword())).statusCode, 200);
    }

    test('Password123! is refused on both sign-ups, a change (own or by a superuser) and a reset, with zxcvbn\'s reason', async () => {
      await refusedEverywhere(common, commonReason);
    });

    test('the seed tutorials\' passwords are accepted, and so is a name-based password on another account', async () => {
      for (const account of seedAccounts) assert.equal((await register(t, account)).statusCode, 201, account.password);
      assert.equal((await signUp('unknown', 'testpassword@1')).statusCode, 201);
      const name = uniqueName('kayak_');
      const own = await signUp(name, `${name}!7`);
      assert.equal(own.statusCode, 422);
      assert.match(own.json().detail[0].msg, /personal or page related data/);
      assert.equal((await signUp(uniqueName('other_'), `${name}!7`)).statusCode, 201);
    });

    test('a password found in the breach corpus is refused on every route; the stub saw five characters of its hash', async () => {
      const password = strongPassword();
      stub.breached.add(password);
      stub.requests.length = 0;
      await refusedEverywhere(password, new RegExp(`^${breachedPasswordMessage.replace(/[.;]/g, '\\$&')}$`));
      assert.ok(stub.requests.some((request) => request.url === `/range/${sha1(password).slice(0, 5)}`));
      for (const request of stub.requests) assert.match(request.url, /^\/range\/[0-9A-F]{5}$/);
    });

    test('a range API that fails or hangs never blocks a sign-up', async () => {
      const password = strongPassword();
      stub.breached.add(password);
      try {
        for (const mode of ['fail', 'hang'] as const) {
          stub.mode = mode;
          assert.equal((await signUp(uniqueName('pwn_'), password)).statusCode, 201, mode);
        }
      } finally {
        stub.mode = 'answer';
      }
    });

    test('when the strength check is unavailable each route answers 503 with Retry-After and changes nothing', async () => {
      const user = await apiUser(t);
      const token = await resetToken(user.email);
      const name = uniqueName('busy_');
      const password = strongPassword();
      estimator.failing = true;
      try {
        const answers = [
          await signUp(name, password),
          await register(t, { email: `${name}@example.com`, name, password }),
          await patch(user, '/api/users/me', { password, current_password: user.password }),
          await reset(token, password),
        ];
        for (const res of answers) {
          assert.equal(res.statusCode, 503, res.body);
          assert.deepEqual(res.json(), { detail: passwordCheckUnavailableMessage });
          assert.equal(res.headers['retry-after'], '5');
        }
      } finally {
        estimator.failing = false;
      }
      assert.equal(await t.app.context.usersRepository.findByUsername(name), null);
      assert.equal((await logIn(t, user.email, user.password)).statusCode, 200);
      assert.equal((await reset(token, password)).statusCode, 200);
    });
  });
}
