import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorAlert, Loading, SuccessNote } from '@/components/feedback';
import { Page } from '@/components/page';
import { useAuth } from '@/lib/auth';
import { useEmailedToken } from '@/lib/use-emailed-token';
import { confirmEmailChange } from './api';

/**
 * Where the link mailed to a new address lands (`/app/confirm-email?token=…`). Confirming moves the account to the
 * address and ends its sessions. The API client sends this browser's access token when it is logged in, and a
 * session of the same account is kept (its token is renewed, as after a password change); otherwise every session
 * ended, this browser's too, so the page forgets its own and offers log-in. It waits for the session to be
 * restored first, or a just-opened link would be sent without the token.
 */
export function ConfirmEmailPage() {
  const { restoring } = useAuth();
  return <Page title="Confirm your new email" narrow>{restoring ? <Loading what="your session" /> : <Confirmation />}</Page>;
}

function Confirmation() {
  const { user, forgetSession, refreshUser } = useAuth();
  const [kept, setKept] = useState(false);
  const { token, call: confirm } = useEmailedToken(confirmEmailChange, (moved) => {
    if (user !== null && user.id === moved.id) {
      setKept(true);
      // Its access token died with the change: the next request renews it with the refresh cookie.
      return refreshUser().catch(() => undefined);
    }
    forgetSession();
  });

  return (
    <>
      {token === '' && <ErrorAlert>This link has no token. Open the link from the email again.</ErrorAlert>}
      {confirm.isPending && <Loading what="your confirmation" />}
      <ErrorAlert error={confirm.error} />
      {confirm.isSuccess &&
        (kept ? (
          <SuccessNote>
            Your email is now <strong>{confirm.data.email}</strong>. Every other session of your account has ended; you are still logged in here.
          </SuccessNote>
        ) : (
          <>
            <SuccessNote>
              Your email is now <strong>{confirm.data.email}</strong>. Every session of your account has ended, so log in again.
            </SuccessNote>
            <p>
              <Link to="/log-in">Log in</Link>
            </p>
          </>
        ))}
    </>
  );
}
