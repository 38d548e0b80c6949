import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { Button } from '@/components/button';
import { ErrorAlert, SuccessNote } from '@/components/feedback';
import { TextField } from '@/components/field';
import { Page } from '@/components/page';
import { useAuth } from '@/lib/auth';
import { ApiError, fieldError } from '@/lib/errors';
import { requestToken, requestVerifyLink } from './api';
import { SecondStepForm } from './second-step-form';

/** Only paths inside the app: `next` comes from the address bar, so it must not send anyone elsewhere. */
function safeNext(next: string | null): string {
  return next !== null && next.startsWith('/') && !next.startsWith('//') ? next : '/cleanings';
}

export function LogInPage() {
  const { logIn, endedBecause, user } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const next = safeNext(new URLSearchParams(location.search).get('next'));
  const [identifier, setIdentifier] = useState('');
  const [password, setPassword] = useState('');

  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const login = useMutation({
    mutationFn: async () => {
      const outcome = await requestToken(identifier.trim(), password);
      if ('mfaToken' in outcome) {
        setMfaToken(outcome.mfaToken);
        return null;
      }
      return logIn(outcome.grant);
    },
    onSuccess: (user) => user !== null && navigate(next, { replace: true }),
  });
  const resend = useMutation({ mutationFn: () => requestVerifyLink(identifier.trim()) });
  const notVerified = login.error instanceof ApiError && login.error.code === 'LOGIN_USER_NOT_VERIFIED';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate();
  };

  // Already logged in (a reload of this page kept the session): go where the log-in would have led.
  if (user !== null && login.isIdle) return <Navigate to={next} replace />;

  if (mfaToken !== null) {
    return (
      <Page title="Log in" narrow>
        <SecondStepForm
          mfaToken={mfaToken}
          onDone={() => navigate(next, { replace: true })}
          onRestart={() => {
            setMfaToken(null);
            setPassword('');
            login.reset();
          }}
        />
      </Page>
    );
  }

  return (
    <Page title="Log in" narrow>
      {endedBecause === 'expired' && <ErrorAlert>Your session ended. Log in again to continue.</ErrorAlert>}
      <form onSubmit={submit} noValidate className="form">
        <ErrorAlert error={login.error} />
        <TextField label="Email or name" name="username" autoComplete="username" required value={identifier} onChange={(e) => setIdentifier(e.target.value)} error={fieldError(login.error, 'username')} />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} error={fieldError(login.error, 'password')} />
        <Button type="submit" busy={login.isPending}>
          Log in
        </Button>
      </form>
      {notVerified && identifier.includes('@') && (
        <div className="stack">
          {resend.isSuccess ? <SuccessNote>If that address has an account, a new link is on its way.</SuccessNote> : <ErrorAlert error={resend.error} />}
          <Button variant="secondary" busy={resend.isPending} onClick={() => resend.mutate()}>
            Send a new confirmation link
          </Button>
        </div>
      )}
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New here? <Link to="/sign-up">Create an account</Link>
      </p>
    </Page>
  );
}
