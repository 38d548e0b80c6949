import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ErrorAlert, Loading, SuccessNote } from '@/components/feedback';
import { Page } from '@/components/page';
import { useAuth } from '@/lib/auth';
import { verifyWithToken } from './api';

/** Where the emailed confirmation link lands (`/app/verify-email?token=…`): confirms at once. */
export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { user, refreshUser } = useAuth();
  const verify = useMutation({
    mutationFn: () => verifyWithToken(token),
    onSuccess: () => (user !== null ? refreshUser() : undefined),
  });
  // Once per token, also under React's development double effects: a second call would say "already verified".
  const sent = useRef<string | null>(null);
  useEffect(() => {
    if (token === '' || sent.current === token) return;
    sent.current = token;
    verify.mutate();
  }, [token, verify]);

  return (
    <Page title="Confirm your email" narrow>
      {token === '' && <ErrorAlert>This link has no token. Open the link from the email again.</ErrorAlert>}
      {verify.isPending && <Loading what="your confirmation" />}
      <ErrorAlert error={verify.error} />
      {verify.isSuccess && (
        <>
          <SuccessNote>
            <strong>{verify.data.email}</strong> is confirmed.
          </SuccessNote>
          <p>{user === null ? <Link to="/log-in">Log in</Link> : <Link to="/cleanings">Go to the marketplace</Link>}</p>
        </>
      )}
    </Page>
  );
}
