import { Type } from 'typebox';

export const AuditEventView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  created_at: Type.String({ format: 'date-time' }),
  event: Type.String(),
  actor_type: Type.Union([Type.Literal('user'), Type.Literal('superuser'), Type.Literal('system')]),
  actor_id: Type.Union([Type.String(), Type.Null()]),
  subject_id: Type.Union([Type.String(), Type.Null()]),
  session_id: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  user_agent: Type.Union([Type.String(), Type.Null()]),
  request_id: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
}, { title: 'AuditEvent' });

export const AuditPageResponse = Type.Object({
  items: Type.Array(AuditEventView),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last one' }),
}, {
  title: 'AuditPage',
  examples: [{
    items: [{ id: '9b1e…', created_at: '2026-11-22T06:00:00.000Z', event: 'login.succeeded', actor_type: 'user', actor_id: '5d2a…', subject_id: '5d2a…', session_id: '3f0c…', ip: '203.0.113.9', user_agent: 'Mozilla/5.0', request_id: 'req-1', detail: null }],
    next_cursor: null,
  }],
});

const Cursor = Type.String({ minLength: 1, maxLength: 200 });
const Limit = Type.Integer({ minimum: 1, maximum: 100, default: 50 });

export const OwnAuditQuery = Type.Object({ cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) });

export const AuditQuery = Type.Object({
  user_id: Type.Optional(Type.String({ format: 'uuid' })),
  event: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  before: Type.Optional(Type.String({ format: 'date-time' })),
  cursor: Type.Optional(Cursor),
  limit: Type.Optional(Limit),
});
