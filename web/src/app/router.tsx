import { createBrowserRouter } from 'react-router';
import { Page } from '@/components/page';
import { Home, RequireAuth, RequireSuperuser } from './guards';
import { Layout } from './layout';

function NotFound() {
  return (
    <Page title="Page not found">
      <p>There is nothing at this address.</p>
    </Page>
  );
}

function RouteError() {
  return (
    <Page title="Something went wrong">
      <p role="alert">This page failed to load. Reload to try again.</p>
    </Page>
  );
}

// Each feature is its own chunk, fetched the first time one of its pages opens, so the first page needs only the
// shell and the feature it shows.
const auth = () => import('@/features/auth');
const todos = () => import('@/features/todos');
const marketplace = () => import('@/features/marketplace');
const profiles = () => import('@/features/profiles');
const admin = () => import('@/features/admin');
const security = () => import('@/features/security');

export const router = createBrowserRouter(
  [
    {
      element: <Layout />,
      errorElement: <RouteError />,
      children: [
        { index: true, element: <Home /> },
        { path: 'log-in', lazy: async () => ({ Component: (await auth()).LogInPage }) },
        { path: 'sign-up', lazy: async () => ({ Component: (await auth()).SignUpPage }) },
        { path: 'verify-email', lazy: async () => ({ Component: (await auth()).VerifyEmailPage }) },
        { path: 'forgot-password', lazy: async () => ({ Component: (await auth()).ForgotPasswordPage }) },
        { path: 'reset-password', lazy: async () => ({ Component: (await auth()).ResetPasswordPage }) },
        { path: 'confirm-email', lazy: async () => ({ Component: (await security()).ConfirmEmailPage }) },
        {
          element: <RequireAuth />,
          children: [
            { path: 'account', lazy: async () => ({ Component: (await auth()).AccountPage }) },
            { path: 'account/security', lazy: async () => ({ Component: (await security()).SecurityPage }) },
            { path: 'account/two-step', lazy: async () => ({ Component: (await security()).TwoStepPage }) },
            { path: 'account/sessions', lazy: async () => ({ Component: (await security()).SessionsPage }) },
            { path: 'account/activity', lazy: async () => ({ Component: (await security()).ActivityPage }) },
            { path: 'todos', lazy: async () => ({ Component: (await todos()).TodosPage }) },
            { path: 'cleanings', lazy: async () => ({ Component: (await marketplace()).FeedPage }) },
            { path: 'cleanings/new', lazy: async () => ({ Component: (await marketplace()).NewCleaningPage }) },
            { path: 'cleanings/mine', lazy: async () => ({ Component: (await marketplace()).MyCleaningsPage }) },
            { path: 'cleanings/:id', lazy: async () => ({ Component: (await marketplace()).CleaningPage }) },
            { path: 'profiles/:username', lazy: async () => ({ Component: (await profiles()).ProfilePage }) },
            { path: 'profile/edit', lazy: async () => ({ Component: (await profiles()).EditProfilePage }) },
            {
              path: 'admin',
              element: <RequireSuperuser />,
              children: [
                { path: 'users', lazy: async () => ({ Component: (await admin()).UsersPage }) },
                { path: 'audit', lazy: async () => ({ Component: (await admin()).AuditPage }) },
                { path: 'status', lazy: async () => ({ Component: (await admin()).StatusPage }) },
              ],
            },
          ],
        },
        { path: '*', element: <NotFound /> },
      ],
    },
  ],
  { basename: '/app' },
);
