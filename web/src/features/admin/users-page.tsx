import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button } from '@/components/button';
import { ErrorAlert, QueryState, SuccessNote } from '@/components/feedback';
import { TextField } from '@/components/field';
import { Page } from '@/components/page';
import { adminLinks, SectionNav } from '@/components/section-nav';
import { useCurrentUser } from '@/lib/auth';
import { fieldError } from '@/lib/errors';
import { adminKeys, disableUserTotp, endUserSessions, listUsers, setUserFlags, usersPageSize, type AdminUser } from './api';

const joined = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function UserRow({ user, isMe }: { user: AdminUser; isMe: boolean }) {
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (flags: { is_active?: boolean; is_superuser?: boolean }) => setUserFlags(user.id, flags),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'users'] }),
  });
  const endSessions = useMutation({ mutationFn: () => endUserSessions(user.id) });
  // For a lost phone: the account logs in with its password alone until it turns the second factor on again.
  const turnOffMfa = useMutation({ mutationFn: () => disableUserTotp(user.id), onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'users'] }) });
  return (
    <li className="user-row">
      <div className="user-main">
        <strong>{user.name}</strong> <span className="muted">{user.email ?? 'no email'}</span>
        <div className="badges">
          {user.is_superuser && <span className="badge badge-accepted">superuser</span>}
          {!user.is_active && <span className="badge badge-cancelled">deactivated</span>}
          {user.is_verified && <span className="badge badge-ok">verified</span>}
          {user.mfa_enabled && <span className="badge badge-ok">two-step on</span>}
          <span className="muted">joined {joined.format(new Date(user.created_at))}</span>
          <Link to={`/admin/audit?user_id=${user.id}`} aria-label={`Audit log of ${user.name}`}>
            audit log
          </Link>
        </div>
        {endSessions.isSuccess && <SuccessNote>Every session of {user.name} has ended.</SuccessNote>}
        <ErrorAlert error={change.error ?? endSessions.error ?? turnOffMfa.error} />
      </div>
      {/* Your own flags stay out of reach here, so the last superuser cannot lock everyone out by a slip. */}
      {!isMe && (
        <div className="user-actions">
          <Button variant={user.is_active ? 'danger' : 'secondary'} busy={change.isPending && change.variables.is_active !== undefined} onClick={() => change.mutate({ is_active: !user.is_active })} aria-label={`${user.is_active ? 'Deactivate' : 'Reactivate'} ${user.name}`}>
            {user.is_active ? 'Deactivate' : 'Reactivate'}
          </Button>
          <Button variant="secondary" busy={change.isPending && change.variables.is_superuser !== undefined} onClick={() => change.mutate({ is_superuser: !user.is_superuser })} aria-label={`${user.is_superuser ? 'Remove superuser from' : 'Make superuser:'} ${user.name}`}>
            {user.is_superuser ? 'Remove superuser' : 'Make superuser'}
          </Button>
          <Button variant="secondary" busy={endSessions.isPending} onClick={() => endSessions.mutate()} aria-label={`End every session of ${user.name}`}>
            End sessions
          </Button>
          {user.mfa_enabled && (
            <Button variant="secondary" busy={turnOffMfa.isPending} onClick={() => turnOffMfa.mutate()} aria-label={`Turn off two-step verification for ${user.name}`}>
              Turn off two-step
            </Button>
          )}
        </div>
      )}
    </li>
  );
}

/** The search box; the search itself lives in the address (`?q=`), so it survives a reload and the back button. */
function SearchForm({ initial, onSearch, error }: { initial: string; onSearch: (q: string) => void; error: unknown }) {
  const [text, setText] = useState(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(text.trim());
  };
  return (
    <form role="search" onSubmit={submit} className="search" noValidate>
      <TextField label="Search by name or email" name="q" type="search" maxLength={100} value={text} onChange={(e) => setText(e.target.value)} error={fieldError(error, 'q')} />
      <Button type="submit" variant="secondary">
        Search
      </Button>
    </form>
  );
}

/** Every account (or those matching the search), a page at a time, oldest first as the API lists them. */
export function UsersPage() {
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const offset = (page - 1) * usersPageSize;
  const users = useQuery({ queryKey: adminKeys.users(offset, q), queryFn: () => listUsers(offset, q), placeholderData: keepPreviousData });
  const show = (next: { q: string; page: number }) => setParams({ ...(next.q === '' ? {} : { q: next.q }), ...(next.page === 1 ? {} : { page: String(next.page) }) });

  return (
    <Page title="Users">
      <SectionNav label="Admin console" links={adminLinks} />
      <SearchForm initial={q} onSearch={(next) => show({ q: next, page: 1 })} error={users.error} />
      <QueryState query={users} what="the accounts" isEmpty={(p) => p.items.length === 0} empty={q === '' ? 'No accounts on this page.' : `No account matches “${q}”.`}>
        {(p) => {
          const pages = Math.max(1, Math.ceil(p.total / usersPageSize));
          return (
            <>
              <p className="muted" role="status">
                {p.total} {p.total === 1 ? 'account' : 'accounts'}
                {q !== '' && ` matching “${q}”`} · showing {p.offset + 1}–{p.offset + p.items.length}
              </p>
              <ul className="user-list" aria-label="Accounts">
                {p.items.map((user) => (
                  <UserRow key={user.id} user={user} isMe={user.id === me.id} />
                ))}
              </ul>
              <nav className="pager" aria-label="Pages">
                <Button variant="secondary" disabled={page <= 1} onClick={() => show({ q, page: page - 1 })}>
                  Previous
                </Button>
                <span aria-current="page">
                  Page {page} of {pages}
                </span>
                <Button variant="secondary" disabled={page >= pages} onClick={() => show({ q, page: page + 1 })}>
                  Next
                </Button>
              </nav>
            </>
          );
        }}
      </QueryState>
    </Page>
  );
}
