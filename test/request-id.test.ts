import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, dialects, type TestApp } from './helpers/test-app.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

for (const dialect of dialects) {
  describe(`X-Request-Id on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { RATE_LIMIT_MAX: '5' });
    });
    after(() => t.close());

    test('every response gets a fresh UUID when the request brings none', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const res = await t.inject({ method: 'GET', url: '/health' });
        const id = String(res.headers['x-request-id']);
        assert.match(id, uuid);
        ids.add(id);
      }
      assert.equal(ids.size, 3);
    });

    test('a sane incoming id is kept, so one request can be followed from the load balancer on', async () => {
      for (const id of ['abc', 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6', '0123456789abcdef0123456789abcdef', 'lb.1_2-3', 'x'.repeat(128)]) {
        const res = await t.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': id } });
        assert.equal(res.headers['x-request-id'], id);
      }
    });

    test('an id that is too long or has other characters is replaced by a UUID', async () => {
      for (const id of ['x'.repeat(129), 'has space', 'a\u00e9b', 'inject"quote', '{"json":1}', 'a/b', 'a;b', '']) {
        const res = await t.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': id } });
        assert.match(String(res.headers['x-request-id']), uuid, JSON.stringify(id));
      }
    });

    test('error responses carry the id too: 404, 401, 422 and 429', async () => {
      const cases = [
        { method: 'GET', url: '/no-such-route', status: 404 },
        { method: 'GET', url: '/todos', status: 401 },
        { method: 'POST', url: '/users/sign-up', payload: { username: 'x' }, status: 422 },
      ] as const;
      for (const { status, ...request } of cases) {
        const res = await t.inject({ ...request, headers: { 'x-request-id': `req-${status}` } });
        assert.equal(res.statusCode, status);
        assert.equal(res.headers['x-request-id'], `req-${status}`);
      }
      let limited;
      for (let i = 0; i < 10 && limited === undefined; i++) {
        const res = await t.inject({ method: 'GET', url: '/', headers: { 'x-request-id': `req-429-${i}` } });
        if (res.statusCode === 429) limited = { res, i };
      }
      assert.ok(limited, 'the rate limit was reached');
      assert.equal(limited.res.headers['x-request-id'], `req-429-${limited.i}`);
    });
  });
}
