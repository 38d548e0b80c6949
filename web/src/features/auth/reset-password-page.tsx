import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button } from '@/components/button';
import { ErrorAlert, SuccessNote } from '@/components/feedback';
import { TextField } from '@/components/field';
import { Page } from '@/components/page';
import { fieldError } from '@/lib/errors';
import { resetPassword } from './api';

/** Where the emailed reset link lands (`/app/reset-password?token=…`). */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const reset = useMutation({ mutationFn: () => resetPassword(token, password) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reset.mutate();
  };
  return (
    <Page title="Choose a new password" narrow>
      {token === '' ? (
        <ErrorAlert>This link has no token. Open the link from the email again.</ErrorAlert>
      ) : reset.isSuccess ? (
        <>
          <SuccessNote>Your password is changed. Every older session has ended.</SuccessNote>
          <p>
            <Link to="/log-in">Log in</Link>
          </p>
        </>
      ) : (
        <form onSubmit={submit} noValidate className="form">
          <ErrorAlert error={reset.error} />
          <TextField label="New password" name="password" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} hint="At least 10 characters." error={fieldError(reset.error, 'password')} />
          <Button type="submit" busy={reset.isPending}>
            Save the new password
          </Button>
        </form>
      )}
    </Page>
  );
}
