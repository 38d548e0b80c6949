import { Navigate, Outlet, useLocation } from 'react-router';
import { Loading } from '@/components/feedback';
import { Page } from '@/components/page';
import { useAuth } from '@/lib/auth';

/** Pages for signed-in people; anyone else logs in first and comes back here. */
export function RequireAuth() {
  const { user, restoring } = useAuth();
  const location = useLocation();
  // A reload: the refresh cookie may still hold a session, so ask before sending anyone to log in.
  if (restoring) return <Loading what="your session" />;
  if (user === null) return <Navigate to={`/log-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <Outlet />;
}

export function RequireSuperuser() {
  const { user } = useAuth();
  if (user?.is_superuser !== true) {
    return (
      <Page title="Not allowed">
        <p role="alert">This page is for administrators.</p>
      </Page>
    );
  }
  return <Outlet />;
}

/** The app's front door: the marketplace for people signed in, the log-in page for everyone else. */
export function Home() {
  const { user, restoring } = useAuth();
  if (restoring) return <Loading what="your session" />;
  return <Navigate to={user === null ? '/log-in' : '/cleanings'} replace />;
}
