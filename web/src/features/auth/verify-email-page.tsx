import { Link } from 'react-router';
import { ErrorAlert, Loading, SuccessNote } from '@/components/feedback';
import { Page } from '@/components/page';
import { useAuth } from '@/lib/auth';
import { useEmailedToken } from '@/lib/use-emailed-token';
import { verifyWithToken } from './api';

/** Where the emailed confirmation link lands (`/app/verify-email?token=…`): confirms at once. */
export function VerifyEmailPage() {
  const { user, refreshUser } = useAuth();
  const { token, call: verify } = useEmailedToken(verifyWithToken, () => (user !== null ? refreshUser() : undefined));

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
