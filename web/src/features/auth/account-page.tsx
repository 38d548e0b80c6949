import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/button';
import { ErrorAlert, SuccessNote } from '@/components/feedback';
import { TextField } from '@/components/field';
import { Page } from '@/components/page';
import { accountLinks, SectionNav } from '@/components/section-nav';
import { useAuth, useCurrentUser } from '@/lib/auth';
import { fieldError } from '@/lib/errors';
import { sendEmailCode, verifyEmailCode } from './api';

/** Confirm an email by a six-digit code: how an account made with a name alone adds one. */
function EmailCodeForm({ initialEmail, onConfirmed }: { initialEmail: string; onConfirmed: (email: string) => void }) {
  const { refreshUser } = useAuth();
  const [email, setEmail] = useState(initialEmail);
  const [code, setCode] = useState('');
  const send = useMutation({ mutationFn: () => sendEmailCode(email.trim()) });
  const verify = useMutation({
    mutationFn: () => verifyEmailCode(email.trim(), code.trim()),
    onSuccess: async () => {
      onConfirmed(email.trim());
      await refreshUser();
    },
  });

  const sendCode = (event: FormEvent) => {
    event.preventDefault();
    send.mutate();
  };
  const checkCode = (event: FormEvent) => {
    event.preventDefault();
    verify.mutate();
  };

  return (
    <div className="stack">
      <form onSubmit={sendCode} noValidate className="form">
        <ErrorAlert error={send.error} />
        <TextField label="Email" name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(send.error, 'email')} />
        <Button type="submit" variant={send.isSuccess ? 'secondary' : 'primary'} busy={send.isPending}>
          {send.isSuccess ? 'Send another code' : 'Email me a code'}
        </Button>
      </form>
      {send.isSuccess && (
        <form onSubmit={checkCode} noValidate className="form">
          <SuccessNote>
            A code is on its way to {send.data.email}. It works for {Math.round(send.data.expires_in / 60)} minutes.
          </SuccessNote>
          <ErrorAlert error={verify.error} />
          <TextField label="Code" name="otp" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={6} required value={code} onChange={(e) => setCode(e.target.value)} error={fieldError(verify.error, 'otp')} />
          <Button type="submit" busy={verify.isPending}>
            Confirm
          </Button>
        </form>
      )}
    </div>
  );
}

export function AccountPage() {
  const user = useCurrentUser();
  const { logOut } = useAuth();
  const [leaving, setLeaving] = useState(false);
  // Said here, not in the form: the form goes away once the account reads as verified.
  const [confirmed, setConfirmed] = useState<string | null>(null);
  return (
    <Page title="Your account" narrow>
      <SectionNav label="Your account" links={accountLinks} />
      <dl className="facts">
        <dt>Name</dt>
        <dd>{user.name}</dd>
        <dt>Email</dt>
        <dd>
          {user.email ?? 'none yet'} {user.email !== null && (user.is_verified ? <span className="badge badge-ok">confirmed</span> : <span className="badge">not confirmed</span>)}
        </dd>
        <dt>Member since</dt>
        <dd>{new Date(user.created_at).toLocaleDateString()}</dd>
      </dl>
      {confirmed !== null && <SuccessNote>{confirmed} is confirmed.</SuccessNote>}
      {!user.is_verified && (
        <section aria-labelledby="confirm-email">
          <h2 id="confirm-email">Confirm an email</h2>
          <p>With a confirmed email you can log in with it and reset a forgotten password.</p>
          <EmailCodeForm initialEmail={user.email ?? ''} onConfirmed={setConfirmed} />
        </section>
      )}
      <p>
        <Link to="/profile/edit">Edit your public profile</Link>
      </p>
      <Button
        variant="secondary"
        busy={leaving}
        onClick={() => {
          setLeaving(true);
          void logOut();
        }}
      >
        Log out
      </Button>
    </Page>
  );
}
