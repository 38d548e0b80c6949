import { Type } from 'typebox';

const Count = Type.Integer({ minimum: 0 });

export const ServiceStatusResponse = Type.Object(
  {
    checked_at: Type.String({ format: 'date-time' }),
    uptime_seconds: Count,
    status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')], { description: '`degraded` when a check or the job queue does not answer' }),
    checks: Type.Array(
      Type.Object({
        name: Type.String({ description: 'database, store, and migrations when the schema is checked (as GET /ready)' }),
        status: Type.String({ description: '`ok`, `unavailable`, or a state such as `pending`' }),
        duration_ms: Type.Number({ description: 'How long the check took' }),
      }, { title: 'StatusCheck' }),
    ),
    database: Type.Object({
      dialect: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres'), Type.Literal('mysql')]),
      pool: Type.Object({ in_use: Count, idle: Count, waiting: Count }, { description: 'Connections in use and idle, and queries waiting for one' }),
    }),
    store: Type.Object({ kind: Type.Union([Type.Literal('redis'), Type.Literal('memory')]) }),
    job_queue: Type.Object({
      kind: Type.Union([Type.Literal('bullmq'), Type.Literal('in-process')]),
      status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
      counts: Type.Record(Type.String(), Count, { description: 'Jobs by state as the queue reports them (BullMQ: waiting, active, delayed, failed; in-process: unfinished, failed)' }),
      failed_attempts_total: Type.Number({ description: 'Job attempts that threw in this process since it started' }),
    }),
    requests: Type.Object({
      total: Type.Number({ description: 'Requests this process answered since it started' }),
      by_status_class: Type.Record(Type.String(), Type.Number()),
      duration_seconds_sum: Type.Number(),
      duration_count: Type.Number(),
      duration_buckets: Type.Array(Type.Object({ le: Type.Number(), count: Type.Number() }), { description: 'Cumulative: requests answered within `le` seconds' }),
    }, { description: 'Totals since start; rates and mean latency come from the difference between two readings' }),
  },
  {
    title: 'ServiceStatus',
    examples: [{
      checked_at: '2026-11-22T08:00:00.000Z',
      uptime_seconds: 3600,
      status: 'ok',
      checks: [{ name: 'database', status: 'ok', duration_ms: 0.4 }, { name: 'store', status: 'ok', duration_ms: 0.2 }],
      database: { dialect: 'postgres', pool: { in_use: 1, idle: 9, waiting: 0 } },
      store: { kind: 'redis' },
      job_queue: { kind: 'bullmq', status: 'ok', counts: { waiting: 0, active: 0, delayed: 1, failed: 0 }, failed_attempts_total: 0 },
      requests: { total: 1200, by_status_class: { '2xx': 1150, '4xx': 50 }, duration_seconds_sum: 6.1, duration_count: 1200, duration_buckets: [{ le: 0.01, count: 1100 }, { le: 0.05, count: 1190 }, { le: 0.25, count: 1200 }, { le: 1, count: 1200 }] },
    }],
  },
);
