import { api, dataOf, send, unwrap } from '@/lib/api/client';
import type { Grant } from '@/lib/session';

/**
 * The service has two account families (see the README): names from the ToDo tutorial (`/users/…`) and
 * emails from the Phresh one (`/api/…`). One account works on both; the app picks the route by what was typed.
 */
export type LogInOutcome = { grant: Grant } | { mfaToken: string };

/** A log-in's answer: a session, or (the password was right, two-step verification is on) the token of the second step. */
function outcomeOf(result: { data?: Grant; error?: unknown; response: Response }): LogInOutcome {
  const body = result.error as { detail?: unknown; mfa_token?: unknown } | undefined;
  if (result.response.status === 401 && body?.detail === 'LOGIN_MFA_REQUIRED' && typeof body.mfa_token === 'string') return { mfaToken: body.mfa_token };
  return { grant: dataOf(result) };
}

export async function requestToken(identifier: string, password: string): Promise<LogInOutcome> {
  // The refresh token comes back in the HttpOnly cookie, out of reach of page scripts (see lib/session.ts).
  if (identifier.includes('@')) {
    return outcomeOf(
      await send(
        api.POST('/api/token', {
          body: { username: identifier, password, refresh_cookie: 'true' },
          bodySerializer: (form) => new URLSearchParams(form as Record<string, string>),
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        }),
      ),
    );
  }
  return outcomeOf(await send(api.POST('/users/log-in', { body: { username: identifier, password, refresh_cookie: true } })));
}

/** The second step: the code from the app, or a recovery code; answers what a log-in answers. */
export const finishLogIn = (mfaToken: string, proof: { code: string } | { recovery_code: string }) =>
  unwrap(api.POST('/api/auth/mfa', { body: { mfa_token: mfaToken, ...proof, refresh_cookie: true } }));

export const signUpWithName = (username: string, password: string) => unwrap(api.POST('/users/sign-up', { body: { username, password } }));

export const signUpWithEmail = (email: string, name: string, password: string) =>
  unwrap(api.POST('/api/users', { body: { new_user: { email, name, password } } }));

export const requestVerifyLink = (email: string) => unwrap(api.POST('/api/auth/request-verify-token', { body: { email } }));

export const verifyWithToken = (token: string) => unwrap(api.POST('/api/auth/verify', { body: { token } }));

export const sendEmailCode = (email: string) => unwrap(api.POST('/users/email/otp', { body: { email } }));

export const verifyEmailCode = (email: string, otp: string) => unwrap(api.POST('/users/email/otp/verify', { body: { email, otp } }));

export const forgotPassword = (email: string) => unwrap(api.POST('/api/auth/forgot-password', { body: { email } }));

export const resetPassword = (token: string, password: string) => unwrap(api.POST('/api/auth/reset-password', { body: { token, password } }));
