import { api, unwrap } from '@/lib/api/client';

export const usersPageSize = 25;
export const auditPageSize = 25;

export interface AuditFilters {
  user_id?: string;
  event?: string;
  /** An ISO instant: only events before it. */
  before?: string;
}

export const adminKeys = {
  users: (offset: number, q: string) => ['admin', 'users', offset, q] as const,
  audit: (filters: AuditFilters) => ['admin', 'audit', filters] as const,
  status: ['admin', 'status'] as const,
};

export const listUsers = (offset: number, q: string) =>
  unwrap(api.GET('/api/users', { params: { query: { offset, limit: usersPageSize, ...(q === '' ? {} : { q }) } } }));

export type AdminUser = Awaited<ReturnType<typeof listUsers>>['items'][number];

export const setUserFlags = (id: string, flags: { is_active?: boolean; is_superuser?: boolean }) =>
  unwrap(api.PATCH('/api/users/{id}', { params: { path: { id } }, body: flags }));

export const disableUserTotp = (id: string) => unwrap(api.DELETE('/api/users/{id}/mfa/totp', { params: { path: { id } } }));

export const endUserSessions = (id: string) => unwrap(api.DELETE('/api/users/{id}/sessions', { params: { path: { id } } }));

export const auditPage = (filters: AuditFilters, cursor: string | null) =>
  unwrap(api.GET('/api/audit', { params: { query: { ...filters, limit: auditPageSize, ...(cursor === null ? {} : { cursor }) } } }));

export const serviceStatus = () => unwrap(api.GET('/api/admin/status'));

export type ServiceStatus = Awaited<ReturnType<typeof serviceStatus>>;
