import type { ServiceStatus } from './api';

/** Readings kept for the charts: at one every five seconds, the last five minutes. */
export const historyLength = 60;

export interface Sample {
  at: number;
  /** Requests a second since the reading before (null for the first). */
  requestRate: number | null;
  /** 5xx answers a second since the reading before. */
  errorRate: number | null;
  /** Mean latency of the requests answered since the reading before, in ms. */
  latencyMs: number | null;
  /** Jobs waiting, running or delayed. */
  queueDepth: number;
  failedJobs: number;
  checkMs: Record<string, number>;
  poolInUse: number;
}

/** Jobs not yet done, whichever queue reports them: BullMQ's waiting, active and delayed, or the in-process queue's unfinished. */
export function queueDepth(counts: Record<string, number>): number {
  return (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) + (counts.unfinished ?? 0);
}

/**
 * One sample from a reading and the one before: the API reports totals since the process started, so rates and
 * mean latency are differences. A restarted process (totals going down) starts the differences again.
 */
export function toSample(current: ServiceStatus, previous: ServiceStatus | undefined): Sample {
  const at = Date.parse(current.checked_at);
  const seconds = previous === undefined ? 0 : (at - Date.parse(previous.checked_at)) / 1000;
  const usable = previous !== undefined && seconds > 0 && current.requests.total >= previous.requests.total;
  const served = usable ? current.requests.duration_count - previous.requests.duration_count : 0;
  const errors = (status: ServiceStatus) => status.requests.by_status_class['5xx'] ?? 0;
  return {
    at,
    requestRate: usable ? (current.requests.total - previous.requests.total) / seconds : null,
    errorRate: usable ? (errors(current) - errors(previous)) / seconds : null,
    latencyMs: usable && served > 0 ? ((current.requests.duration_seconds_sum - previous.requests.duration_seconds_sum) / served) * 1000 : null,
    queueDepth: queueDepth(current.job_queue.counts),
    failedJobs: current.job_queue.counts.failed ?? 0,
    checkMs: Object.fromEntries(current.checks.map((c) => [c.name, c.duration_ms])),
    poolInUse: current.database.pool.in_use,
  };
}

export function append(history: Sample[], sample: Sample): Sample[] {
  return [...history, sample].slice(-historyLength);
}
