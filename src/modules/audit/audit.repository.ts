import type { Kysely, Transaction } from 'kysely';
import { toDate, type AuditEventRow, type Database, type NewAuditEventRow } from '../../db/schema.js';

export interface AuditEvent {
  id: string;
  createdAt: Date;
  event: string;
  actorType: 'user' | 'superuser' | 'system';
  actorId: string | null;
  subjectId: string | null;
  sessionId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  detail: Record<string, unknown> | null;
}

/** Where a page starts: the last event of the previous page, newest first. */
export interface AuditPosition {
  createdAt: Date;
  id: string;
}

export interface AuditFilter {
  subjectId?: string;
  event?: string;
  before?: Date;
  after?: AuditPosition;
}

function toAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    createdAt: toDate(row.created_at),
    event: row.event,
    actorType: row.actor_type as AuditEvent['actorType'],
    actorId: row.actor_id,
    subjectId: row.subject_id,
    sessionId: row.session_id,
    ip: row.ip,
    userAgent: row.user_agent,
    requestId: row.request_id,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
  };
}

export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: NewAuditEventRow, trx: Kysely<Database> | Transaction<Database> = this.db): Promise<void> {
    await trx.insertInto('audit_events').values(row).execute();
  }

  /** One page, newest first; id breaks ties so pages never overlap or skip. */
  async page(filter: AuditFilter, limit: number): Promise<AuditEvent[]> {
    let query = this.db.selectFrom('audit_events').selectAll();
    if (filter.subjectId !== undefined) query = query.where('subject_id', '=', filter.subjectId);
    if (filter.event !== undefined) query = query.where('event', '=', filter.event);
    if (filter.before !== undefined) query = query.where('created_at', '<', filter.before);
    const after = filter.after;
    if (after !== undefined) {
      query = query.where((eb) =>
        eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]),
      );
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toAuditEvent);
  }

  async prune(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('audit_events').where('created_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
