import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, dialects, newUser, type TestApp } from './helpers/test-app.js';

for (const dialect of dialects) {
  describe(`HTTP basics on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    test('GET / answers pong', async () => {
      const res = await t.inject({ method: 'GET', url: '/' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { ping: 'pong' });
    });

    test('GET /health is liveness; GET /ready checks the database and the store', async () => {
      assert.deepEqual((await t.inject({ method: 'GET', url: '/health' })).json(), { status: 'ok' });
      const ready = await t.inject({ method: 'GET', url: '/ready' });
      assert.equal(ready.statusCode, 200);
      assert.equal(ready.json().checks.database, 'ok');
    });

    test('the OpenAPI document lists the routes and a bearer scheme; Swagger UI is served at /docs', async () => {
      const doc = (await t.inject({ method: 'GET', url: '/openapi.json' })).json();
      assert.match(doc.openapi, /^3\./);
      for (const path of ['/users/sign-up', '/users/log-in', '/todos', '/todos/{todo_id}']) assert.ok(doc.paths[path], path);
      assert.equal(doc.components.securitySchemes.bearerAuth.scheme, 'bearer');
      assert.ok(doc.paths['/todos'].get.security.length > 0);
      const docs = await t.inject({ method: 'GET', url: '/docs' });
      assert.ok([200, 302].includes(docs.statusCode));
      const page = await t.inject({ method: 'GET', url: '/docs/' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /swagger/i);
    });

    test('unknown routes are 404 {"detail": "Not Found"}', async () => {
      const res = await t.inject({ method: 'GET', url: '/nothing-here' });
      assert.equal(res.statusCode, 404);
      assert.deepEqual(res.json(), { detail: 'Not Found' });
    });

    test('a wrong method on a known path is 405 with Allow, as FastAPI answers; before authentication', async () => {
      const cases: [string, string, string][] = [
        ['DELETE', '/', 'GET, HEAD'],
        ['DELETE', '/todos', 'GET, HEAD, POST'],
        ['PUT', '/todos/', 'GET, HEAD, POST'],
        ['POST', '/todos/5', 'GET, HEAD, PATCH, DELETE'],
        ['GET', '/users/sign-up', 'POST'],
        ['PATCH', '/api/cleanings/1/offers?x=1', 'GET, HEAD, POST, PUT, DELETE'],
        ['GET', '/api/token', 'POST'],
      ];
      for (const [method, url, allow] of cases) {
        const res = await t.inject({ method: method as 'GET', url });
        assert.equal(res.statusCode, 405, `${method} ${url}`);
        assert.equal(res.headers.allow, allow, `${method} ${url}`);
        assert.deepEqual(res.json(), { detail: 'Method Not Allowed' });
      }
      // The path still decides first: an unknown one stays 404 whatever the method.
      assert.equal((await t.inject({ method: 'DELETE', url: '/nothing-here' })).statusCode, 404);
      assert.equal((await t.inject({ method: 'POST', url: '/api/cleanings/1/nothing' })).statusCode, 404);
    });

    test('a missing file under a static route is 404, not 405; a wrong method there is still 405', async () => {
      for (const method of ['GET', 'HEAD'] as const) {
        const missing = await t.inject({ method, url: '/docs/static/no-such-file.js' });
        assert.equal(missing.statusCode, 404, `${method}: ${missing.body}`);
        assert.equal(missing.headers.allow, undefined);
        if (method === 'GET') assert.deepEqual(missing.json(), { detail: 'Not Found' });
      }
      assert.equal((await t.inject({ method: 'GET', url: '/docs/static/swagger-ui.css' })).statusCode, 200);
      const wrongMethod = await t.inject({ method: 'POST', url: '/docs/static/no-such-file.js' });
      assert.equal(wrongMethod.statusCode, 405);
      assert.equal(wrongMethod.headers.allow, 'GET, HEAD');
    });

    test('odd bodies never produce a 500', async () => {
      const user = await newUser(t);
      const bodies: [string, string][] = [
        ['application/json', 'null'],
        ['application/json', '"just a string"'],
        ['application/json', '{"content": "x", "is_done": false, "__proto__": {"admin": true}}'],
        ['application/json', '{'.repeat(10000)],
        ['text/plain', 'hello'],
        ['application/json', '\u0000'],
      ];
      for (const [contentType, payload] of bodies) {
        const res = await t.inject({ method: 'POST', url: '/todos', headers: { ...user.headers, 'content-type': contentType }, payload });
        assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${contentType} ${payload.slice(0, 20)} -> ${res.statusCode}`);
        assert.ok('detail' in res.json());
      }
      const huge = await t.inject({
        method: 'POST',
        url: '/users/sign-up',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ username: 'abcd', password: 'x'.repeat(2 * 1024 * 1024) }),
      });
      assert.equal(huge.statusCode, 413);
    });
  });
}

describe('readiness when the database is gone', () => {
  test('/ready answers 503 and names the database', async () => {
    const t = await createTestApp('sqlite');
    try {
      await t.app.context.database.close();
      const res = await t.inject({ method: 'GET', url: '/ready' });
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().checks.database, 'unavailable');
      assert.equal((await t.inject({ method: 'GET', url: '/health' })).statusCode, 200);
    } finally {
      await t.close().catch(() => {});
    }
  });

  for (const [name, url] of [
    ['PostgreSQL', 'postgres://postgres@127.0.0.1:1/none'],
    ['MySQL', 'mysql://root@127.0.0.1:1/none'],
  ] as const) {
    test(`a ${name} server that cannot be reached gives 503 on data routes and 503 on /ready, never a hang`, { timeout: 30_000 }, async () => {
      const t = await createTestApp('sqlite');
      const { buildApp } = await import('../src/app.js');
      const { loadConfig } = await import('../src/config/config.js');
      const app = await buildApp(loadConfig({ ...t.env, DATABASE_URL: url, MIGRATE_ON_START: 'false' }));
      try {
        const started = Date.now();
        const ready = await app.inject({ method: 'GET', url: '/ready' });
        assert.equal(ready.statusCode, 503);
        const signUp = await app.inject({ method: 'POST', url: '/users/sign-up', payload: { username: 'nobody', password: 'correct-horse-9' } });
        assert.equal(signUp.statusCode, 503);
        assert.match(signUp.json().detail, /database/i);
        assert.ok(Date.now() - started < 15_000);
        assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
      } finally {
        await app.close();
        await t.close();
      }
    });
  }
});
