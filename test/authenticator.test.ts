import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, dialects, newUser, type TestApp } from './helpers/test-app.js';

for (const dialect of dialects) {
  describe(`the authenticator's cached answers on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());
    const authenticator = () => t.app.context.authenticator;

    test('a token this process has not checked yet has no cached answer; once checked, the cache gives the same caller', async () => {
      const user = await newUser(t);
      // A fresh process (or one whose caches were emptied) has to ask the store and the database.
      await authenticator().accountChanged(user.id);
      assert.equal(authenticator().authenticateFromCache(user.token), undefined);
      const checked = await authenticator().authenticate(user.token);
      assert.equal(checked?.principal.id, user.id);
      const cached = authenticator().authenticateFromCache(user.token);
      assert.equal(cached?.principal.id, user.id);
      assert.equal(cached?.claims.jti, checked?.claims.jti);
      assert.equal((await t.inject({ method: 'GET', url: '/todos', headers: user.headers })).statusCode, 200);
    });

    test('a changed account is asked for again, and a deactivated one is refused', async () => {
      const user = await newUser(t);
      assert.ok(await authenticator().authenticate(user.token));
      await t.app.context.database.db.updateTable('users').set({ is_active: false }).where('id', '=', user.id).execute();
      // Still the cached account until the change is announced...
      assert.equal(authenticator().authenticateFromCache(user.token)?.principal.id, user.id);
      await authenticator().accountChanged(user.id);
      // ...then no cached answer, and asking refuses the token.
      assert.equal(authenticator().authenticateFromCache(user.token), undefined);
      assert.equal(await authenticator().authenticate(user.token), null);
      assert.equal(authenticator().authenticateFromCache(user.token), null);
      assert.equal((await t.inject({ method: 'GET', url: '/todos', headers: user.headers })).statusCode, 401);
    });

    test('a logged-out token and its ended session are refused from the cache, as are forged and malformed tokens', async () => {
      const user = await newUser(t);
      assert.ok(await authenticator().authenticate(user.token));
      assert.equal((await t.inject({ method: 'POST', url: '/api/auth/logout', headers: user.headers })).statusCode, 204);
      assert.equal(authenticator().authenticateFromCache(user.token), null);
      assert.equal((await t.inject({ method: 'GET', url: '/todos', headers: user.headers })).statusCode, 401);
      const [header, payload] = user.token.split('.');
      assert.equal(authenticator().authenticateFromCache(`${header}.${payload}.forged`), null);
      assert.equal(authenticator().authenticateFromCache('not a token'), null);
    });
  });
}
