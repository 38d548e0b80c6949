import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { Database } from '../../db/schema.js';
import { AuditLog, AuditRepository } from '../audit/index.js';
import { SessionsRepository } from './sessions.repository.js';

/** Ended or expired sessions are kept a day, so a replayed refresh token is still recognised as one meanwhile. */
export const keepEndedSessionsMs = 24 * 60 * 60 * 1000;

/**
 * The scheduled clean-up ('prune-expired'): sessions that ended or expired over a day ago, with their refresh
 * tokens, and audit events older than AUDIT_RETENTION_DAYS. Needs only the database, so the separate worker
 * runs it too.
 */
export async function pruneExpired(db: Kysely<Database>, clock: Clock, auditRetentionDays: number): Promise<{ sessions: number; events: number }> {
  const sessions = await new SessionsRepository(db).prune(new Date(clock.now() - keepEndedSessionsMs));
  const events = await new AuditLog(new AuditRepository(db), clock, auditRetentionDays).prune();
  return { sessions, events };
}
