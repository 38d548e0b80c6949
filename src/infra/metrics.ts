import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DatabaseHandle } from './database.js';

/** Job counts by state (waiting, active, delayed, failed, …) as the job queue reports them. */
export type JobQueueDepthReader = () => Promise<Record<string, number>>;

export interface RequestTotals {
  /** Requests answered since start, over every route. */
  requests: number;
  /** The same, by status class ("2xx", "4xx", ...). */
  byStatusClass: Record<string, number>;
  durationSecondsSum: number;
  durationCount: number;
  /** Cumulative counts of requests answered within `le` seconds (the histogram's buckets, +Inf left out). */
  durationBuckets: { le: number; count: number }[];
  /** Job attempts that threw in this process since start. */
  jobsFailed: number;
}

/**
 * The Prometheus metrics of one app instance. Each instance has its own registry rather than prom-client's
 * global one, so tests (and a process that builds two apps) never collide on metric names.
 */
export class Metrics {
  readonly registry = new Registry();

  /*
   * Every label set costs a line per scrape (a histogram's, one per bucket and three more), and a scrape must stay
   * under 64 KB however the routes are called and however many routes there are. So per route there are status
   * classes (at most four) and latency in four buckets a factor of four or five apart (10 ms, 50 ms, 250 ms, 1 s);
   * exact status codes are counted once for the whole API; and only the first `maxRouteSeries` method and route
   * pairs to answer get series of their own. Later ones, in practice the rarely used routes, share the method and
   * route `other` (see observeRequest), so adding routes no longer adds lines to the scrape.
   */
  readonly httpRequests = new Counter({
    name: 'spruce_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status class (2xx, 4xx, ...)',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
    collect: () => this.countAnswered(),
  });

  readonly httpResponses = new Counter({
    name: 'spruce_http_responses_total',
    help: 'HTTP responses by exact status code, over all routes',
    labelNames: ['status_code'] as const,
    registers: [this.registry],
    collect: () => this.countAnswered(),
  });

  readonly httpRequestDuration = new Histogram({
    name: 'spruce_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its response, by route pattern (all its methods together)',
    labelNames: ['route'] as const,
    buckets: [0.01, 0.05, 0.25, 1],
    registers: [this.registry],
  });

  /** How many method and route pairs get series of their own; with the longest route patterns that is under 40 KB. */
  static readonly maxRouteSeries = 40;
  /** The method and route label of the pairs past that limit. */
  static readonly otherRoute = 'other';
  /** The pairs that have series of their own. */
  private readonly routesWithSeries = new Set<string>();

  /**
   * The counter and histogram children of each label set seen, so a request costs one map lookup, not three label
   * hashes; and the requests answered since the counters were last read. prom-client hashes and checks the labels on
   * every `inc`, even a child's, so the two counters are brought up to date when they are read (scrapes and the
   * status page), by the number answered since, rather than on every request.
   */
  private readonly requestSeries = new Map<
    string,
    { count: Counter.Internal; byCode: Counter.Internal; duration: Histogram.Internal<'route'>; uncounted: number }
  >();

  /** Failed job attempts seen by this process; the job runner increments it with the job's name. */
  readonly jobsFailed = new Counter({
    name: 'spruce_jobs_failed_total',
    help: 'Job attempts that threw, by job name (counted by the process that ran them)',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });

  private jobQueueDepthReader: JobQueueDepthReader | null = null;

  constructor(database: Pick<DatabaseHandle, 'poolStats'>) {
    // Garbage-collection pauses in three buckets rather than prom-client's six: enough to see long pauses.
    collectDefaultMetrics({ register: this.registry, gcDurationBuckets: [0.01, 0.1, 1] });
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
      series = this.seriesFor(method, route, statusCode);
      this.requestSeries.set(key, series);
    }
    series.uncounted++;
    series.duration.observe(seconds);
  }

  /** Adds the requests answered since the last reading to both request counters. */
  private countAnswered(): void {
    for (const series of this.requestSeries.values()) {
      if (series.uncounted === 0) continue;
      series.count.inc(series.uncounted);
      series.byCode.inc(series.uncounted);
      series.uncounted = 0;
    }
  }

  private seriesFor(method: string, route: string, statusCode: number) {
    const pair = `${method} ${route}`;
    if (!this.routesWithSeries.has(pair)) {
      if (this.routesWithSeries.size < Metrics.maxRouteSeries) {
        this.routesWithSeries.add(pair);
      } else {
        method = Metrics.otherRoute;
        route = Metrics.otherRoute;
      }
    }
    return {
      count: this.httpRequests.labels({ method, route, status: `${Math.floor(statusCode / 100)}xx` }),
      byCode: this.httpResponses.labels({ status_code: String(statusCode) }),
      duration: this.httpRequestDuration.labels({ route }),
      uncounted: 0,
    };
  }

  /**
   * The request and job counters summed over every route, as the admin console's status page reads them: totals
   * since the process started (the page takes differences between two readings for rates and mean latency).
   */
  async totals(): Promise<RequestTotals> {
    const [requests, durations, jobsFailed] = await Promise.all([this.httpRequests.get(), this.httpRequestDuration.get(), this.jobsFailed.get()]);
    const byClass: Record<string, number> = {};
    for (const { labels, value } of requests.values) byClass[String(labels.status)] = (byClass[String(labels.status)] ?? 0) + value;
    const buckets = new Map<number, number>();
    let sum = 0;
    let count = 0;
    for (const { metricName, labels, value } of durations.values) {
      // prom-client adds the bucket's bound as an `le` label its types do not declare.
      const le = (labels as Record<string, string | number | undefined>).le;
      if (metricName?.endsWith('_sum')) sum += value;
      else if (metricName?.endsWith('_count')) count += value;
      else if (metricName?.endsWith('_bucket') && le !== '+Inf') buckets.set(Number(le), (buckets.get(Number(le)) ?? 0) + value);
    }
    return {
      requests: Object.values(byClass).reduce((a, b) => a + b, 0),
      byStatusClass: byClass,
      durationSecondsSum: sum,
      durationCount: count,
      durationBuckets: [...buckets].sort(([a], [b]) => a - b).map(([le, n]) => ({ le, count: n })),
      jobsFailed: jobsFailed.values.reduce((a, { value }) => a + value, 0),
    };
  }

  /**
   * The text a scrape answers. Concurrent scrapes share one rendering, so a scraper (or anyone holding the
   * token) asking many times at once costs the event loop one rendering, not one each.
   */
  render(): Promise<string> {
    this.rendering ??= this.registry.metrics().finally(() => {
      this.rendering = null;
    });
    return this.rendering;
  }

  private rendering: Promise<string> | null = null;
}
