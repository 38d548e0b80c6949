import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Static } from 'typebox';
import type { Clock } from '../../core/clock.js';
import { isoStringOf } from '../../core/iso-instant.js';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../core/keyset-cursor.js';
import type { RequestContext } from '../../core/request-context.js';
import type { Database } from '../../db/schema.js';
import type { AuditEvent, AuditFilter, AuditPosition, AuditRepository } from './audit.repository.js';
import type { AuditEventView, AuditPageResponse } from './audit.schemas.js';

/** Every event the audit log records. */
export const auditEventNames = [
  'user.registered',
  'user.verified',
  'login.succeeded',
  'login.failed',
  'login.throttled',
  'session.refresh_reused',
  'session.ended',
  'session.logout',
  'password.changed',
  'password.reset',
  'email.change_requested',
  'email.changed',
  'account.updated',
  'account.deactivated',
  'account.deleted',
  // What superusers read: every account's data is theirs to see, and each look is on the record.
  'admin.users_listed',
  'admin.user_read',
  'admin.sessions_listed',
  'admin.audit_read',
  'mfa.enrolment_started',
  'mfa.enabled',
  'mfa.disabled',
  'mfa.disabled_by_superuser',
  'mfa.recovery_codes_replaced',
  'mfa.recovery_code_used',
  'mfa.challenge_issued',
  'mfa.challenge_failed',
  'mfa.challenge_throttled',
  'mfa.login_succeeded',
] as const;
export type AuditEventName = (typeof auditEventNames)[number];

export interface AuditEntry {
  /** The account the event is about (null for a log-in with an unknown name). */
  subjectId: string | null;
  /** The session it happened in, when not the request's own. */
  sessionId?: string | null;
  /** A few facts worth keeping: field names, a reason, a count. Never a secret (see withoutSecrets). */
  detail?: Record<string, unknown>;
  /** A change made by the system itself (reuse detection, expiry), whoever's request triggered it. */
  bySystem?: boolean;
}

/** Keys that could carry a password, a token or a code: dropped, whatever a caller passes. */
const secretKey = /pass|token|code|secret|hash|otp/i;

function withoutSecrets(detail: Record<string, unknown> | undefined): string | null {
  if (detail === undefined) return null;
  const kept = Object.fromEntries(Object.entries(detail).filter(([key]) => !secretKey.test(key)));
  return Object.keys(kept).length === 0 ? null : JSON.stringify(kept);
}

/** An event as the audit routes show it. */
export function toAuditView(event: AuditEvent): Static<typeof AuditEventView> {
  return {
    id: event.id,
    created_at: isoStringOf(event.createdAt),
    event: event.event,
    actor_type: event.actorType,
    actor_id: event.actorId,
    subject_id: event.subjectId,
    session_id: event.sessionId,
    ip: event.ip,
    user_agent: event.userAgent,
    request_id: event.requestId,
    detail: event.detail,
  };
}

function encodeCursor(position: AuditPosition): string {
  return encodeKeysetCursor(position.createdAt, position.id);
}

function decodeCursor(cursor: string): AuditPosition {
  const { instant, id } = decodeKeysetCursor(cursor, isEventId);
  return { createdAt: instant, id };
}

function isEventId(id: unknown): id is string {
  return typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id);
}

/**
 * The audit log: who did what to which account, from where. A change and its event are written in one
 * transaction (record takes the change's Transaction), so a rolled-back change leaves no event.
 */
export class AuditLog {
  constructor(
    private readonly repository: AuditRepository,
    private readonly clock: Clock,
    private readonly retentionDays: number,
  ) {}

  /**
   * `context` is the request's (who, from where); null outside a request, where the actor is the system. With
   * `trx`, the event commits or rolls back with the change made in it; without, it stands alone (a failed log-in).
   */
  async record(event: AuditEventName, entry: AuditEntry, context: RequestContext | null, trx?: Transaction<Database>): Promise<void> {
    const actorId = entry.bySystem ? null : (context?.actorId ?? null);
    const actorType = actorId === null ? (entry.bySystem || context === null ? 'system' : 'user') : context?.actorIsSuperuser && actorId !== entry.subjectId ? 'superuser' : 'user';
    await this.repository.insert(
      {
        id: randomUUID(),
        created_at: new Date(this.clock.now()),
        event,
        actor_type: actorType,
        // Before a log-in succeeds nobody is authenticated: the account acting on itself is the subject.
        actor_id: actorId ?? (actorType === 'user' ? entry.subjectId : null),
        subject_id: entry.subjectId,
        session_id: entry.sessionId ?? context?.sessionId ?? null,
        ip: context?.ip?.slice(0, 64) ?? null,
        user_agent: context?.userAgent?.slice(0, 512) ?? null,
        request_id: context?.requestId?.slice(0, 128) ?? null,
        detail: withoutSecrets(entry.detail),
      },
      trx,
    );
  }

  /** One page of events, newest first; `cursor` is the next_cursor of the page before. */
  async page(filter: Omit<AuditFilter, 'after'> & { cursor?: string | undefined }, limit: number): Promise<Static<typeof AuditPageResponse>> {
    const { cursor, ...rest } = filter;
    const items = await this.repository.page({ ...rest, ...(cursor === undefined ? {} : { after: decodeCursor(cursor) }) }, limit + 1);
    const more = items.length > limit;
    const pageItems = more ? items.slice(0, limit) : items;
    const last = pageItems[pageItems.length - 1];
    return { items: pageItems.map(toAuditView), next_cursor: more && last !== undefined ? encodeCursor(last) : null };
  }

  /** A superuser's search of every account's events; a search that answers is itself recorded (one insert). */
  async search(
    filter: Omit<AuditFilter, 'after'> & { cursor?: string | undefined },
    limit: number,
    context: RequestContext | null,
  ): Promise<Static<typeof AuditPageResponse>> {
    const page = await this.page(filter, limit);
    const detail = filter.event === undefined ? {} : { detail: { event: filter.event } };
    await this.record('admin.audit_read', { subjectId: filter.subjectId ?? null, ...detail }, context);
    return page;
  }

  /** Deletes events older than AUDIT_RETENTION_DAYS. */
  prune(): Promise<number> {
    return this.repository.prune(new Date(this.clock.now() - this.retentionDays * 86_400_000));
  }
}
