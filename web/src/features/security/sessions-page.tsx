import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent } from 'react';
import { Button } from '@/components/button';
import { ErrorAlert, QueryState, SuccessNote } from '@/components/feedback';
import { Page } from '@/components/page';
import { accountLinks, SectionNav } from '@/components/section-nav';
import { StepUpFields } from '@/components/step-up-fields';
import { useAuth } from '@/lib/auth';
import { fieldError } from '@/lib/errors';
import { endOtherSessions, endSession, listSessions, securityKeys, type SessionView } from './api';
import { useStepUp } from './use-step-up';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function SessionRow({ item }: { item: SessionView }) {
  const queryClient = useQueryClient();
  const { logOut } = useAuth();
  const end = useMutation({
    mutationFn: () => (item.current ? logOut() : endSession(item.id)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: securityKeys.sessions }),
  });
  const device = item.client;
  return (
    <li className={item.current ? 'session-row session-current' : 'session-row'}>
      <div className="user-main">
        <strong>{device}</strong> {item.current && <span className="badge badge-ok">this device</span>}
        <p className="card-meta">
          From {item.ip ?? 'an unknown address'} · started <time dateTime={item.created_at}>{when.format(new Date(item.created_at))}</time> · last used{' '}
          <time dateTime={item.last_used_at}>{when.format(new Date(item.last_used_at))}</time>
        </p>
        <ErrorAlert error={end.error} />
      </div>
      <Button variant={item.current ? 'secondary' : 'danger'} busy={end.isPending} onClick={() => end.mutate()} aria-label={item.current ? 'Log out on this device' : `End this session: ${device}, started ${when.format(new Date(item.created_at))}`}>
        {item.current ? 'Log out here' : 'End this session'}
      </Button>
    </li>
  );
}

function EndOthersForm({ others }: { others: number }) {
  const queryClient = useQueryClient();
  const stepUp = useStepUp();
  const end = useMutation({
    mutationFn: () => endOtherSessions(stepUp.body()),
    onSuccess: () => {
      stepUp.clear();
      return queryClient.invalidateQueries({ queryKey: securityKeys.sessions });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    end.mutate();
  };
  return (
    <section aria-labelledby="end-others">
      <h2 id="end-others">End all other sessions</h2>
      {end.isSuccess && <SuccessNote>Every other session has ended.</SuccessNote>}
      {others === 0 ? (
        <p className="muted">This is your only session.</p>
      ) : (
        <form onSubmit={submit} noValidate className="form">
          <p>Logs out every other device and browser ({others}). Confirm with your password.</p>
          <ErrorAlert error={end.error} />
          <StepUpFields {...stepUp} fieldError={(field) => fieldError(end.error, field)} />
          <Button type="submit" variant="danger" busy={end.isPending}>
            End all other sessions
          </Button>
        </form>
      )}
    </section>
  );
}

export function SessionsPage() {
  const sessions = useQuery({ queryKey: securityKeys.sessions, queryFn: listSessions });
  return (
    <Page title="Sessions">
      <SectionNav label="Your account" links={accountLinks} />
      <p className="muted">Every browser or app logged in to your account. End one you do not recognise, then change your password.</p>
      <QueryState query={sessions} what="your sessions" isEmpty={(list) => list.length === 0} empty="No live sessions.">
        {(list) => (
          <>
            <ul className="user-list" aria-label="Live sessions">
              {list.map((item) => (
                <SessionRow key={item.id} item={item} />
              ))}
            </ul>
            <EndOthersForm others={list.filter((s) => !s.current).length} />
          </>
        )}
      </QueryState>
    </Page>
  );
}
