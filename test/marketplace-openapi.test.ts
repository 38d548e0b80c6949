import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { bearerSecurity } from '../src/http/authentication.js';

describe('OpenAPI document of the marketplace routes', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite');
  });
  after(() => t.close());

  test('describes every /api route with a tag, a summary and bearer security', async () => {
    const res = await t.inject({ method: 'GET', url: '/openapi.json' });
    const paths = res.json().paths as Record<string, Record<string, { tags?: string[]; summary?: string; security?: unknown }>>;
    const expected: Record<string, string[]> = {
      '/api/cleanings': ['get', 'post'],
      '/api/cleanings/{cleaning_id}': ['delete', 'get', 'put'],
      '/api/cleanings/{cleaning_id}/offers': ['delete', 'get', 'post', 'put'],
      '/api/cleanings/{cleaning_id}/offers/{username}': ['delete', 'get', 'put'],
      '/api/users/{username}/evaluations': ['get'],
      '/api/users/{username}/evaluations/stats': ['get'],
      '/api/users/{username}/evaluations/{cleaning_id}': ['get', 'post'],
      '/api/profiles/me': ['put'],
      '/api/profiles/{username}': ['get'],
      '/api/feed/cleanings': ['get'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      assert.ok(paths[path], path);
      assert.deepEqual(Object.keys(paths[path]!).sort(), methods, path);
      for (const method of methods) {
        const operation: { tags?: string[]; summary?: string; security?: unknown } = paths[path]![method]!;
        assert.ok(operation.tags?.length, `${method} ${path} tags`);
        assert.ok(operation.summary, `${method} ${path} summary`);
        assert.deepEqual(operation.security, bearerSecurity, `${method} ${path} security`);
      }
    }
  });
});
