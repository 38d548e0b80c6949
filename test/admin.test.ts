import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { apiPassword, apiUser, bearer, logIn, type ApiUser } from './helpers/api-accounts.js';
import { createTestApp, dialects, uniqueName, type TestApp } from './helpers/test-app.js';

for (const dialect of dialects) {
  describe(`/api superuser routes on ${dialect}`, () => {
    let t: TestApp;
    let admin: ApiUser;
    let plain: ApiUser;
    before(async () => {
      t = await createTestApp(dialect);
      admin = await apiUser(t, { superuser: true });
      plain = await apiUser(t);
    });
    after(() => t.close());

    const as = (user: { headers: { authorization: string } } | null, method: 'GET' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
      t.inject({ method, url, headers: user?.headers ?? {}, ...(payload === undefined ? {} : { payload }) });

    const adminRoutes = (id: string): ['GET' | 'PATCH' | 'DELETE', string, object?][] => [
      ['GET', '/api/users'],
      ['GET', `/api/users/${id}`],
      ['PATCH', `/api/users/${id}`, { is_superuser: true }],
      ['DELETE', `/api/users/${id}`],
    ];

    test('without a valid token every admin route is 401, before anything else', async () => {
      for (const id of [plain.id, 'not-a-uuid']) {
        for (const [method, url, payload] of adminRoutes(id)) {
          for (const headers of [null, { headers: bearer('garbage') }]) {
            const res = await as(headers, method, url, payload);
            assert.equal(res.statusCode, 401, `${method} ${url}`);
            assert.deepEqual(res.json(), { detail: 'Not Authorized' });
          }
        }
      }
    });

    test('a user who is not a superuser is 403 Forbidden on every admin route, whatever the id', async () => {
      for (const id of [plain.id, admin.id, randomUUID(), 'not-a-uuid']) {
        for (const [method, url, payload] of [...adminRoutes(id), ['GET', '/api/users?limit=0'] as const]) {
          const res = await as(plain, method, url, payload);
          assert.equal(res.statusCode, 403, `${method} ${url}`);
          assert.deepEqual(res.json(), { detail: 'Forbidden' });
        }
      }
      assert.equal((await t.app.context.usersRepository.findById(plain.id))?.isSuperuser, false);
    });

    test('GET /api/users pages through every account, oldest first', async () => {
      for (let i = 0; i < 3; i++) await apiUser(t);
      const all = await as(admin, 'GET', '/api/users');
      assert.equal(all.statusCode, 200);
      const body = all.json();
      assert.deepEqual(Object.keys(body).sort(), ['items', 'limit', 'offset', 'total']);
      assert.equal(body.offset, 0);
      assert.equal(body.limit, 50);
      assert.equal(body.total, await t.app.context.usersRepository.count());
      assert.equal(body.items.length, body.total);
      const order = body.items.map((u: { created_at: string; id: string }) => `${u.created_at}|${u.id}`);
      assert.deepEqual(order, [...order].sort());
      assert.equal(body.items[0].id, admin.id);
      assert.ok(body.items.every((u: Record<string, unknown>) => !('hashed_password' in u)));

      const page = await as(admin, 'GET', '/api/users/?offset=1&limit=2');
      assert.equal(page.statusCode, 200);
      assert.deepEqual(page.json(), { items: body.items.slice(1, 3), total: body.total, offset: 1, limit: 2 });
      const past = (await as(admin, 'GET', `/api/users?offset=${body.total}`)).json();
      assert.deepEqual(past.items, []);
    });

    test('GET /api/users?q= finds accounts by part of the name or email, without regard to case, and counts only those', async () => {
      const tag = uniqueName('Srch').toLowerCase();
      const names = [`${tag}_one`, `${tag.toUpperCase()}x2`];
      const ids: string[] = [];
      for (const name of names) {
        const res = await t.inject({ method: 'POST', url: '/api/users', payload: { new_user: { email: `${name.toLowerCase()}@example.com`, name, password: apiPassword } } });
        assert.equal(res.statusCode, 201, res.body);
        ids.push(res.json().id);
      }
      const search = async (q: string, extra = '') => {
        const res = await as(admin, 'GET', `/api/users?q=${encodeURIComponent(q)}${extra}`);
        assert.equal(res.statusCode, 200, res.body);
        return res.json() as { items: { id: string }[]; total: number; offset: number; limit: number };
      };
      const both = await search(tag.toUpperCase());
      assert.deepEqual(both.items.map((u) => u.id), ids);
      assert.equal(both.total, 2);
      // By email only (the second name has no underscore before "x2"; its address has the same text).
      assert.deepEqual((await search(`${tag}x2@example`)).items.map((u) => u.id), [ids[1]]);
      // `_` and `%` match themselves, not any character: "<tag>_" finds only the name with an underscore there.
      assert.deepEqual((await search(`${tag}_`)).items.map((u) => u.id), [ids[0]]);
      assert.equal((await search('%')).total, 0);
      assert.equal((await search('!')).total, 0);
      // Paged like the full list, the total still counting every match.
      assert.deepEqual(await search(tag, '&offset=1&limit=1'), { items: [both.items[1]], total: 2, offset: 1, limit: 1 });
      assert.equal((await search('no-such-account-anywhere')).total, 0);
    });

    test('a bad search is 422', async () => {
      for (const query of ['q=', `q=${'a'.repeat(101)}`]) {
        const res = await as(admin, 'GET', `/api/users?${query}`);
        assert.equal(res.statusCode, 422, query);
        assert.deepEqual(res.json().detail[0].loc, ['query', 'q']);
      }
    });

    test('bad paging is 422', async () => {
      for (const query of ['limit=0', 'limit=101', 'limit=-1', 'offset=-1', 'limit=ten', 'offset=1.5']) {
        const res = await as(admin, 'GET', `/api/users?${query}`);
        assert.equal(res.statusCode, 422, query);
        assert.equal(res.json().detail[0].loc[0], 'query');
      }
    });

    test('GET /api/users/{id}: the account; a missing or malformed id is 404 Not Found', async () => {
      const res = await as(admin, 'GET', `/api/users/${plain.id}`);
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().email, plain.email);
      assert.equal((await as(admin, 'GET', `/api/users/${plain.id.toUpperCase()}`)).json().id, plain.id);
      for (const id of [randomUUID(), 'not-a-uuid', '123', `${plain.id}x`, "1' or '1'='1"]) {
        for (const [method, , payload] of adminRoutes(id)) {
          const missing = await as(admin, method, `/api/users/${encodeURIComponent(id)}`, payload);
          assert.equal(missing.statusCode, 404, `${method} ${id}`);
          assert.deepEqual(missing.json(), { detail: 'Not Found' });
        }
      }
    });

    test('PATCH sets flags: a deactivated account is shut out at once; a promoted one can use the admin routes', async () => {
      const user = await apiUser(t);
      const promoted = await as(admin, 'PATCH', `/api/users/${user.id}`, { is_superuser: true });
      assert.equal(promoted.statusCode, 200);
      assert.equal(promoted.json().is_superuser, true);
      assert.equal((await as(user, 'GET', '/api/users')).statusCode, 200);

      const off = await as(admin, 'PATCH', `/api/users/${user.id}`, { is_active: false, is_superuser: false });
      assert.equal(off.statusCode, 200);
      assert.deepEqual([off.json().is_active, off.json().is_superuser], [false, false]);
      assert.equal((await t.inject({ method: 'GET', url: '/api/users/me', headers: user.headers })).statusCode, 401);
      assert.equal((await t.inject({ method: 'GET', url: '/todos', headers: user.headers })).statusCode, 401);
      assert.equal((await logIn(t, user.email, apiPassword)).json().detail, 'LOGIN_BAD_CREDENTIALS');

      const unverified = await as(admin, 'PATCH', `/api/users/${user.id}`, { is_active: true, is_verified: false });
      assert.equal(unverified.json().is_verified, false);
      assert.equal((await logIn(t, user.email, apiPassword)).json().detail, 'LOGIN_USER_NOT_VERIFIED');
      await as(admin, 'PATCH', `/api/users/${user.id}`, { is_verified: true });
      assert.equal((await logIn(t, user.email, apiPassword)).statusCode, 200);
    });

    test('PATCH name, email and password; the password ends the account’s older tokens; conflicts are 400', async () => {
      const user = await apiUser(t);
      const name = uniqueName('byadmin');
      const email = `${name}@example.com`;
      const res = await as(admin, 'PATCH', `/api/users/${user.id}`, { name, email, is_verified: true, password: 'set-by-admin-1' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual([res.json().name, res.json().email, res.json().is_verified], [name, email, true]);
      assert.equal((await t.inject({ method: 'GET', url: '/api/users/me', headers: user.headers })).statusCode, 401);
      assert.equal((await logIn(t, email, 'set-by-admin-1')).statusCode, 200);

      const emailTaken = await as(admin, 'PATCH', `/api/users/${user.id}`, { email: plain.email.toUpperCase() });
      assert.equal(emailTaken.statusCode, 400);
      assert.deepEqual(emailTaken.json(), { detail: 'UPDATE_USER_EMAIL_ALREADY_EXISTS' });
      const nameTaken = await as(admin, 'PATCH', `/api/users/${user.id}`, { name: plain.name });
      assert.deepEqual(nameTaken.json(), { detail: 'UPDATE_USER_NAME_ALREADY_EXISTS' });
      const weak = await as(admin, 'PATCH', `/api/users/${user.id}`, { password: 'weak' });
      assert.equal(weak.statusCode, 400);
      assert.equal(weak.json().detail.code, 'UPDATE_USER_INVALID_PASSWORD');
      assert.equal((await as(admin, 'PATCH', `/api/users/${user.id}`, { is_active: 'yes' })).statusCode, 422);
    });

    test('DELETE removes the account: 204, then 404, and its tokens stop working', async () => {
      const user = await apiUser(t);
      const res = await as(admin, 'DELETE', `/api/users/${user.id}`);
      assert.equal(res.statusCode, 204);
      assert.equal(res.body, '');
      assert.equal((await as(admin, 'GET', `/api/users/${user.id}`)).statusCode, 404);
      assert.equal((await as(admin, 'DELETE', `/api/users/${user.id}`)).statusCode, 404);
      assert.equal((await t.inject({ method: 'GET', url: '/todos', headers: user.headers })).statusCode, 401);
    });
  });
}
