import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, dialects, newUser, type TestApp } from './helpers/test-app.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus' text format (the sample lines; comments are skipped). */
function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key as string] = value as string;
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

for (const dialect of dialects) {
  describe(`GET /metrics on ${dialect}`, () => {
    let t: TestApp;
    const scrape = async () => {
      const res = await t.inject({ method: 'GET', url: '/metrics' });
      assert.equal(res.statusCode, 200);
      return parseSamples(res.body);
    };
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    test('answers in the Prometheus text format with default process metrics', async () => {
      const res = await t.inject({ method: 'GET', url: '/metrics' });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      assert.match(res.body, /# TYPE spruce_http_requests_total counter/);
      assert.match(res.body, /# TYPE spruce_http_request_duration_seconds histogram/);
      const samples = parseSamples(res.body);
      for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) {
        assert.ok(valueOf(samples, name) !== undefined, name);
      }
    });

    test('requests are counted and timed by method, route pattern and status class, never by raw URL', async () => {
      const user = await newUser(t);
      const created = await t.inject({ method: 'POST', url: '/todos', headers: user.headers, payload: { content: 'a', is_done: false } });
      const id = created.json().id as number;
      await t.inject({ method: 'GET', url: `/todos/${id}`, headers: user.headers });
      await t.inject({ method: 'GET', url: `/todos/${id + 1000}`, headers: user.headers });
      await t.inject({ method: 'GET', url: '/todos/999999?x=1', headers: user.headers });
      await t.inject({ method: 'GET', url: '/no/such/route/123' });
      await t.inject({ method: 'GET', url: '/another-unknown-url' });

      const samples = await scrape();
      const requests = samples.filter((s) => s.name === 'spruce_http_requests_total');
      assert.equal(valueOf(requests, 'spruce_http_requests_total', { method: 'GET', route: '/todos/:todo_id', status: '2xx' }), 1);
      assert.equal(valueOf(requests, 'spruce_http_requests_total', { method: 'GET', route: '/todos/:todo_id', status: '4xx' }), 2);
      assert.equal(valueOf(requests, 'spruce_http_requests_total', { method: 'POST', route: '/todos', status: '2xx' }), 1);
      assert.equal(valueOf(requests, 'spruce_http_requests_total', { method: 'POST', route: '/users/sign-up', status: '2xx' }), 1);
      assert.equal(valueOf(requests, 'spruce_http_requests_total', { method: 'any', route: 'unmatched', status: '4xx' }), 2);
      for (const sample of requests) assert.deepEqual(Object.keys(sample.labels).sort(), ['method', 'route', 'status']);
      // Exact codes are counted once for the whole API.
      const responses = samples.filter((s) => s.name === 'spruce_http_responses_total');
      assert.ok((valueOf(responses, 'spruce_http_responses_total', { status_code: '404' }) ?? 0) >= 4);
      assert.ok((valueOf(responses, 'spruce_http_responses_total', { status_code: '201' }) ?? 0) >= 2);
      for (const sample of responses) assert.deepEqual(Object.keys(sample.labels), ['status_code']);
      for (const sample of requests) assert.doesNotMatch(sample.labels.route ?? '', /\d|\?/, sample.labels.route);

      // Latency is by method and route only: one series per route, whatever the statuses.
      const durations = samples.filter((s) => s.name.startsWith('spruce_http_request_duration_seconds'));
      for (const sample of durations) assert.equal(sample.labels.status_code, undefined);
      assert.equal(valueOf(samples, 'spruce_http_request_duration_seconds_count', { method: 'GET', route: '/todos/:todo_id' }), 3);
      const count = valueOf(samples, 'spruce_http_request_duration_seconds_count', { method: 'POST', route: '/users/log-in' });
      assert.equal(count, 1);
      const sum = valueOf(samples, 'spruce_http_request_duration_seconds_sum', { method: 'POST', route: '/users/log-in' });
      assert.ok(sum !== undefined && sum > 0 && sum < 10, String(sum));
    });

    test('reports the database pool', async () => {
      const samples = await scrape();
      for (const state of ['in_use', 'idle', 'waiting']) {
        const value = valueOf(samples, 'spruce_db_pool_connections', { state });
        assert.ok(value !== undefined && value >= 0, state);
      }
      if (dialect === 'sqlite') assert.equal(valueOf(samples, 'spruce_db_pool_connections', { state: 'idle' }), 1);
      else assert.ok((valueOf(samples, 'spruce_db_pool_connections', { state: 'idle' }) ?? 0) >= 1);
    });

    test('the job queue: its depth by state from the start, failed jobs by name, and a reader can be swapped', async () => {
      const { metrics } = t.app.context;
      let samples = await scrape();
      // The app's own queue (in-process on SQLite, BullMQ on the Redis leg) reports from the first scrape.
      assert.equal(valueOf(samples, 'spruce_job_queue_depth', { state: 'failed' }), 0);

      metrics.jobsFailed.inc({ job: 'send-email' });
      metrics.jobsFailed.inc({ job: 'send-email' });
      metrics.reportJobQueueDepth(async () => ({ waiting: 4, active: 1, delayed: 0 }));
      samples = await scrape();
      assert.equal(valueOf(samples, 'spruce_jobs_failed_total', { job: 'send-email' }), 2);
      assert.equal(valueOf(samples, 'spruce_job_queue_depth', { state: 'waiting' }), 4);
      assert.equal(valueOf(samples, 'spruce_job_queue_depth', { state: 'active' }), 1);

      // A queue that cannot be read must not break the scrape; the depth is just missing this time.
      metrics.reportJobQueueDepth(async () => {
        throw new Error('redis down');
      });
      samples = await scrape();
      assert.equal(valueOf(samples, 'spruce_job_queue_depth', { state: 'waiting' }), undefined);
      assert.equal(valueOf(samples, 'spruce_jobs_failed_total', { job: 'send-email' }), 2);
    });

    test('each app has its own registry', async () => {
      const other = await createTestApp(dialect);
      try {
        await other.inject({ method: 'GET', url: '/health' });
        const res = await other.inject({ method: 'GET', url: '/metrics' });
        const samples = parseSamples(res.body);
        assert.equal(valueOf(samples, 'spruce_http_requests_total', { route: '/health' }), 1);
        assert.equal(valueOf(samples, 'spruce_http_requests_total', { route: '/users/sign-up' }), undefined);
        assert.equal(valueOf(samples, 'spruce_jobs_failed_total', { job: 'send-email' }), undefined);
      } finally {
        await other.close();
      }
    });

    test('is left out of the OpenAPI document, while /health and /ready stay in it', async () => {
      const paths = Object.keys((await t.inject({ method: 'GET', url: '/openapi.json' })).json().paths);
      assert.ok(!paths.includes('/metrics'));
      assert.ok(paths.includes('/health') && paths.includes('/ready'));
    });
  });

  describe(`/metrics protection on ${dialect}`, () => {
    test('METRICS_ENABLED=false: 404, while requests are still served', async () => {
      const t = await createTestApp(dialect, { METRICS_ENABLED: 'false' });
      try {
        const res = await t.inject({ method: 'GET', url: '/metrics' });
        assert.equal(res.statusCode, 404);
        assert.deepEqual(res.json(), { detail: 'Not Found' });
        assert.equal((await t.inject({ method: 'GET', url: '/health' })).statusCode, 200);
      } finally {
        await t.close();
      }
    });

    test('METRICS_TOKEN set: 401 without the right bearer token, 200 with it', async () => {
      const token = 'scrape-token-0123456789';
      const t = await createTestApp(dialect, { METRICS_TOKEN: token });
      try {
        for (const authorization of [undefined, 'Bearer wrong', `Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, token, `Basic ${token}`, 'Bearer ']) {
          const res = await t.inject({ method: 'GET', url: '/metrics', headers: authorization === undefined ? {} : { authorization } });
          assert.equal(res.statusCode, 401, String(authorization));
          assert.deepEqual(res.json(), { detail: 'Not Authorized' });
          assert.equal(res.headers['www-authenticate'], 'Bearer');
        }
        const res = await t.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } });
        assert.equal(res.statusCode, 200);
        assert.match(res.body, /spruce_http_requests_total\{method="GET",route="\/metrics",status="4xx"\} 7/);
        assert.match(res.body, /spruce_http_responses_total\{status_code="401"\} 7/);
      } finally {
        await t.close();
      }
    });
  });
}
