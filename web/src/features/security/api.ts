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

/**
 * Ends every session but this one. The form asks for the current password (and code) because the second-factor
 * issue makes this a step-up action; until the API declares that body, the typed client does not know it, hence
 * the cast, which goes once the OpenAPI document has it.
 */
export const endOtherSessions = (stepUp: StepUp) => unwrap(api.DELETE('/api/users/me/sessions', { body: stepUp } as Record<string, unknown>));

export const myAuditPage = (cursor: string | null) =>
  unwrap(api.GET('/api/users/me/audit', { params: { query: { limit: auditPageSize, ...(cursor === null ? {} : { cursor }) } } }));
