import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiPassword } from './helpers/api-accounts.js';
import { createTestApp, dialects, testPassword, uniqueName, type TestApp } from './helpers/test-app.js';

for (const dialect of dialects) {
  describe(`sign-up throttling per client address on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { SIGNUP_MAX_PER_ADDRESS: '3', SIGNUP_WINDOW_SECONDS: '600' });
    });
    after(() => t.close());

    const todoSignUp = (remoteAddress: string, username = uniqueName('su')) =>
      t.inject({ method: 'POST', url: '/users/sign-up', payload: { username, password: testPassword }, remoteAddress });
    const apiRegister = (remoteAddress: string, name = uniqueName('reg')) =>
      t.inject({ method: 'POST', url: '/api/users', payload: { new_user: { email: `${name}@example.com`, name, password: apiPassword } }, remoteAddress });

    test('both routes count together; past the limit 429 with Retry-After; another address is not held back', async () => {
      assert.equal((await todoSignUp('10.2.0.1')).statusCode, 201);
      assert.equal((await apiRegister('10.2.0.1')).statusCode, 201);
      assert.equal((await todoSignUp('10.2.0.1')).statusCode, 201);
      for (const refused of [await todoSignUp('10.2.0.1'), await apiRegister('10.2.0.1')]) {
        assert.equal(refused.statusCode, 429);
        assert.deepEqual(Object.keys(refused.json()), ['detail']);
        const retryAfter = Number(refused.headers['retry-after']);
        assert.ok(retryAfter >= 1 && retryAfter <= 600, String(retryAfter));
      }
      assert.equal((await apiRegister('10.2.0.2')).statusCode, 201);
    });

    test('refused before any hashing, and nothing is written', async () => {
      for (let i = 0; i < 3; i++) await todoSignUp('10.2.0.3');
      const name = uniqueName('late');
      let hashes = 0;
      const { hasher } = t.app.context;
      const hash = hasher.hash.bind(hasher);
      hasher.hash = (password) => {
        hashes++;
        return hash(password);
      };
      try {
        assert.equal((await todoSignUp('10.2.0.3', name)).statusCode, 429);
      } finally {
        hasher.hash = hash;
      }
      assert.equal(hashes, 0);
      assert.equal(await t.app.context.usersRepository.findByUsername(name), null);
    });

    test('30 sign-ups at once from one address create exactly the limit', async () => {
      const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? todoSignUp('10.2.0.4') : apiRegister('10.2.0.4'))));
      const statuses = responses.map((res) => res.statusCode);
      assert.equal(statuses.filter((s) => s === 201).length, 3);
      assert.equal(statuses.filter((s) => s === 429).length, 27);
    });
  });
}

describe('sign-up throttling settings', () => {
  test('default 20 an hour per address; both settings are read and checked', async () => {
    const { loadConfig, ConfigError } = await import('../src/config/config.js');
    const defaults = loadConfig({ NODE_ENV: 'test' });
    assert.equal(defaults.signUpMaxPerAddress, 20);
    assert.equal(defaults.signUpWindowSeconds, 3600);
    assert.throws(() => loadConfig({ SIGNUP_MAX_PER_ADDRESS: '0' }), ConfigError);
  });
});
