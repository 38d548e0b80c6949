import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/button';
import { ErrorAlert, SuccessNote } from '@/components/feedback';
import { TextField } from '@/components/field';
import { Page } from '@/components/page';
import { fieldError } from '@/lib/errors';
import { forgotPassword } from './api';

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const request = useMutation({ mutationFn: () => forgotPassword(email.trim()) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate();
  };
  return (
    <Page title="Reset your password" narrow>
      {request.isSuccess ? (
        // The API answers the same whether or not the address has an account, and so does this page.
        <SuccessNote>If {email.trim()} has an account, we sent it a link to choose a new password.</SuccessNote>
      ) : (
        <form onSubmit={submit} noValidate className="form">
          <p>We will email you a link to choose a new password.</p>
          <ErrorAlert error={request.error} />
          <TextField label="Email" name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(request.error, 'email')} />
          <Button type="submit" busy={request.isPending}>
            Send the link
          </Button>
        </form>
      )}
      <p>
        <Link to="/log-in">Back to log in</Link>
      </p>
    </Page>
  );
}
