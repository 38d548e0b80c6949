import { api, unwrap } from '@/lib/api/client';

export const profileKeys = {
  profile: (username: string) => ['profiles', username] as const,
  stats: (username: string) => ['profiles', username, 'stats'] as const,
  evaluations: (username: string) => ['profiles', username, 'evaluations'] as const,
};

export const getProfile = (username: string) => unwrap(api.GET('/api/profiles/{username}', { params: { path: { username } } }));
export type Profile = Awaited<ReturnType<typeof getProfile>>;

export const getRatingStats = (username: string) => unwrap(api.GET('/api/users/{username}/evaluations/stats', { params: { path: { username } } }));
export type RatingStats = Awaited<ReturnType<typeof getRatingStats>>;

export const listEvaluations = (username: string) => unwrap(api.GET('/api/users/{username}/evaluations', { params: { path: { username } } }));

export interface ProfileDraft {
  full_name: string | null;
  phone_number: string | null;
  bio: string | null;
  image: string | null;
}

export const updateMyProfile = (draft: ProfileDraft) => unwrap(api.PUT('/api/profiles/me', { body: { profile_update: draft } }));
