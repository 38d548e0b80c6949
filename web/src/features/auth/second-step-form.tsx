import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/button';
import { ErrorAlert } from '@/components/feedback';
import { TextField } from '@/components/field';
import { useAuth, type CurrentUser } from '@/lib/auth';
import { ApiError, fieldError } from '@/lib/errors';
import { finishLogIn } from './api';

/**
 * The log-in's second step, when the password was right for an account with two-step verification: the code from
 * the authenticator app, or one of the recovery codes. The `mfa_token` of the first step is good for five minutes
 * and five tries; after that the log-in starts again.
 */
export function SecondStepForm({ mfaToken, onDone, onRestart }: { mfaToken: string; onDone: (user: CurrentUser) => void; onRestart: () => void }) {
  const { logIn } = useAuth();
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const finish = useMutation({
    mutationFn: async () => logIn(await finishLogIn(mfaToken, useRecovery ? { recovery_code: code.trim() } : { code: code.trim() })),
    onSuccess: onDone,
  });
  const expired = finish.error instanceof ApiError && finish.error.code === 'MFA_TOKEN_INVALID';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    finish.mutate();
  };
  const switchKind = () => {
    setUseRecovery(!useRecovery);
    setCode('');
    finish.reset();
  };
  return (
    <section aria-labelledby="second-step" className="stack">
      <h2 id="second-step">Two-step verification</h2>
      <form onSubmit={submit} noValidate className="form">
        <ErrorAlert error={finish.error} />
        {useRecovery ? (
          <TextField key="recovery" label="Recovery code" name="recovery_code" autoComplete="off" required autoFocus value={code} onChange={(e) => setCode(e.target.value)} hint="One of the codes you saved when you turned two-step verification on. Each works once." error={fieldError(finish.error, 'recovery_code')} />
        ) : (
          <TextField key="code" label="Code from your authenticator app" name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={6} required autoFocus value={code} onChange={(e) => setCode(e.target.value)} error={fieldError(finish.error, 'code')} />
        )}
        {expired ? (
          <Button onClick={onRestart}>Log in again</Button>
        ) : (
          <Button type="submit" busy={finish.isPending}>
            Verify
          </Button>
        )}
      </form>
      <Button variant="secondary" onClick={switchKind}>
        {useRecovery ? 'Use the code from the app instead' : 'Use a recovery code instead'}
      </Button>
    </section>
  );
}
