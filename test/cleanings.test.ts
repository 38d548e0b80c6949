import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiUser } from './helpers/api-accounts.js';
import { createTestApp, dialects, newUser, type TestApp, type TestUser } from './helpers/test-app.js';

for (const dialect of dialects) {
  describe(`cleanings on ${dialect}`, () => {
    let t: TestApp;
    let alice: TestUser;
    let bob: TestUser;

    before(async () => {
      t = await createTestApp(dialect);
      alice = await newUser(t);
      bob = await newUser(t);
    });
    after(() => t.close());

    const create = (user: TestUser, newCleaning: Record<string, unknown>) =>
      t.inject({ method: 'POST', url: '/api/cleanings', headers: user.headers, payload: { new_cleaning: newCleaning } });
    const update = (user: TestUser, id: number | string, cleaningUpdate: unknown) =>
      t.inject({ method: 'PUT', url: `/api/cleanings/${id}`, headers: user.headers, payload: { cleaning_update: cleaningUpdate } });

    test('POST /api/cleanings creates a job: 201 with every field, spot_clean by default, owner is the caller id', async () => {
      const res = await create(alice, { name: 'test cleaning', description: 'test description', price: 10.0 });
      assert.equal(res.statusCode, 201);
      const body = res.json();
      assert.deepEqual(Object.keys(body).sort(), ['cleaning_type', 'created_at', 'description', 'id', 'name', 'owner', 'price', 'updated_at']);
      assert.equal(typeof body.id, 'number');
      assert.equal(body.name, 'test cleaning');
      assert.equal(body.description, 'test description');
      assert.equal(body.price, 10);
      assert.equal(body.cleaning_type, 'spot_clean');
      assert.equal(body.owner, alice.id);
      assert.equal(body.created_at, body.updated_at);
      const full = await create(alice, { name: 'full', price: '29.99', cleaning_type: 'full_clean' });
      assert.equal(full.statusCode, 201);
      assert.equal(full.json().cleaning_type, 'full_clean');
      assert.equal(full.json().description, null);
      assert.equal(full.json().price, 29.99);
    });

    test('prices are exact cents: numbers and decimal strings with up to 2 decimals, stored as integers', async () => {
      const cases: [number | string, number, string][] = [
        [0.1, 0.1, '0.1'],
        [0.01, 0.01, '0.01'],
        ['19.99', 19.99, '19.99'],
        ['7', 7, '7'],
        [1234567.89, 1234567.89, '1234567.89'],
        ['100000000.00', 100000000, '100000000'],
        [' 3.50 ', 3.5, '3.5'],
      ];
      for (const [price, expected, text] of cases) {
        const res = await create(alice, { name: 'priced', price });
        assert.equal(res.statusCode, 201, String(price));
        assert.equal(res.json().price, expected);
        assert.ok(res.body.includes(`"price":${text},`), res.body);
        const row = await t.app.context.database.db
          .selectFrom('cleanings')
          .select('price_cents')
          .where('id', '=', res.json().id)
          .executeTakeFirstOrThrow();
        assert.equal(Number(row.price_cents), Math.round(expected * 100));
        assert.ok(Number.isInteger(Number(row.price_cents)));
      }
    });

    test('bad prices, names and types are 422 and write nothing', async () => {
      const u = await newUser(t);
      const cases: [Record<string, unknown>, (string | number)[]][] = [
        [{ name: 'x', price: 0 }, ['body', 'new_cleaning', 'price']],
        [{ name: 'x', price: '0.00' }, ['body', 'new_cleaning', 'price']],
        [{ name: 'x', price: -1 }, ['body', 'new_cleaning', 'price']],
        [{ name: 'x', price: '-5' }, ['body', 'new_cleaning', 'price']],
        [{ name: 'x', price: 1.005 }, ['body', 'new_cleaning', 'price']],
        [{ name: 'x', price: '10.999' }, ['body', 'new_cleaning', 'price']],
        [{ name: 'x', price: 1e-7 }, ['body', 'new_cleaning', 'price']],
        [{ name: 'x', price: 1e21 }, ['body', 'new_cleaning', 'price']],
        [{ name: 'x', price: 100000000.01 }, ['body', 'new_cleaning', 'price']],
        [{ name: 'x', price: '99999999999999' }, ['body', 'new_cleaning', 'price']],
        [{ name: 'x', price: 'ten' }, ['body', 'new_cleaning', 'price']],
        [{ name: 'x', price: '1e3' }, ['body', 'new_cleaning', 'price']],
        [{ name: 'x', price: true }, ['body', 'new_cleaning', 'price']],
        [{ name: 'x', price: null }, ['body', 'new_cleaning', 'price']],
        [{ name: 'x' }, ['body', 'new_cleaning', 'price']],
        [{ price: 10 }, ['body', 'new_cleaning', 'name']],
        [{ name: '', price: 10 }, ['body', 'new_cleaning', 'name']],
        [{ name: 'x'.repeat(101), price: 10 }, ['body', 'new_cleaning', 'name']],
        [{ name: 'x', price: 10, description: 'd'.repeat(2001) }, ['body', 'new_cleaning', 'description']],
        [{ name: 'x', price: 10, cleaning_type: 'not a real type' }, ['body', 'new_cleaning', 'cleaning_type']],
      ];
      for (const [payload, loc] of cases) {
        const res = await create(u, payload);
        assert.equal(res.statusCode, 422, JSON.stringify(payload));
        assert.deepEqual(res.json().detail[0].loc, loc, JSON.stringify(payload));
      }
      const unwrapped = await t.inject({ method: 'POST', url: '/api/cleanings', headers: u.headers, payload: { name: 'x', price: 10 } });
      assert.equal(unwrapped.statusCode, 422);
      assert.deepEqual(unwrapped.json().detail[0].loc, ['body', 'new_cleaning']);
      const list = await t.inject({ method: 'GET', url: '/api/cleanings', headers: u.headers });
      assert.deepEqual(list.json(), []);
    });

    test("GET /api/cleanings lists only the caller's jobs, oldest first", async () => {
      const u = await newUser(t);
      const ids = [];
      for (const name of ['one', 'two', 'three']) ids.push((await create(u, { name, price: 5 })).json().id);
      await create(bob, { name: 'not yours', price: 5 });
      const res = await t.inject({ method: 'GET', url: '/api/cleanings', headers: u.headers });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json().map((c: { id: number }) => c.id), ids);
      assert.ok(res.json().every((c: { owner: string }) => c.owner === u.id));
    });

    test('GET /api/cleanings/{id} reads any job, with the owner as their public part', async () => {
      const created = (await create(alice, { name: 'readable', price: 12.5, cleaning_type: 'dust_up' })).json();
      const res = await t.inject({ method: 'GET', url: `/api/cleanings/${created.id}`, headers: bob.headers });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.deepEqual({ ...body, owner: undefined }, { ...created, owner: undefined });
      assert.deepEqual(body.owner, { id: alice.id, name: alice.username });
    });

    test("the owner's email shows only to the owner and to superusers, and account flags to nobody", async () => {
      const owner = await apiUser(t);
      const stranger = await apiUser(t);
      const superuser = await apiUser(t, { superuser: true });
      const created = await t.inject({ method: 'POST', url: '/api/cleanings', headers: owner.headers, payload: { new_cleaning: { name: 'job', price: 20 } } });
      const read = async (headers: { authorization: string }) =>
        (await t.inject({ method: 'GET', url: `/api/cleanings/${created.json().id}`, headers })).json().owner;
      assert.deepEqual(await read(stranger.headers), { id: owner.id, name: owner.name });
      assert.deepEqual(await read(owner.headers), { id: owner.id, name: owner.name, email: owner.email });
      assert.deepEqual(await read(superuser.headers), { id: owner.id, name: owner.name, email: owner.email });
    });

    test('ids below 1 or not integers are 422; unknown ids are 404 on every route', async () => {
      for (const id of ['0', '-1', 'abc', '1.5', '99999999999']) {
        for (const method of ['GET', 'PUT', 'DELETE'] as const) {
          const res = await t.inject({ method, url: `/api/cleanings/${id}`, headers: alice.headers, payload: method === 'PUT' ? { cleaning_update: { name: 'x' } } : undefined });
          assert.equal(res.statusCode, 422, `${method} ${id}`);
          assert.deepEqual(res.json().detail[0].loc, ['path', 'cleaning_id']);
        }
      }
      for (const method of ['GET', 'PUT', 'DELETE'] as const) {
        const res = await t.inject({ method, url: '/api/cleanings/500000', headers: alice.headers, payload: method === 'PUT' ? { cleaning_update: { name: 'x' } } : undefined });
        assert.equal(res.statusCode, 404, method);
        assert.deepEqual(res.json(), { detail: 'No cleaning found with that id.' });
      }
    });

    test('PUT changes only the given fields, bumps updated_at, and ignores an owner field', async () => {
      const created = (await create(alice, { name: 'before', description: 'desc', price: 10, cleaning_type: 'dust_up' })).json();
      const cases: [Record<string, unknown>, Record<string, unknown>][] = [
        [{ name: 'after' }, { name: 'after' }],
        [{ description: 'new description' }, { description: 'new description' }],
        [{ price: '3.14' }, { price: 3.14 }],
        [{ cleaning_type: 'full_clean' }, { cleaning_type: 'full_clean' }],
        [{ name: 'both', cleaning_type: 'spot_clean', price: 99.9 }, { name: 'both', cleaning_type: 'spot_clean', price: 99.9 }],
        [{ description: null }, { description: null }],
        [{ owner: bob.id }, {}],
      ];
      let current = created;
      for (const [change, expected] of cases) {
        const res = await update(alice, created.id, change);
        assert.equal(res.statusCode, 200, JSON.stringify(change));
        const body = res.json();
        assert.deepEqual({ ...body, updated_at: undefined }, { ...current, ...expected, updated_at: undefined });
        assert.equal(body.owner, alice.id);
        assert.ok(body.updated_at >= current.updated_at);
        current = body;
      }
      assert.ok(current.updated_at > created.created_at);
      const read = await t.inject({ method: 'GET', url: `/api/cleanings/${created.id}`, headers: alice.headers });
      assert.equal(read.json().owner.id, alice.id);
      assert.equal(read.json().name, 'both');
    });

    test('PUT by anyone but the owner is 403 and changes nothing', async () => {
      const created = (await create(alice, { name: 'mine', price: 10 })).json();
      const res = await update(bob, created.id, { name: 'stolen' });
      assert.equal(res.statusCode, 403);
      assert.deepEqual(res.json(), { detail: 'Users are only able to modify cleanings that they own.' });
      const read = await t.inject({ method: 'GET', url: `/api/cleanings/${created.id}`, headers: alice.headers });
      assert.equal(read.json().name, 'mine');
      assert.equal(read.json().updated_at, created.updated_at);
    });

    test('PUT input errors: cleaning_type null is 400, other bad values 422', async () => {
      const created = (await create(alice, { name: 'strict', price: 10 })).json();
      const nullType = await update(alice, created.id, { cleaning_type: null });
      assert.equal(nullType.statusCode, 400);
      assert.deepEqual(nullType.json(), { detail: 'Invalid cleaning type. Cannot be None.' });
      for (const change of [{ cleaning_type: 'invalid cleaning type' }, { price: -1 }, { price: '1.001' }, { price: null }, { name: '' }, { name: null }]) {
        const res = await update(alice, created.id, change);
        assert.equal(res.statusCode, 422, JSON.stringify(change));
      }
      const missing = await t.inject({ method: 'PUT', url: `/api/cleanings/${created.id}`, headers: alice.headers, payload: {} });
      assert.equal(missing.statusCode, 422);
      const read = await t.inject({ method: 'GET', url: `/api/cleanings/${created.id}`, headers: alice.headers });
      assert.equal(read.json().price, 10);
      assert.equal(read.json().updated_at, created.updated_at);
    });

    test('an empty update changes nothing, not even updated_at', async () => {
      const created = (await create(alice, { name: 'still', price: 10 })).json();
      const res = await update(alice, created.id, {});
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), created);
    });

    test("DELETE by the owner answers 200 with the job's id, as phresh does, and the job is gone; by anyone else 403", async () => {
      const created = (await create(alice, { name: 'doomed', price: 10 })).json();
      const forbidden = await t.inject({ method: 'DELETE', url: `/api/cleanings/${created.id}`, headers: bob.headers });
      assert.equal(forbidden.statusCode, 403);
      const res = await t.inject({ method: 'DELETE', url: `/api/cleanings/${created.id}`, headers: alice.headers });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json(), created.id);
      const read = await t.inject({ method: 'GET', url: `/api/cleanings/${created.id}`, headers: alice.headers });
      assert.equal(read.statusCode, 404);
      const again = await t.inject({ method: 'DELETE', url: `/api/cleanings/${created.id}`, headers: alice.headers });
      assert.equal(again.statusCode, 404);
    });

    test('trailing slashes are accepted', async () => {
      const created = await t.inject({ method: 'POST', url: '/api/cleanings/', headers: alice.headers, payload: { new_cleaning: { name: 'slash', price: 1 } } });
      assert.equal(created.statusCode, 201);
      const list = await t.inject({ method: 'GET', url: '/api/cleanings/', headers: alice.headers });
      assert.equal(list.statusCode, 200);
      const one = await t.inject({ method: 'GET', url: `/api/cleanings/${created.json().id}/`, headers: alice.headers });
      assert.equal(one.statusCode, 200);
    });

    test('deleting the owner account deletes their jobs (ON DELETE CASCADE)', async () => {
      const u = await newUser(t);
      const created = (await create(u, { name: 'orphan', price: 1 })).json();
      await t.app.context.usersRepository.delete(u.id);
      const read = await t.inject({ method: 'GET', url: `/api/cleanings/${created.id}`, headers: alice.headers });
      assert.equal(read.statusCode, 404);
    });

    test('every /api/cleanings route needs a bearer token', async () => {
      const routes: [string, string][] = [
        ['GET', '/api/cleanings'],
        ['POST', '/api/cleanings'],
        ['GET', '/api/cleanings/1'],
        ['PUT', '/api/cleanings/1'],
        ['DELETE', '/api/cleanings/1'],
      ];
      for (const [method, url] of routes) {
        for (const headers of [{}, { authorization: 'Bearer not-a-token' }, { authorization: alice.token }]) {
          const res = await t.inject({ method: method as 'GET', url, headers, payload: method === 'POST' || method === 'PUT' ? {} : undefined });
          assert.equal(res.statusCode, 401, `${method} ${url}`);
          assert.deepEqual(res.json(), { detail: 'Not Authorized' });
        }
      }
    });
  });
}
