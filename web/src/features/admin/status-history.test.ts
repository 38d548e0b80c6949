import { describe, expect, test } from 'vitest';
import type { ServiceStatus } from './api';
import { append, historyLength, toSample } from './status-history';

function reading(at: string, total: number, errors: number, sum: number, count: number, counts: Record<string, number>): ServiceStatus {
  return {
    checked_at: at,
    uptime_seconds: 10,
    status: 'ok',
    checks: [{ name: 'database', status: 'ok', duration_ms: 0.5 }],
    database: { dialect: 'sqlite', pool: { in_use: 1, idle: 0, waiting: 0 } },
    store: { kind: 'memory' },
    job_queue: { kind: 'bullmq', status: 'ok', counts, failed_attempts_total: 0 },
    requests: { total, by_status_class: { '2xx': total - errors, '5xx': errors }, duration_seconds_sum: sum, duration_count: count, duration_buckets: [] },
  };
}

describe('status history', () => {
  test('rates and mean latency are differences between two readings; depth counts unfinished jobs', () => {
    const first = reading('2026-11-22T08:00:00.000Z', 100, 1, 1, 100, { waiting: 2, active: 1, delayed: 1, failed: 3 });
    const second = reading('2026-11-22T08:00:05.000Z', 150, 6, 1.5, 150, { waiting: 0, active: 0, delayed: 0, failed: 4 });
    expect(toSample(first, undefined)).toMatchObject({ requestRate: null, latencyMs: null, queueDepth: 4, failedJobs: 3 });
    const sample = toSample(second, first);
    expect(sample.requestRate).toBe(10);
    expect(sample.errorRate).toBe(1);
    expect(sample.latencyMs).toBeCloseTo(10);
    expect(sample).toMatchObject({ queueDepth: 0, failedJobs: 4, checkMs: { database: 0.5 }, poolInUse: 1 });
  });

  test('a restarted process (totals going down) gives no rate rather than a negative one', () => {
    const before = reading('2026-11-22T08:00:00.000Z', 500, 0, 5, 500, {});
    const after = reading('2026-11-22T08:00:05.000Z', 3, 0, 0.01, 3, { unfinished: 2 });
    expect(toSample(after, before)).toMatchObject({ requestRate: null, latencyMs: null, queueDepth: 2 });
  });

  test('keeps the last readings only', () => {
    let history = [] as ReturnType<typeof toSample>[];
    for (let i = 0; i < historyLength + 5; i++) history = append(history, { ...toSample(reading(new Date(i * 5000).toISOString(), i, 0, 0, i, {}), undefined), poolInUse: i });
    expect(history).toHaveLength(historyLength);
    expect(history[0]?.poolInUse).toBe(5);
  });
});
