import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { QueryState } from '@/components/feedback';
import { Page } from '@/components/page';
import { adminLinks, SectionNav } from '@/components/section-nav';
import { Sparkline } from '@/components/sparkline';
import { adminKeys, serviceStatus, type ServiceStatus } from './api';
import { append, queueDepth, toSample, type Sample } from './status-history';

const pollMs = 5_000;
const stateText = (state: string) => (state === 'ok' ? 'answering' : state);
const oneDecimal = (n: number | null | undefined) => (n == null ? '–' : n.toFixed(1));

function Card({ title, value, bad = false, children }: { title: string; value: ReactNode; bad?: boolean; children?: ReactNode }) {
  return (
    <li className="status-card">
      <h2>{title}</h2>
      <p className={bad ? 'status-value status-bad' : 'status-value'}>{value}</p>
      {children}
    </li>
  );
}

function Overview({ status, history }: { status: ServiceStatus; history: Sample[] }) {
  const check = (name: string) => status.checks.find((c) => c.name === name);
  const db = check('database');
  const store = check('store');
  const last = history.at(-1);
  const series = (pick: (s: Sample) => number | null) => history.map(pick).filter((v): v is number => v !== null);
  const p50Bucket = status.requests.duration_buckets.find((b) => b.le === 0.05);
  const under50 = status.requests.duration_count === 0 || p50Bucket === undefined ? null : (100 * p50Bucket.count) / status.requests.duration_count;
  return (
    <>
      <p className="muted" role="status">
        {status.status === 'ok' ? 'Everything answers.' : 'Something does not answer: see below.'} Up {Math.round(status.uptime_seconds / 60)} min · checked{' '}
        <time dateTime={status.checked_at}>{new Date(status.checked_at).toLocaleTimeString()}</time> · a reading every {pollMs / 1000} s
      </p>
      <ul className="status-grid" aria-label="The service at a glance">
        <Card title={`Database (${status.database.dialect})`} value={stateText(db?.status ?? 'unknown')} bad={db?.status !== 'ok'}>
          <p className="card-meta">
            Check {oneDecimal(db?.duration_ms)} ms · connections in use {status.database.pool.in_use}, idle {status.database.pool.idle}, waiting {status.database.pool.waiting}
          </p>
          <Sparkline values={series((s) => s.checkMs.database ?? null)} label="Database check time" unit=" ms" bad={db?.status !== 'ok'} />
        </Card>
        <Card title={status.store.kind === 'redis' ? 'Redis' : 'Store (process memory)'} value={stateText(store?.status ?? 'unknown')} bad={store?.status !== 'ok'}>
          <p className="card-meta">Check {oneDecimal(store?.duration_ms)} ms</p>
          <Sparkline values={series((s) => s.checkMs.store ?? null)} label="Store check time" unit=" ms" bad={store?.status !== 'ok'} />
        </Card>
        <Card title={`Job queue (${status.job_queue.kind})`} value={status.job_queue.status === 'ok' ? `${queueDepth(status.job_queue.counts)} waiting` : 'unavailable'} bad={status.job_queue.status !== 'ok'}>
          <p className="card-meta">{Object.entries(status.job_queue.counts).map(([state, n]) => `${state} ${n}`).join(' · ') || 'no counts'}</p>
          <Sparkline values={series((s) => s.queueDepth)} label="Jobs waiting" />
        </Card>
        <Card title="Failed jobs" value={status.job_queue.counts.failed ?? 0} bad={(status.job_queue.counts.failed ?? 0) > 0}>
          <p className="card-meta">Failed attempts in this process since start: {status.job_queue.failed_attempts_total}</p>
          <Sparkline values={series((s) => s.failedJobs)} label="Failed jobs" bad={(status.job_queue.counts.failed ?? 0) > 0} />
        </Card>
        <Card title="Requests" value={`${oneDecimal(last?.requestRate)} / s`}>
          <p className="card-meta">
            {status.requests.total} since start · server errors {status.requests.by_status_class['5xx'] ?? 0} ({oneDecimal(last?.errorRate)} / s now)
          </p>
          <Sparkline values={series((s) => s.requestRate)} label="Requests a second" unit="/s" />
        </Card>
        <Card title="Latency" value={`${oneDecimal(last?.latencyMs)} ms`}>
          <p className="card-meta">Mean over the last {pollMs / 1000} s · {under50 === null ? '–' : `${under50.toFixed(0)}%`} of all requests within 50 ms</p>
          <Sparkline values={series((s) => s.latencyMs)} label="Mean latency" unit=" ms" />
        </Card>
      </ul>
    </>
  );
}

/**
 * The service at a glance: GET /api/admin/status every few seconds, with the last readings kept in memory (they go
 * when the page closes) for the small charts. Polling pauses while the tab is hidden.
 */
export function StatusPage() {
  const status = useQuery({ queryKey: adminKeys.status, queryFn: serviceStatus, refetchInterval: pollMs, refetchIntervalInBackground: false });
  const [history, setHistory] = useState<Sample[]>([]);
  const previous = useRef<ServiceStatus | undefined>(undefined);
  useEffect(() => {
    const current = status.data;
    if (current === undefined || current.checked_at === previous.current?.checked_at) return;
    // Computed now: the updater runs later, when `previous` already holds this reading.
    const sample = toSample(current, previous.current);
    previous.current = current;
    setHistory((h) => append(h, sample));
  }, [status.data]);

  return (
    <Page title="Service status">
      <SectionNav label="Admin console" links={adminLinks} />
      <QueryState query={status} what="the service's status">
        {(data) => <Overview status={data} history={history} />}
      </QueryState>
    </Page>
  );
}
