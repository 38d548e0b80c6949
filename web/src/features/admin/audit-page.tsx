import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { auditEventLabels, PagedAuditList } from '@/components/audit-list';
import { Button } from '@/components/button';
import { SelectField, TextField } from '@/components/field';
import { Page } from '@/components/page';
import { adminLinks, SectionNav } from '@/components/section-nav';
import { fieldError } from '@/lib/errors';
import { adminKeys, auditPage, type AuditFilters } from './api';

/** `datetime-local` gives local wall time without a zone; the API wants an instant. */
const toInstant = (local: string) => (local === '' ? '' : new Date(local).toISOString());
const toLocalInput = (instant: string) => {
  if (instant === '') return '';
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return '';
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

function FiltersForm({ filters, onApply, error }: { filters: AuditFilters; onApply: (next: AuditFilters) => void; error: unknown }) {
  const [userId, setUserId] = useState(filters.user_id ?? '');
  const [event, setEvent] = useState(filters.event ?? '');
  const [before, setBefore] = useState(toLocalInput(filters.before ?? ''));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const instant = toInstant(before);
    onApply({ ...(userId.trim() === '' ? {} : { user_id: userId.trim() }), ...(event === '' ? {} : { event }), ...(instant === '' ? {} : { before: instant }) });
  };
  return (
    <form onSubmit={submit} className="filters" noValidate aria-label="Filters">
      <TextField label="Account id" name="user_id" value={userId} onChange={(e) => setUserId(e.target.value)} placeholder="any account" error={fieldError(error, 'user_id')} />
      <SelectField label="Event" name="event" value={event} onChange={(e) => setEvent(e.target.value)} error={fieldError(error, 'event')}>
        <option value="">any event</option>
        {Object.entries(auditEventLabels).map(([name, label]) => (
          <option key={name} value={name}>
            {label}
          </option>
        ))}
      </SelectField>
      <TextField label="Before" name="before" type="datetime-local" value={before} onChange={(e) => setBefore(e.target.value)} error={fieldError(error, 'before')} />
      <Button type="submit" variant="secondary">
        Apply filters
      </Button>
    </form>
  );
}

/** Every account's events, newest first, filtered by account, event and time; the filters live in the address. */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const filters: AuditFilters = Object.fromEntries(['user_id', 'event', 'before'].flatMap((key) => (params.get(key) ? [[key, params.get(key) as string]] : [])));
  const log = useInfiniteQuery({
    queryKey: adminKeys.audit(filters),
    queryFn: ({ pageParam }) => auditPage(filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  return (
    <Page title="Audit log">
      <SectionNav label="Admin console" links={adminLinks} />
      <FiltersForm key={params.toString()} filters={filters} onApply={(next) => setParams({ ...next })} error={log.error} />
      <PagedAuditList log={log} what="the audit log" empty="No event matches these filters." showSubject label="Audit events" />
    </Page>
  );
}
