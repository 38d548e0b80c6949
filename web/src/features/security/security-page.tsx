import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/button';
import { ErrorAlert, SuccessNote } from '@/components/feedback';
import { TextField } from '@/components/field';
import { Page } from '@/components/page';
import { accountLinks, SectionNav } from '@/components/section-nav';
import { StepUpFields } from '@/components/step-up-fields';
import { useCurrentUser } from '@/lib/auth';
import { fieldError } from '@/lib/errors';
import { session } from '@/lib/session';
import { changePassword, requestEmailChange } from './api';
import { useStepUp } from './use-step-up';

function ChangeEmailForm() {
  const user = useCurrentUser();
  const stepUp = useStepUp();
  const [email, setEmail] = useState('');
  const change = useMutation({
    mutationFn: () => requestEmailChange(email.trim(), stepUp.body()),
    onSuccess: () => stepUp.clear(),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  return (
    <section aria-labelledby="change-email">
      <h2 id="change-email">Change your email</h2>
      <p className="muted">Now: {user.email ?? 'none'}. We mail a link to the new address; the change happens when it is opened, and every session then ends.</p>
      <form onSubmit={submit} noValidate className="form">
        {change.isSuccess && (
          <SuccessNote>
            We sent a link to <strong>{email.trim()}</strong>. Open it to finish; until then your email stays as it is.
          </SuccessNote>
        )}
        <ErrorAlert error={change.error} />
        <TextField label="New email" name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(change.error, 'email')} />
        <StepUpFields {...stepUp} fieldError={(field) => fieldError(change.error, field)} />
        <Button type="submit" busy={change.isPending}>
          Send the confirmation link
        </Button>
      </form>
    </section>
  );
}

function ChangePasswordForm() {
  const stepUp = useStepUp();
  const [password, setPassword] = useState('');
  const change = useMutation({
    mutationFn: async () => {
      await changePassword(password, stepUp.body());
      // The new password ends this access token too; this session goes on with a fresh one from the cookie.
      await session.renew();
    },
    onSuccess: () => {
      setPassword('');
      stepUp.clear();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  return (
    <section aria-labelledby="change-password">
      <h2 id="change-password">Change your password</h2>
      <form onSubmit={submit} noValidate className="form">
        {change.isSuccess && <SuccessNote>Your password is changed. Every other session has ended; this one goes on.</SuccessNote>}
        <ErrorAlert error={change.error} />
        <StepUpFields {...stepUp} fieldError={(field) => fieldError(change.error, field)} />
        <TextField
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          hint="10 to 64 characters, with a letter, a digit and one other character."
          error={fieldError(change.error, 'password')}
        />
        <Button type="submit" busy={change.isPending}>
          Change the password
        </Button>
      </form>
    </section>
  );
}

export function SecurityPage() {
  return (
    <Page title="Email and password" narrow>
      <SectionNav label="Your account" links={accountLinks} />
      <ChangeEmailForm />
      <ChangePasswordForm />
    </Page>
  );
}
