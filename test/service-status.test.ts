import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiUser, bearer, type ApiUser } from './helpers/api-accounts.js';
import { createTestApp, dialects, type TestApp } from './helpers/test-app.js';

interface Report {
  status: string;
  uptime_seconds: number;
  checks: { name: string; status: string; duration_ms: number }[];
  database: { dialect: string; pool: { in_use: number; idle: number; waiting: number } };
  store: { kind: string };
  job_queue: { kind: string; status: string; counts: Record<string, number>; failed_attempts_total: number };
  requests: { total: number; by_status_class: Record<string, number>; duration_seconds_sum: number; duration_count: number; duration_buckets: { le: number; count: number }[] };
}

for (const dialect of dialects) {
  describe(`GET /api/admin/status on ${dialect}`, () => {
    let t: TestApp;
    let admin: ApiUser;
    let plain: ApiUser;
    before(async () => {
      t = await createTestApp(dialect);
      admin = await apiUser(t, { superuser: true });
      plain = await apiUser(t);
    });
    after(() => t.close());

    const status = async (headers: Record<string, string> = admin.headers) => t.inject({ method: 'GET', url: '/api/admin/status', headers });
    const report = async (): Promise<Report> => {
      const res = await status();
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['cache-control'], 'no-store');
      return res.json();
    };

    test('is for superusers: 401 without a valid token, 403 for anyone else', async () => {
      for (const headers of [{}, bearer('garbage')]) {
        const res = await status(headers);
        assert.equal(res.statusCode, 401);
        assert.deepEqual(res.json(), { detail: 'Not Authorized' });
      }
      const res = await status(plain.headers);
      assert.equal(res.statusCode, 403);
      assert.deepEqual(res.json(), { detail: 'Forbidden' });
    });

    test('reports the checks, the database, the store and the job queue this process runs', async () => {
      const body = await report();
      assert.equal(body.status, 'ok');
      assert.deepEqual(body.checks.map((c) => [c.name, c.status]), [['database', 'ok'], ['store', 'ok']]);
      assert.ok(body.checks.every((c) => c.duration_ms >= 0));
      assert.equal(body.database.dialect, dialect);
      assert.ok(body.database.pool.in_use + body.database.pool.idle >= 1);
      const redis = t.app.context.config.redisUrl !== null;
      assert.equal(body.store.kind, redis ? 'redis' : 'memory');
      assert.equal(body.job_queue.kind, redis ? 'bullmq' : 'in-process');
      assert.equal(body.job_queue.status, 'ok');
      assert.deepEqual(Object.keys(body.job_queue.counts).sort(), redis ? ['active', 'delayed', 'failed', 'waiting'] : ['failed', 'unfinished']);
    });

    test('counts requests by status class with their latency, and failed job attempts, since start', async () => {
      const first = await report();
      for (let i = 0; i < 3; i++) assert.equal((await t.inject({ method: 'GET', url: '/no-such-route' })).statusCode, 404);
      t.app.context.metrics.jobsFailed.inc({ job: 'send-email' });
      const second = await report();
      // The three 404s and the first report itself (counted once answered).
      assert.equal(second.requests.total - first.requests.total, 4);
      assert.equal((second.requests.by_status_class['4xx'] ?? 0) - (first.requests.by_status_class['4xx'] ?? 0), 3);
      assert.equal(second.requests.duration_count - first.requests.duration_count, 4);
      assert.ok(second.requests.duration_seconds_sum > first.requests.duration_seconds_sum);
      const buckets = second.requests.duration_buckets;
      assert.deepEqual(buckets.map((b) => b.le), [0.01, 0.05, 0.25, 1]);
      assert.ok(buckets.every((b, i) => i === 0 || b.count >= (buckets[i - 1] as { count: number }).count));
      assert.ok((buckets.at(-1) as { count: number }).count <= second.requests.duration_count);
      assert.equal(second.job_queue.failed_attempts_total - first.job_queue.failed_attempts_total, 1);
    });

    test('a backing service that does not answer is reported as degraded, not as an error', async () => {
      const { jobs, store } = t.app.context;
      const counts = jobs.counts;
      const ping = store.ping;
      jobs.counts = async () => {
        throw new Error('queue down');
      };
      store.ping = async () => false;
      try {
        const body = await report();
        assert.equal(body.status, 'degraded');
        assert.deepEqual(body.checks.find((c) => c.name === 'store')?.status, 'unavailable');
        assert.equal(body.job_queue.status, 'unavailable');
        assert.deepEqual(body.job_queue.counts, {});
      } finally {
        jobs.counts = counts;
        store.ping = ping;
      }
      assert.equal((await report()).status, 'ok');
    });
  });
}
