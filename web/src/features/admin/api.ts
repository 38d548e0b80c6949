import { api, unwrap } from '@/lib/api/client';

export const usersPageSize = 25;

export const adminKeys = { users: (offset: number) => ['admin', 'users', offset] as const };

export const listUsers = (offset: number) => unwrap(api.GET('/api/users', { params: { query: { offset, limit: usersPageSize } } }));

export type AdminUser = Awaited<ReturnType<typeof listUsers>>['items'][number];

export const setUserFlags = (id: string, flags: { is_active?: boolean; is_superuser?: boolean }) =>
  unwrap(api.PATCH('/api/users/{id}', { params: { path: { id } }, body: flags }));
