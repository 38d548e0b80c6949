import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DatabaseHandle } from './database.js';

/** Job counts by state (waiting, active, delayed, failed, …) as the job queue reports them. */
export type JobQueueDepthReader = () => Promise<Record<string, number>>;

/**
 * The Prometheus metrics of one app instance. Each instance has its own registry rather than prom-client's
 * global one, so tests (and a process that builds two apps) never collide on metric names.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'spruce_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });

  readonly httpRequestDuration = new Histogram({
    name: 'spruce_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its response, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /** Failed job attempts seen by this process; the job runner increments it with the job's name. */
  readonly jobsFailed = new Counter({
    name: 'spruce_jobs_failed_total',
    help: 'Job attempts that threw, by job name (counted by the process that ran them)',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });

  private jobQueueDepthReader: JobQueueDepthReader | null = null;

  constructor(database: Pick<DatabaseHandle, 'poolStats'>) {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];

    new Gauge({
      name: 'spruce_db_pool_connections',
      help: 'Database connections: in_use and idle, and waiting = queries queued for a free connection',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const stats = database.poolStats();
        this.set({ state: 'in_use' }, stats.total - stats.idle);
        this.set({ state: 'idle' }, stats.idle);
        this.set({ state: 'waiting' }, stats.waiting);
      },
    });

    const readQueueDepth = () => this.jobQueueDepthReader;
    new Gauge({
      name: 'spruce_job_queue_depth',
      help: 'Jobs in the queue by state, as the queue reports them at scrape time',
      labelNames: ['state'] as const,
      registers,
      async collect() {
        const reader = readQueueDepth();
        this.reset();
        if (reader === null) return;
        // A queue that cannot be read leaves the gauge empty for this scrape rather than failing the whole scrape.
        const counts = await reader().catch(() => null);
        for (const [state, count] of Object.entries(counts ?? {})) this.set({ state }, count);
      },
    });
  }

  /** Called by the job queue once it exists, so each scrape reports its current depth. */
  reportJobQueueDepth(reader: JobQueueDepthReader): void {
    this.jobQueueDepthReader = reader;
  }

  /** Records one answered request; `route` must be a route pattern, never a raw URL, to keep label values bounded. */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    const key = `${method} ${route} ${statusCode}`;
    let series = this.requestSeries.get(key);
    if (series === undefined) {
      const labels = { method, route, status_code: String(statusCode) };
      series = { count: this.httpRequests.labels(labels), duration: this.httpRequestDuration.labels(labels) };
      // Label values are bounded already (methods, route patterns, status codes); this only caps the lookup table.
      if (this.requestSeries.size >= 10_000) this.requestSeries.clear();
      this.requestSeries.set(key, series);
    }
    series.count.inc();
    series.duration.observe(seconds);
  }

  /**
   * The counter and histogram children of each label set seen, so a request does not pay for prom-client
   * hashing its labels (sorting and joining them) twice.
   */
  private readonly requestSeries = new Map<string, { count: { inc(): void }; duration: { observe(value: number): void } }>();
}
