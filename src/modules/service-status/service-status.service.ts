import type { Clock } from '../../core/clock.js';
import type { DatabaseHandle } from '../../infra/database.js';
import type { Metrics } from '../../infra/metrics.js';
import type { JobQueue } from '../../infra/queue/jobs.js';
import type { ReadinessCheck } from '../health/health.routes.js';

export interface ServiceStatusDeps {
  /** The readiness checks of GET /ready: database, store, and migrations when the schema is checked. */
  checks: ReadinessCheck[];
  database: Pick<DatabaseHandle, 'dialect' | 'poolStats'>;
  jobs: Pick<JobQueue, 'counts'>;
  metrics: Pick<Metrics, 'totals'>;
  /** Which implementations this process runs: Redis and BullMQ, or memory and the in-process queue. */
  redis: boolean;
  clock: Clock;
}

/** A check's answer as a word: "ok", "unavailable", or the check's own (such as "pending" migrations). */
const stateOf = (result: boolean | string) => (result === true ? 'ok' : result === false ? 'unavailable' : result);

/**
 * The service at a glance, from this process's own state: the readiness checks (timed), the database pool, the
 * job queue's depth through the queue interface (BullMQ's counts, or the in-process queue's), and the request and
 * job counters of the metrics registry. For superusers in the web app, where /metrics may need a scraper's token.
 * A backing service that does not answer is reported, never an error: this is the page to look at when one is down.
 */
export class ServiceStatus {
  private readonly startedAt: number;

  constructor(private readonly deps: ServiceStatusDeps) {
    this.startedAt = deps.clock.now();
  }

  async report() {
    const { checks, database, jobs, metrics, redis, clock } = this.deps;
    const timed = await Promise.all(
      checks.map(async (c) => {
        const started = performance.now();
        const state = stateOf(await c.check().catch(() => false));
        return { name: c.name, status: state, duration_ms: Math.round((performance.now() - started) * 10) / 10 };
      }),
    );
    const counts = await jobs.counts().catch(() => null);
    const totals = await metrics.totals();
    const pool = database.poolStats();
    const now = clock.now();
    return {
      checked_at: new Date(now).toISOString(),
      uptime_seconds: Math.round((now - this.startedAt) / 1000),
      status: timed.every((c) => c.status === 'ok') && counts !== null ? ('ok' as const) : ('degraded' as const),
      checks: timed,
      database: { dialect: database.dialect, pool: { in_use: pool.total - pool.idle, idle: pool.idle, waiting: pool.waiting } },
      store: { kind: redis ? ('redis' as const) : ('memory' as const) },
      job_queue: {
        kind: redis ? ('bullmq' as const) : ('in-process' as const),
        status: counts === null ? ('unavailable' as const) : ('ok' as const),
        counts: counts ?? {},
        failed_attempts_total: totals.jobsFailed,
      },
      requests: {
        total: totals.requests,
        by_status_class: totals.byStatusClass,
        duration_seconds_sum: totals.durationSecondsSum,
        duration_count: totals.durationCount,
        duration_buckets: totals.durationBuckets,
      },
    };
  }
}

export type ServiceStatusReport = Awaited<ReturnType<ServiceStatus['report']>>;
