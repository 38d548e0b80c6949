import { api, unwrap } from '@/lib/api/client';
import type { StepUp } from '@/components/step-up-fields';

export const securityKeys = { sessions: ['me', 'sessions'] as const, audit: ['me', 'audit'] as const };

export const auditPageSize = 20;

/** Mails a confirmation link to the new address; nothing changes until it is opened. */
export const requestEmailChange = (email: string, stepUp: StepUp) => unwrap(api.PATCH('/api/users/me', { body: { email, ...stepUp } }));

export const changePassword = (password: string, stepUp: StepUp) => unwrap(api.PATCH('/api/users/me', { body: { password, ...stepUp } }));

export const confirmEmailChange = (token: string) => unwrap(api.POST('/api/auth/confirm-email', { body: { token } }));

export const listSessions = () => unwrap(api.GET('/api/users/me/sessions'));

export type SessionView = Awaited<ReturnType<typeof listSessions>>[number];

export const endSession = (id: string) => unwrap(api.DELETE('/api/users/me/sessions/{id}', { params: { path: { id } } }));

/** Ends every session but this one: a step-up action, so it needs the current password (and code). */
export const endOtherSessions = (stepUp: StepUp) => unwrap(api.DELETE('/api/users/me/sessions', { body: stepUp }));

export const startTotp = (currentPassword: string) => unwrap(api.POST('/api/users/me/mfa/totp', { body: { current_password: currentPassword } }));

export type TotpEnrolment = Awaited<ReturnType<typeof startTotp>>;

export const confirmTotp = (code: string) => unwrap(api.POST('/api/users/me/mfa/totp/confirm', { body: { code } }));

export const disableTotp = (proof: { current_password: string; code: string }) => unwrap(api.DELETE('/api/users/me/mfa/totp', { body: proof }));

export const replaceRecoveryCodes = (proof: { current_password: string; code: string }) => unwrap(api.POST('/api/users/me/mfa/recovery-codes', { body: proof }));

export const myAuditPage = (cursor: string | null) =>
  unwrap(api.GET('/api/users/me/audit', { params: { query: { limit: auditPageSize, ...(cursor === null ? {} : { cursor }) } } }));
