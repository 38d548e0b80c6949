import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { Button } from '@/components/button';
import { ErrorAlert, QueryState } from '@/components/feedback';
import { Page } from '@/components/page';
import { useCurrentUser } from '@/lib/auth';
import { adminKeys, listUsers, setUserFlags, usersPageSize, type AdminUser } from './api';

const joined = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function UserRow({ user, isMe }: { user: AdminUser; isMe: boolean }) {
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (flags: { is_active?: boolean; is_superuser?: boolean }) => setUserFlags(user.id, flags),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'users'] }),
  });
  return (
    <li className="user-row">
      <div className="user-main">
        <strong>{user.name}</strong> <span className="muted">{user.email ?? 'no email'}</span>
        <div className="badges">
          {user.is_superuser && <span className="badge badge-accepted">superuser</span>}
          {!user.is_active && <span className="badge badge-cancelled">deactivated</span>}
          {user.is_verified && <span className="badge badge-ok">verified</span>}
          <span className="muted">joined {joined.format(new Date(user.created_at))}</span>
        </div>
        <ErrorAlert error={change.error} />
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
        </div>
      )}
    </li>
  );
}

/** Every account, a page at a time (oldest first, as the API lists them); the page number lives in the address. */
export function UsersPage() {
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const offset = (page - 1) * usersPageSize;
  const users = useQuery({ queryKey: adminKeys.users(offset), queryFn: () => listUsers(offset), placeholderData: keepPreviousData });
  const goTo = (next: number) => setParams(next === 1 ? {} : { page: String(next) });

  return (
    <Page title="Users">
      <QueryState query={users} what="the accounts" isEmpty={(p) => p.items.length === 0} empty="No accounts on this page.">
        {(p) => {
          const pages = Math.max(1, Math.ceil(p.total / usersPageSize));
          return (
            <>
              <p className="muted">
                {p.total} {p.total === 1 ? 'account' : 'accounts'} · showing {p.offset + 1}–{p.offset + p.items.length}
              </p>
              <ul className="user-list" aria-label="Accounts">
                {p.items.map((user) => (
                  <UserRow key={user.id} user={user} isMe={user.id === me.id} />
                ))}
              </ul>
              <nav className="pager" aria-label="Pages">
                <Button variant="secondary" disabled={page <= 1} onClick={() => goTo(page - 1)}>
                  Previous
                </Button>
                <span aria-current="page">
                  Page {page} of {pages}
                </span>
                <Button variant="secondary" disabled={page >= pages} onClick={() => goTo(page + 1)}>
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
