import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerCors } from '../src/http/cors.js';
import { registerErrorHandling } from '../src/http/errors.js';
import { createTestApp, dialects, type TestApp } from './helpers/test-app.js';

const allowed = 'https://app.example';

for (const dialect of dialects) {
  describe(`security headers on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    test('API responses carry helmet headers and a CSP that lets a browser load nothing', async () => {
      for (const url of ['/health', '/todos', '/no-such-route']) {
        const res = await t.inject({ method: 'GET', url });
        assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
        assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN', url);
        assert.equal(res.headers['referrer-policy'], 'no-referrer', url);
        assert.match(String(res.headers['strict-transport-security']), /max-age=\d+/, url);
        assert.equal(res.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'", url);
        assert.equal(res.headers['x-powered-by'], undefined, url);
      }
    });

    test('Swagger UI at /docs still works: its page, its own assets and a CSP that allows them', async () => {
      const page = await t.inject({ method: 'GET', url: '/docs' });
      assert.equal(page.statusCode, 200);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      const csp = String(page.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /script-src 'self'/);
      assert.doesNotMatch(csp, /upgrade-insecure-requests/);
      assert.doesNotMatch(csp, /unsafe-eval/);

      const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
      for (const asset of ['/docs/static/swagger-ui-bundle.js', '/docs/static/swagger-initializer.js', '/docs/static/swagger-ui.css']) {
        assert.ok(assets.includes(asset), `${asset} in ${assets.join(', ')}`);
        const res = await t.inject({ method: 'GET', url: asset });
        assert.equal(res.statusCode, 200, asset);
      }
      assert.doesNotMatch(page.body, /<script>(?!\s*<\/script>)/, 'no inline script the CSP would block');
      const spec = await t.inject({ method: 'GET', url: '/docs/json' });
      assert.equal(spec.statusCode, 200);
      assert.equal(spec.json().info.title, 'Spruce');
    });
  });

  describe(`CORS on ${dialect}`, () => {
    test('with no CORS_ORIGINS nothing is allowed: no CORS header, and a preflight is not answered', async () => {
      const t = await createTestApp(dialect);
      try {
        const res = await t.inject({ method: 'GET', url: '/health', headers: { origin: allowed } });
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['access-control-allow-origin'], undefined);
        const preflight = await t.inject({
          method: 'OPTIONS',
          url: '/todos',
          headers: { origin: allowed, 'access-control-request-method': 'POST' },
        });
        // An OPTIONS that no CORS answers is a wrong method on a known path, as FastAPI without CORS says.
        assert.equal(preflight.statusCode, 405);
        assert.equal(preflight.headers['access-control-allow-origin'], undefined);
        assert.equal(preflight.headers['access-control-allow-methods'], undefined);
      } finally {
        await t.close();
      }
    });

    describe('with CORS_ORIGINS set', () => {
      let t: TestApp;
      before(async () => {
        t = await createTestApp(dialect, { CORS_ORIGINS: `${allowed}, https://admin.example` });
      });
      after(() => t.close());

      test('a listed origin gets Access-Control-Allow-Origin, without credentials', async () => {
        for (const origin of [allowed, 'https://admin.example']) {
          const res = await t.inject({ method: 'GET', url: '/health', headers: { origin } });
          assert.equal(res.headers['access-control-allow-origin'], origin);
          assert.equal(res.headers['access-control-allow-credentials'], undefined);
          assert.match(String(res.headers.vary), /Origin/);
          assert.match(String(res.headers['access-control-expose-headers']), /X-Request-Id/);
        }
      });

      test('an origin not on the list gets no Access-Control-Allow-Origin, on requests and on preflights', async () => {
        const res = await t.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example' } });
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['access-control-allow-origin'], undefined);
        const preflight = await t.inject({
          method: 'OPTIONS',
          url: '/todos',
          headers: { origin: 'https://evil.example', 'access-control-request-method': 'DELETE' },
        });
        assert.equal(preflight.headers['access-control-allow-origin'], undefined);
      });

      test('a preflight from a listed origin is 204 with the allowed methods and the Authorization header', async () => {
        const res = await t.inject({
          method: 'OPTIONS',
          url: '/todos/1',
          headers: { origin: allowed, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,content-type' },
        });
        assert.equal(res.statusCode, 204);
        assert.equal(res.headers['access-control-allow-origin'], allowed);
        assert.equal(res.headers['access-control-allow-methods'], 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
        assert.match(String(res.headers['access-control-allow-headers']), /Authorization/);
        assert.equal(res.headers['access-control-allow-credentials'], undefined);
      });

      test('a plain OPTIONS (no Origin, no Access-Control-Request-Method) is not treated as a preflight', async () => {
        for (const headers of [{}, { origin: allowed }]) {
          const res = await t.inject({ method: 'OPTIONS', url: '/todos', headers });
          assert.equal(res.statusCode, 405, JSON.stringify(headers));
          assert.deepEqual(res.json(), { detail: 'Method Not Allowed' });
          assert.match(String(res.headers.allow), /^GET, HEAD, POST/);
          assert.equal(res.headers['access-control-allow-methods'], undefined);
        }
      });
    });
  });
}

describe('CORS and routes with their own OPTIONS handler', () => {
  let app: FastifyInstance;
  before(async () => {
    app = Fastify();
    registerErrorHandling(app);
    await registerCors(app, [allowed]);
    app.get('/api/users', async () => []);
    app.options('/api/users', async (_request, reply) => reply.code(204).header('Allow', 'GET, OPTIONS').send());
    await app.ready();
  });
  after(() => app.close());

  test('a plain OPTIONS reaches the route, which answers 204 with its Allow header', async () => {
    for (const headers of [{}, { origin: allowed }, { origin: 'https://evil.example' }]) {
      const res = await app.inject({ method: 'OPTIONS', url: '/api/users', headers });
      assert.equal(res.statusCode, 204, JSON.stringify(headers));
      assert.equal(res.headers.allow, 'GET, OPTIONS', JSON.stringify(headers));
      assert.equal(res.headers['access-control-allow-methods'], undefined);
    }
  });

  test('a real preflight to the same route is still answered by CORS', async () => {
    const res = await app.inject({ method: 'OPTIONS', url: '/api/users', headers: { origin: allowed, 'access-control-request-method': 'GET' } });
    assert.equal(res.statusCode, 204);
    assert.equal(res.headers['access-control-allow-origin'], allowed);
    assert.match(String(res.headers['access-control-allow-methods']), /GET/);
    assert.equal(res.headers.allow, undefined);
  });
});
