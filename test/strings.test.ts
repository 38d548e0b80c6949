import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createTestApp, dialects, newUser, uniqueName, type TestApp } from './helpers/test-app.js';

/**
 * Strings mean the same on every database: each holds any Unicode character (MySQL's utf8mb4, not its 3-byte
 * utf8), and stored strings compare by code point (MySQL's default collations fold case and accents and ignore
 * trailing spaces; Spruce's tables use a binary, no-pad one).
 */
for (const dialect of dialects) {
  describe(`strings on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    test('emoji and other 4-byte characters are stored and returned exactly, and count as one character each', async () => {
      const user = await newUser(t);
      const content = `🌲 ${'😀'.repeat(250)} 𝔰𝔭𝔯`;
      const created = await t.inject({ method: 'POST', url: '/todos', headers: user.headers, payload: { content, is_done: false } });
      assert.equal(created.statusCode, 201, created.body);
      const read = await t.inject({ method: 'GET', url: `/todos/${created.json().id}`, headers: user.headers });
      assert.equal(read.json().content, content);
      const full = await t.inject({ method: 'POST', url: '/todos', headers: user.headers, payload: { content: '😀'.repeat(256), is_done: true } });
      assert.equal(full.statusCode, 201, full.body);
      const tooLong = await t.inject({ method: 'POST', url: '/todos', headers: user.headers, payload: { content: '😀'.repeat(257), is_done: true } });
      assert.equal(tooLong.statusCode, 422);
    });

    test('a NUL character gets the same 422 on every database, and nothing is written', async () => {
      const user = await newUser(t);
      for (const content of ['a\u0000b', 'trailing\u0000']) {
        const res = await t.inject({ method: 'POST', url: '/todos', headers: user.headers, payload: { content, is_done: false } });
        assert.equal(res.statusCode, 422, res.body);
        assert.deepEqual(res.json().detail[0].loc, ['body', 'content']);
      }
      assert.deepEqual((await t.inject({ method: 'GET', url: '/todos', headers: user.headers })).json().todos, []);
    });

    test('a password with emoji signs up and logs in; a username with one is refused by the rules', async () => {
      const username = uniqueName('emo_');
      const password = 'stapled-🐴-battery-9';
      assert.equal((await t.inject({ method: 'POST', url: '/users/sign-up', payload: { username, password } })).statusCode, 201);
      assert.equal((await t.inject({ method: 'POST', url: '/users/log-in', payload: { username, password } })).statusCode, 200);
      assert.equal((await t.inject({ method: 'POST', url: '/users/log-in', payload: { username, password: 'stapled-🐎-battery-9' } })).statusCode, 401);
      const refused = await t.inject({ method: 'POST', url: '/users/sign-up', payload: { username: 'abc😀d', password } });
      assert.equal(refused.statusCode, 422);
    });

    test('stored strings compare by code point: no accent folding, no trailing-space padding', async () => {
      const users = t.app.context.usersRepository;
      const tag = randomUUID().slice(0, 8);
      const insert = (email: string) =>
        users.transaction((trx) =>
          users.insert({ id: randomUUID(), username: uniqueName('cmp_'), email, hashed_password: 'x', is_active: true, is_superuser: false, is_verified: false }, trx),
        );
      const plain = await insert(`cafe-${tag}@example.com`);
      // Unique on PostgreSQL and SQLite; a case- and accent-insensitive collation would call it a duplicate.
      const accented = await insert(`café-${tag}@example.com`);
      assert.equal((await users.findByEmail(`cafe-${tag}@example.com`))?.id, plain.id);
      assert.equal((await users.findByEmail(`café-${tag}@example.com`))?.id, accented.id);
      assert.equal(await users.findByEmail(`cafe-${tag}@example.com `), null);
      assert.equal(await users.findByUsername(`${plain.username} `), null);
      assert.equal((await users.findByUsername(plain.username.toUpperCase()))?.id, plain.id);
    });
  });
}
