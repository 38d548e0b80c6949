import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, dialects, newUser, type TestApp, type TestUser } from './helpers/test-app.js';

for (const dialect of dialects) {
  describe(`profiles on ${dialect}`, () => {
    let t: TestApp;
    let alice: TestUser;

    before(async () => {
      t = await createTestApp(dialect);
      alice = await newUser(t);
    });
    after(() => t.close());

    const update = (user: TestUser, profileUpdate: unknown) =>
      t.inject({ method: 'PUT', url: '/api/profiles/me', headers: user.headers, payload: { profile_update: profileUpdate } });
    const read = (user: TestUser, username: string) => t.inject({ method: 'GET', url: `/api/profiles/${username}`, headers: user.headers });

    test('signing up creates an empty profile that any user can read', async () => {
      const u = await newUser(t);
      const row = await t.app.context.database.db.selectFrom('profiles').selectAll().where('user_id', '=', u.id).executeTakeFirst();
      assert.ok(row);
      const res = await read(alice, u.username);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.deepEqual({ ...body, created_at: undefined, updated_at: undefined }, {
        user_id: u.id,
        username: u.username,
        full_name: null,
        phone_number: null,
        bio: null,
        image: null,
        created_at: undefined,
        updated_at: undefined,
      });
      assert.match(body.created_at, /^\d{4}-\d\d-\d\dT/);
      assert.equal((await read(alice, u.username.toUpperCase())).json().user_id, u.id);
    });

    test('PUT /api/profiles/me changes the given fields; null clears one; others keep their value', async () => {
      const u = await newUser(t);
      const first = await update(u, { full_name: 'Ada Lovelace', phone_number: '+44 20 7946-0000', bio: 'I clean.', image: 'https://example.com/a.png' });
      assert.equal(first.statusCode, 200);
      assert.equal(first.json().full_name, 'Ada Lovelace');
      assert.equal(first.json().image, 'https://example.com/a.png');
      const second = await update(u, { bio: null, full_name: 'Ada K.' });
      assert.equal(second.statusCode, 200);
      const before: Record<string, unknown> = first.json();
      const changed: Record<string, unknown> = second.json();
      assert.deepEqual({ ...changed, updated_at: undefined }, {
        ...before,
        full_name: 'Ada K.',
        bio: null,
        updated_at: undefined,
      });
      assert.ok(second.json().updated_at >= first.json().updated_at);
      assert.deepEqual((await read(alice, u.username)).json(), second.json());
    });

    test('a missing profile row reads as empty and is created by the first PUT', async () => {
      const u = await newUser(t);
      await t.app.context.database.db.deleteFrom('profiles').where('user_id', '=', u.id).execute();
      const empty = await read(alice, u.username);
      assert.equal(empty.statusCode, 200);
      assert.equal(empty.json().full_name, null);
      assert.equal(empty.json().created_at, null);
      const res = await update(u, { full_name: 'Back again' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().full_name, 'Back again');
      assert.notEqual(res.json().created_at, null);
    });

    test('bad profile values are 422: non-http(s) image, oversized strings, bad phone numbers', async () => {
      const u = await newUser(t);
      const cases: [Record<string, unknown>, string][] = [
        [{ image: 'javascript:alert(1)' }, 'image'],
        [{ image: 'ftp://example.com/a.png' }, 'image'],
        [{ image: 'not a url' }, 'image'],
        [{ image: `https://example.com/${'a'.repeat(2040)}` }, 'image'],
        [{ full_name: 'n'.repeat(101) }, 'full_name'],
        [{ bio: 'b'.repeat(2001) }, 'bio'],
        [{ phone_number: 'call me' }, 'phone_number'],
        [{ phone_number: '1'.repeat(31) }, 'phone_number'],
        [{ full_name: 5 }, 'full_name'],
      ];
      for (const [change, field] of cases) {
        const res = await update(u, change);
        assert.equal(res.statusCode, 422, JSON.stringify(change));
        assert.deepEqual(res.json().detail[0].loc, ['body', 'profile_update', field]);
      }
      assert.equal((await read(u, u.username)).json().image, null);
    });

    test('unknown usernames are 404; malformed ones 422', async () => {
      const res = await read(alice, 'nobody_here');
      assert.equal(res.statusCode, 404);
      assert.deepEqual(res.json(), { detail: 'No user found with that username.' });
      assert.equal((await read(alice, 'a!')).statusCode, 422);
    });

    test('profile routes need a bearer token and accept trailing slashes', async () => {
      assert.equal((await t.inject({ method: 'GET', url: `/api/profiles/${alice.username}` })).statusCode, 401);
      assert.equal((await t.inject({ method: 'PUT', url: '/api/profiles/me', payload: { profile_update: {} } })).statusCode, 401);
      assert.equal((await t.inject({ method: 'GET', url: `/api/profiles/${alice.username}/`, headers: alice.headers })).statusCode, 200);
      assert.equal((await t.inject({ method: 'PUT', url: '/api/profiles/me/', headers: alice.headers, payload: { profile_update: {} } })).statusCode, 200);
    });
  });
}
