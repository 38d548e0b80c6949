import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ErrorAlert, Loading, SuccessNote } from '@/components/feedback';
import { Page } from '@/components/page';
import { useAuth } from '@/lib/auth';
import { confirmEmailChange } from './api';

/**
 * Where the link mailed to a new address lands (`/app/confirm-email?token=…`). Confirming moves the account to the
 * address and ends every session of it, this browser's included, so this page forgets its own and offers log-in.
 */
export function ConfirmEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { forgetSession } = useAuth();
  const confirm = useMutation({ mutationFn: () => confirmEmailChange(token), onSuccess: () => forgetSession() });
  // Once per token, also under React's development double effects: the token works once.
  const sent = useRef<string | null>(null);
  useEffect(() => {
    if (token === '' || sent.current === token) return;
    sent.current = token;
    confirm.mutate();
  }, [token, confirm]);

  return (
    <Page title="Confirm your new email" narrow>
      {token === '' && <ErrorAlert>This link has no token. Open the link from the email again.</ErrorAlert>}
      {confirm.isPending && <Loading what="your confirmation" />}
      <ErrorAlert error={confirm.error} />
      {confirm.isSuccess && (
        <>
          <SuccessNote>
            Your email is now <strong>{confirm.data.email}</strong>. Every session of your account has ended, so log in again.
          </SuccessNote>
          <p>
            <Link to="/log-in">Log in</Link>
          </p>
        </>
      )}
    </Page>
  );
}
