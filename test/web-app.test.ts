import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../src/config/config.js';
import { createTestApp, dialects, type TestApp } from './helpers/test-app.js';

const browserAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const apiPolicy = "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'";

/** A stand-in for Vite's output: index.html, a hashed script with its brotli twin, and a file at the root. */
function fakeBuild(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spruce-web-'));
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/app/assets/index-abc123.js"></script>');
  const script = 'console.log("spruce");'.repeat(100);
  fs.writeFileSync(path.join(root, 'assets', 'index-abc123.js'), script);
  fs.writeFileSync(path.join(root, 'assets', 'index-abc123.js.br'), zlib.brotliCompressSync(script));
  fs.writeFileSync(path.join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return root;
}

for (const dialect of dialects) {
  describe(`web app on ${dialect}`, () => {
    let t: TestApp;
    let root: string;
    before(async () => {
      root = fakeBuild();
      t = await createTestApp(dialect, { WEB_APP_DIR: root });
    });
    after(async () => {
      await t.close();
      fs.rmSync(root, { recursive: true, force: true });
    });

    test('/app/ is the app, with its own narrow CSP and revalidated on every load', async () => {
      for (const url of ['/app/', '/app']) {
        const res = await t.inject({ method: 'GET', url, headers: { accept: browserAccept } });
        assert.equal(res.statusCode, 200, url);
        assert.match(String(res.headers['content-type']), /^text\/html/);
        assert.match(res.body, /<div id="root">/);
        assert.equal(res.headers['cache-control'], 'no-cache');
        const csp = String(res.headers['content-security-policy']);
        assert.match(csp, /default-src 'self'/);
        assert.match(csp, /script-src 'self'(;|$)/);
        assert.match(csp, /style-src 'self'(;|$)/);
        assert.match(csp, /frame-ancestors 'none'/);
        assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
      }
    });

    test('deep links load index.html so the router can show the page', async () => {
      for (const url of ['/app/cleanings/12', '/app/profiles/someone?tab=1', '/app/admin/users']) {
        const res = await t.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 200, url);
        assert.match(res.body, /<div id="root">/, url);
      }
    });

    test('hashed assets are cached for a year and sent brotli-compressed to browsers that accept it', async () => {
      const plain = await t.inject({ method: 'GET', url: '/app/assets/index-abc123.js' });
      assert.equal(plain.statusCode, 200);
      assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.match(plain.body, /console\.log/);

      const compressed = await t.inject({ method: 'GET', url: '/app/assets/index-abc123.js', headers: { 'accept-encoding': 'br, gzip' } });
      assert.equal(compressed.headers['content-encoding'], 'br');
      assert.ok(Number(compressed.headers['content-length']) < plain.body.length);

      const favicon = await t.inject({ method: 'GET', url: '/app/favicon.svg' });
      assert.equal(favicon.statusCode, 200);
      assert.equal(favicon.headers['cache-control'], 'no-cache');
    });

    test('a missing asset is a 404, not the app (a stale page must not run HTML as a script)', async () => {
      for (const url of ['/app/assets/index-old999.js', '/app/missing.css']) {
        const res = await t.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 404, url);
        assert.deepEqual(res.json(), { detail: 'Not Found' });
      }
    });

    test('GET / sends browsers to /app/ and still answers API clients with the seed\'s ping', async () => {
      const browser = await t.inject({ method: 'GET', url: '/', headers: { accept: browserAccept } });
      assert.equal(browser.statusCode, 302);
      assert.equal(browser.headers.location, '/app/');
      assert.equal(browser.headers.vary, 'Accept');

      for (const accept of [undefined, '*/*', 'application/json']) {
        const api = await t.inject({ method: 'GET', url: '/', headers: accept === undefined ? {} : { accept } });
        assert.equal(api.statusCode, 200, String(accept));
        assert.deepEqual(api.json(), { ping: 'pong' });
        assert.equal(api.headers.vary, 'Accept');
      }
    });

    test('the API keeps its default-src \'none\' policy beside the app', async () => {
      for (const url of ['/', '/health', '/todos', '/no-such-route']) {
        const res = await t.inject({ method: 'GET', url });
        assert.equal(res.headers['content-security-policy'], apiPolicy, url);
      }
    });
  });

  describe(`without a web app build on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    test('the API still starts; / is the ping for everyone and /app/ is a plain 404', async () => {
      const browser = await t.inject({ method: 'GET', url: '/', headers: { accept: browserAccept } });
      assert.equal(browser.statusCode, 200);
      assert.deepEqual(browser.json(), { ping: 'pong' });
      const app = await t.inject({ method: 'GET', url: '/app/cleanings/1', headers: { accept: browserAccept } });
      assert.equal(app.statusCode, 404);
      assert.equal(app.headers['content-security-policy'], apiPolicy);
    });
  });
}

describe('PUBLIC_URL', () => {
  test('defaults to this server\'s /app, reachable from the same machine', () => {
    assert.equal(loadConfig({}).publicUrl, 'http://127.0.0.1:8000/app');
    assert.equal(loadConfig({ HOST: '0.0.0.0', PORT: '3000' }).publicUrl, 'http://localhost:3000/app');
    assert.equal(loadConfig({ HOST: '::1', PORT: '3000' }).publicUrl, 'http://[::1]:3000/app');
  });

  test('is unknown with PORT=0, so mails carry the bare token', () => {
    assert.equal(loadConfig({ PORT: '0' }).publicUrl, null);
  });

  test('can be set, and must be an http(s) URL', () => {
    assert.equal(loadConfig({ PUBLIC_URL: 'https://spruce.example/app' }).publicUrl, 'https://spruce.example/app');
    assert.throws(() => loadConfig({ PUBLIC_URL: 'ftp://spruce.example' }), /PUBLIC_URL must start with http:\/\/ or https:\/\//);
  });
});
