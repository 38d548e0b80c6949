import { Link } from 'react-router';
import { ErrorAlert, Loading, SuccessNote } from '@/components/feedback';
import { Page } from '@/components/page';
import { useAuth } from '@/lib/auth';
import { useEmailedToken } from '@/lib/use-emailed-token';
import { confirmEmailChange } from './api';

/**
 * Where the link mailed to a new address lands (`/app/confirm-email?token=…`). Confirming moves the account to the
 * address and ends every session of it, this browser's included, so this page forgets its own and offers log-in.
 */
export function ConfirmEmailPage() {
  const { forgetSession } = useAuth();
  const { token, call: confirm } = useEmailedToken(confirmEmailChange, () => forgetSession());

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
