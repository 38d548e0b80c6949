import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, dialects, newUser, type TestApp, type TestUser } from './helpers/test-app.js';

for (const dialect of dialects) {
  describe(`todos on ${dialect}`, () => {
    let t: TestApp;
    let alice: TestUser;
    let bob: TestUser;

    before(async () => {
      t = await createTestApp(dialect);
      alice = await newUser(t);
      bob = await newUser(t);
    });
    after(() => t.close());

    const create = (user: TestUser, content: string, is_done = false) =>
      t.inject({ method: 'POST', url: '/todos', headers: user.headers, payload: { content, is_done } });

    test('POST /todos creates a todo and returns 201 with it', async () => {
      const res = await create(alice, 'FastAPI Section 0', true);
      assert.equal(res.statusCode, 201);
      const body = res.json();
      assert.equal(typeof body.id, 'number');
      assert.deepEqual(body, { id: body.id, content: 'FastAPI Section 0', is_done: true });
    });

    test('GET /todos lists only the caller’s todos, oldest first, and newest first with order=DESC', async () => {
      const u = await newUser(t);
      const ids: number[] = [];
      for (const content of ['one', 'two', 'three']) ids.push((await create(u, content)).json().id);
      await create(bob, 'not yours');

      const asc = await t.inject({ method: 'GET', url: '/todos', headers: u.headers });
      assert.equal(asc.statusCode, 200);
      assert.deepEqual(asc.json(), {
        todos: [
          { id: ids[0], content: 'one', is_done: false },
          { id: ids[1], content: 'two', is_done: false },
          { id: ids[2], content: 'three', is_done: false },
        ],
      });
      const explicitAsc = await t.inject({ method: 'GET', url: '/todos?order=ASC', headers: u.headers });
      assert.deepEqual(explicitAsc.json(), asc.json());

      const desc = await t.inject({ method: 'GET', url: '/todos?order=DESC', headers: u.headers });
      assert.deepEqual(desc.json().todos.map((todo: { id: number }) => todo.id), [...ids].reverse());
    });

    test('GET /todos for a user with no todos is an empty list', async () => {
      const u = await newUser(t);
      const res = await t.inject({ method: 'GET', url: '/todos', headers: u.headers });
      assert.deepEqual(res.json(), { todos: [] });
    });

    test('GET /todos with an unknown order is 422', async () => {
      const res = await t.inject({ method: 'GET', url: '/todos?order=SIDEWAYS', headers: alice.headers });
      assert.equal(res.statusCode, 422);
      assert.deepEqual(res.json().detail[0].loc, ['query', 'order']);
    });

    test('GET /todos/{id} returns the todo; a missing one is 404 ToDo Not Found', async () => {
      const { id } = (await create(alice, 'read me')).json();
      const res = await t.inject({ method: 'GET', url: `/todos/${id}`, headers: alice.headers });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { id, content: 'read me', is_done: false });

      const missing = await t.inject({ method: 'GET', url: '/todos/999999', headers: alice.headers });
      assert.equal(missing.statusCode, 404);
      assert.deepEqual(missing.json(), { detail: 'ToDo Not Found' });
    });

    test('PATCH /todos/{id} marks done and undone', async () => {
      const { id } = (await create(alice, 'toggle me')).json();
      const done = await t.inject({ method: 'PATCH', url: `/todos/${id}`, headers: alice.headers, payload: { is_done: true } });
      assert.equal(done.statusCode, 200);
      assert.deepEqual(done.json(), { id, content: 'toggle me', is_done: true });
      const undone = await t.inject({ method: 'PATCH', url: `/todos/${id}`, headers: alice.headers, payload: { is_done: false } });
      assert.deepEqual(undone.json(), { id, content: 'toggle me', is_done: false });
      const missing = await t.inject({ method: 'PATCH', url: '/todos/999999', headers: alice.headers, payload: { is_done: true } });
      assert.equal(missing.statusCode, 404);
      assert.deepEqual(missing.json(), { detail: 'ToDo Not Found' });
    });

    test('DELETE /todos/{id} is 204 with no body, then the todo is gone', async () => {
      const { id } = (await create(alice, 'delete me')).json();
      const res = await t.inject({ method: 'DELETE', url: `/todos/${id}`, headers: alice.headers });
      assert.equal(res.statusCode, 204);
      assert.equal(res.body, '');
      const again = await t.inject({ method: 'DELETE', url: `/todos/${id}`, headers: alice.headers });
      assert.equal(again.statusCode, 404);
      assert.deepEqual(again.json(), { detail: 'ToDo Not Found' });
      const read = await t.inject({ method: 'GET', url: `/todos/${id}`, headers: alice.headers });
      assert.equal(read.statusCode, 404);
    });

    test("another user's todo is exactly like a missing one: read, change and delete are 404 and change nothing", async () => {
      const { id } = (await create(alice, 'alice only')).json();
      const read = await t.inject({ method: 'GET', url: `/todos/${id}`, headers: bob.headers });
      const change = await t.inject({ method: 'PATCH', url: `/todos/${id}`, headers: bob.headers, payload: { is_done: true } });
      const remove = await t.inject({ method: 'DELETE', url: `/todos/${id}`, headers: bob.headers });
      const missing = await t.inject({ method: 'GET', url: '/todos/999998', headers: bob.headers });
      for (const res of [read, change, remove]) {
        assert.equal(res.statusCode, 404);
        assert.deepEqual(res.json(), missing.json());
      }
      const still = await t.inject({ method: 'GET', url: `/todos/${id}`, headers: alice.headers });
      assert.deepEqual(still.json(), { id, content: 'alice only', is_done: false });
      const bobs = await t.inject({ method: 'GET', url: '/todos', headers: bob.headers });
      assert.ok(!bobs.json().todos.some((todo: { id: number }) => todo.id === id));
    });

    test('invalid todo input is 422 in FastAPI shape and writes nothing', async () => {
      const u = await newUser(t);
      const cases: [unknown, (string | number)[]][] = [
        [{ is_done: false }, ['body', 'content']],
        [{ content: 'x' }, ['body', 'is_done']],
        [{ content: '', is_done: false }, ['body', 'content']],
        [{ content: 'x'.repeat(257), is_done: false }, ['body', 'content']],
        [{ content: 5, is_done: false }, ['body', 'content']],
        [{ content: 'x', is_done: 'yes' }, ['body', 'is_done']],
        [[1, 2], ['body']],
      ];
      for (const [payload, loc] of cases) {
        const res = await t.inject({ method: 'POST', url: '/todos', headers: u.headers, payload: payload as object });
        assert.equal(res.statusCode, 422, JSON.stringify(payload));
        const [issue] = res.json().detail;
        assert.deepEqual(issue.loc, loc, JSON.stringify(payload));
        assert.equal(typeof issue.msg, 'string');
        assert.equal(typeof issue.type, 'string');
      }
      const malformed = await t.inject({
        method: 'POST',
        url: '/todos',
        headers: { ...u.headers, 'content-type': 'application/json' },
        payload: '{"content": "x",',
      });
      assert.equal(malformed.statusCode, 422);
      assert.equal(malformed.json().detail[0].type, 'json_invalid');
      const empty = await t.inject({ method: 'POST', url: '/todos', headers: { ...u.headers, 'content-type': 'application/json' }, payload: '' });
      assert.equal(empty.statusCode, 422);
      const list = await t.inject({ method: 'GET', url: '/todos', headers: u.headers });
      assert.deepEqual(list.json(), { todos: [] });
    });

    test('content of exactly 256 characters, including non-ASCII, is accepted', async () => {
      const content = 'é'.repeat(256);
      const res = await create(alice, content);
      assert.equal(res.statusCode, 201);
      assert.equal(res.json().content, content);
    });

    test('bad todo ids are 422; ids past the integer range are 422, never 500', async () => {
      for (const id of ['abc', '0', '-1', '1.5', '99999999999999999999']) {
        const res = await t.inject({ method: 'GET', url: `/todos/${id}`, headers: alice.headers });
        assert.equal(res.statusCode, 422, id);
        assert.deepEqual(res.json().detail[0].loc, ['path', 'todo_id']);
      }
    });

    test('PATCH with a missing or wrong-typed is_done is 422', async () => {
      const { id } = (await create(alice, 'strict')).json();
      for (const payload of [{}, { is_done: 'true' }, { is_done: null }]) {
        const res = await t.inject({ method: 'PATCH', url: `/todos/${id}`, headers: alice.headers, payload });
        assert.equal(res.statusCode, 422, JSON.stringify(payload));
      }
    });

    test('every /todos route needs a bearer token', async () => {
      const routes: [string, string][] = [
        ['GET', '/todos'],
        ['POST', '/todos'],
        ['GET', '/todos/1'],
        ['PATCH', '/todos/1'],
        ['DELETE', '/todos/1'],
      ];
      for (const [method, url] of routes) {
        const res = await t.inject({ method: method as 'GET', url, payload: method === 'POST' ? { content: 'x', is_done: false } : undefined });
        assert.equal(res.statusCode, 401, `${method} ${url}`);
        assert.deepEqual(res.json(), { detail: 'Not Authorized' });
        assert.equal(res.headers['www-authenticate'], 'Bearer');
      }
    });
  });
}
