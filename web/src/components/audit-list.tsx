import type { components } from '@/lib/api/client';
import { Button } from './button';
import { ErrorAlert, QueryState } from './feedback';

export type AuditEvent = components['schemas']['AuditEvent'];

// The audit log's event names, in words. A name the app does not know yet (a newer server) is shown as it is.
export const auditEventLabels: Record<string, string> = {
  'user.registered': 'Account created',
  'user.verified': 'Email confirmed',
  'login.succeeded': 'Logged in',
  'login.failed': 'Log-in failed',
  'login.throttled': 'Log-in blocked after too many tries',
  'session.refresh_reused': 'Session ended: an old refresh token was used again',
  'session.ended': 'Session ended',
  'session.logout': 'Logged out',
  'password.changed': 'Password changed',
  'password.reset': 'Password reset by email',
  'email.change_requested': 'New email asked for',
  'email.changed': 'Email changed',
  'account.updated': 'Account changed',
  'account.deactivated': 'Account deactivated',
  'account.deleted': 'Account deleted',
  'admin.users_listed': 'Accounts listed',
  'admin.user_read': 'Account looked at',
  'admin.sessions_listed': 'Sessions looked at',
  'admin.audit_read': 'Audit log read',
};

const actorLabels: Record<AuditEvent['actor_type'], string> = { user: 'by the account', superuser: 'by an administrator', system: 'by Spruce' };

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A short summary of an event's detail: its facts as "key: value", never more than a line. */
function detailText(detail: AuditEvent['detail']): string | null {
  if (detail === null) return null;
  const parts = Object.entries(detail).map(([key, value]) => `${key.replace(/_/g, ' ')}: ${Array.isArray(value) ? value.join(', ') : String(value)}`);
  return parts.length === 0 ? null : parts.join(' · ');
}

/** Audit events, newest first; `showSubject` adds the account id (the admin console's log spans every account). */
export function AuditList({ events, showSubject = false, label }: { events: AuditEvent[]; showSubject?: boolean; label: string }) {
  return (
    <ol className="audit-list" aria-label={label}>
      {events.map((event) => {
        const detail = detailText(event.detail);
        return (
          <li key={event.id} className="audit-item">
            <p className="audit-title">
              <strong>{auditEventLabels[event.event] ?? event.event}</strong> <span className="muted">{actorLabels[event.actor_type]}</span>
            </p>
            <p className="card-meta">
              <time dateTime={event.created_at}>{when.format(new Date(event.created_at))}</time>
              {event.ip !== null && ` · from ${event.ip}`}
              {showSubject && event.subject_id !== null && ` · account ${event.subject_id}`}
            </p>
            {detail !== null && <p className="audit-detail">{detail}</p>}
          </li>
        );
      })}
    </ol>
  );
}

interface PagedLog {
  data: { pages: { items: AuditEvent[] }[] } | undefined;
  error: unknown;
  isPending: boolean;
  isFetchNextPageError: boolean;
  isFetchingNextPage: boolean;
  hasNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** An audit log read a page at a time (an infinite query over the API's cursor), with its loading, empty and error states. */
export function PagedAuditList({ log, what, empty, showSubject, label }: { log: PagedLog; what: string; empty: string; showSubject?: boolean; label: string }) {
  return (
    <QueryState query={{ ...log, data: log.data?.pages.flatMap((p) => p.items) }} what={what} isEmpty={(items) => items.length === 0} empty={empty}>
      {(items) => (
        <>
          <AuditList events={items} showSubject={showSubject} label={label} />
          {log.isFetchNextPageError && <ErrorAlert error={log.error} />}
          {log.hasNextPage ? (
            <Button variant="secondary" busy={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
              Show older events
            </Button>
          ) : (
            <p className="muted">That is everything.</p>
          )}
        </>
      )}
    </QueryState>
  );
}
