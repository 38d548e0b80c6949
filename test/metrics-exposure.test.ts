import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiUser } from './helpers/api-accounts.js';
import { createTestApp, dialects, type TestApp } from './helpers/test-app.js';

const maxScrapeBytes = 64 * 1024;

for (const dialect of dialects) {
  describe(`/metrics size and cost on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { RATE_LIMIT_MAX: '1000000' });
    });
    after(() => t.close());

    test('stays under 64 KB after every route was called every way that yields a different status', async () => {
      const account = await apiUser(t);
      const document = (await t.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
      const routes = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })));
      assert.ok(routes.length > 30, String(routes.length));
      const fill = (path: string, value: string) => path.replace(/\{[^}]+\}/g, value);
      // A token of its own for every request, as one route (log-out) revokes the token it is called with.
      const auth = () => ({ authorization: `Bearer ${t.app.context.accessTokens.issue(account.id).token}` });
      const variants = [
        (path: string) => ({ url: fill(path, '1') }),
        (path: string) => ({ url: fill(path, '1'), headers: auth() }),
        (path: string) => ({ url: fill(path, 'not-a-number'), headers: auth() }),
        (path: string) => ({ url: fill(path, '999999'), headers: auth(), payload: { unexpected: true } }),
        (path: string) => ({ url: fill(path, '1'), headers: { ...auth(), 'content-type': 'application/json' }, payload: '{"broken' }),
        (path: string) => ({ url: fill(path, '1'), headers: { ...auth(), 'content-type': 'text/csv' }, payload: 'a,b' }),
        (path: string) => ({ url: fill(path, '1'), headers: { authorization: 'Bearer forged' } }),
        (path: string) => ({ url: `${fill(path, '1')}?offset=-1&limit=0&order=X&page_chunk_size=0`, headers: auth() }),
      ];
      let requests = 0;
      for (const { method, path } of routes) {
        for (const variant of variants) {
          await t.inject({ method: method as 'GET', ...variant(path) });
          requests++;
        }
      }
      for (const { method, path } of routes.filter((route) => route.method === 'GET')) {
        await t.inject({ method: 'HEAD', url: fill(path, '1'), headers: auth() });
        requests++;
      }
      for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND', 'MKCOL', 'LOCK', 'PURGE', 'SEARCH']) {
        await t.inject({ method: method as 'GET', url: `/no/such/${method}` });
        requests++;
      }
      const res = await t.inject({ method: 'GET', url: '/metrics' });
      assert.equal(res.statusCode, 200);
      const bytes = Buffer.byteLength(res.body);
      assert.ok(bytes < maxScrapeBytes, `${bytes} bytes after ${requests} requests over ${routes.length} routes`);

      // The bound holds even if every route answered every status the API ever sends, at every latency.
      const { metrics } = t.app.context;
      const statuses = [200, 201, 204, 301, 400, 401, 403, 404, 405, 409, 413, 414, 415, 422, 429, 500, 503];
      for (const { method, path } of routes) {
        const route = path.replace(/\{([^}]+)\}/g, ':$1');
        for (const [index, status] of statuses.entries()) metrics.observeRequest(method, route, status, index / 4);
      }
      const worst = Buffer.byteLength((await t.inject({ method: 'GET', url: '/metrics' })).body);
      assert.ok(worst < maxScrapeBytes, `${worst} bytes with every status on each of ${routes.length} routes`);
    });

    test('stays under 64 KB however many routes are added: past the first pairs, routes share the series "other"', async () => {
      const { metrics } = t.app.context;
      const statuses = [200, 201, 204, 301, 400, 401, 403, 404, 405, 409, 413, 414, 415, 422, 429, 500, 503];
      // Three hundred routes with long patterns, every method, every status, every latency bucket.
      const longRoute = (i: number) => `/api/some-long-feature-name-${i}/:first_parameter_id/nested-resources/:second_parameter_id/actions`;
      for (let i = 0; i < 300; i++) {
        for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
          for (const [index, status] of statuses.entries()) metrics.observeRequest(method, longRoute(i), status, index / 4);
        }
      }
      const body = (await t.inject({ method: 'GET', url: '/metrics' })).body;
      assert.ok(Buffer.byteLength(body) < maxScrapeBytes, `${Buffer.byteLength(body)} bytes`);
      assert.match(body, /spruce_http_requests_total\{method="other",route="other",status="5xx"\} [1-9]/);
      assert.doesNotMatch(body, /some-long-feature-name-299\//);
    });

    test('concurrent scrapes share one rendering', async () => {
      const { registry } = t.app.context.metrics;
      const render = registry.metrics.bind(registry);
      let renderings = 0;
      // A slow rendering, so all sixteen requests surely arrive while it runs.
      registry.metrics = async () => {
        renderings++;
        await new Promise((resolve) => setTimeout(resolve, 300));
        return render();
      };
      try {
        const responses = await Promise.all(Array.from({ length: 16 }, () => t.inject({ method: 'GET', url: '/metrics' })));
        assert.ok(responses.every((res) => res.statusCode === 200));
        assert.equal(renderings, 1);
        // A later scrape renders afresh, so counts are never stale.
        await t.inject({ method: 'GET', url: '/metrics' });
        assert.equal(renderings, 2);
      } finally {
        registry.metrics = render;
      }
    });
  });
}

for (const dialect of dialects) {
  describe(`/metrics in production on ${dialect}`, () => {
    const production = { NODE_ENV: 'production', MAIL_TO_OUTBOX: 'true' };

    test('without METRICS_TOKEN it is not served at all', async () => {
      const t = await createTestApp(dialect, production);
      try {
        const res = await t.inject({ method: 'GET', url: '/metrics' });
        assert.equal(res.statusCode, 404);
        assert.deepEqual(res.json(), { detail: 'Not Found' });
      } finally {
        await t.close();
      }
    });

    test('with METRICS_TOKEN only the bearer of the token gets it', async () => {
      const token = 'production-scrape-token-0123456789';
      const t = await createTestApp(dialect, { ...production, METRICS_TOKEN: token });
      try {
        assert.equal((await t.inject({ method: 'GET', url: '/metrics' })).statusCode, 401);
        const res = await t.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } });
        assert.equal(res.statusCode, 200);
        assert.match(res.body, /spruce_http_requests_total/);
      } finally {
        await t.close();
      }
    });
  });
}
