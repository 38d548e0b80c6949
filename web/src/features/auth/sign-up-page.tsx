import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button } from '@/components/button';
import { ErrorAlert, SuccessNote } from '@/components/feedback';
import { TextField } from '@/components/field';
import { Page } from '@/components/page';
import { useAuth } from '@/lib/auth';
import { fieldError } from '@/lib/errors';
import { requestToken, signUpWithEmail, signUpWithName } from './api';

type Kind = 'email' | 'name';

const nameHint = '4 to 20 letters, digits, - or _.';
const passwordHint = 'At least 10 characters.';

/**
 * Sign up with an email (a confirmation link is mailed; log in once it is opened) or with a name alone (logged in
 * at once; an email can be added and confirmed by code later, on the account page).
 */
export function SignUpPage() {
  const [kind, setKind] = useState<Kind>('email');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const { logIn } = useAuth();
  const navigate = useNavigate();

  const signUp = useMutation({
    mutationFn: async () => {
      if (kind === 'email') {
        await signUpWithEmail(email.trim(), name.trim(), password);
        return 'check-email' as const;
      }
      await signUpWithName(name.trim(), password);
      const outcome = await requestToken(name.trim(), password);
      // A new account has no second factor yet; should one ever answer so, the log-in page takes it from there.
      if (!('grant' in outcome)) return 'check-log-in' as const;
      await logIn(outcome.grant);
      return 'signed-in' as const;
    },
    onSuccess: (outcome) => {
      if (outcome === 'signed-in') navigate('/account', { replace: true });
      if (outcome === 'check-log-in') navigate('/log-in', { replace: true });
    },
  });

  if (signUp.data === 'check-email') {
    return (
      <Page title="Check your email" narrow>
        <SuccessNote>
          We sent a confirmation link to <strong>{email.trim()}</strong>. Open it to finish, then log in.
        </SuccessNote>
        <p>
          <Link to="/log-in">Go to log in</Link>
        </p>
      </Page>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signUp.mutate();
  };
  const choose = (next: Kind) => {
    setKind(next);
    signUp.reset();
  };

  return (
    <Page title="Create an account" narrow>
      <fieldset className="choice">
        <legend>Sign up with</legend>
        <label>
          <input type="radio" name="kind" checked={kind === 'email'} onChange={() => choose('email')} /> an email address
        </label>
        <label>
          <input type="radio" name="kind" checked={kind === 'name'} onChange={() => choose('name')} /> a name only
        </label>
      </fieldset>
      <form onSubmit={submit} noValidate className="form">
        <ErrorAlert error={signUp.error} />
        {kind === 'email' && (
          <TextField label="Email" name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(signUp.error, 'email')} />
        )}
        <TextField
          label={kind === 'email' ? 'Name' : 'Username'}
          name="name"
          autoComplete="username"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          hint={nameHint}
          error={fieldError(signUp.error, kind === 'email' ? 'name' : 'username')}
        />
        <TextField label="Password" name="password" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} hint={passwordHint} error={fieldError(signUp.error, 'password')} />
        <Button type="submit" busy={signUp.isPending}>
          Create account
        </Button>
      </form>
      <p>
        Already have an account? <Link to="/log-in">Log in</Link>
      </p>
    </Page>
  );
}
