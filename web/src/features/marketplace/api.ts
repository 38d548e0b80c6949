import { api, dataOf, send, unwrap } from '@/lib/api/client';

export const feedPageSize = 20;

export const marketplaceKeys = {
  feed: ['feed'] as const,
  mine: ['cleanings', 'mine'] as const,
  cleaning: (id: number) => ['cleanings', id] as const,
  offers: (id: number) => ['cleanings', id, 'offers'] as const,
  myOffer: (id: number, username: string) => ['cleanings', id, 'offers', username] as const,
  evaluation: (id: number, username: string) => ['cleanings', id, 'evaluation', username] as const,
};

/** The cursor of the next page, from the feed's `Link: <…?cursor=…>; rel="next"` header (none on the last page). */
export function nextCursor(link: string | null): string | null {
  const next = link?.split(',').find((part) => /;\s*rel="?next"?/.test(part));
  const target = next === undefined ? null : /<([^>]*)>/.exec(next)?.[1];
  return target == null ? null : new URL(target, 'http://relative.invalid').searchParams.get('cursor');
}

export async function feedPage(cursor: string | null) {
  const query = { page_chunk_size: feedPageSize, ...(cursor === null ? {} : { cursor }) };
  const result = await send(api.GET('/api/feed/cleanings', { params: { query } }));
  return { items: dataOf(result), next: nextCursor(result.response.headers.get('Link')) };
}

export type FeedItem = Awaited<ReturnType<typeof feedPage>>['items'][number];

export const myCleanings = () => unwrap(api.GET('/api/cleanings'));

export const getCleaning = (id: number) => unwrap(api.GET('/api/cleanings/{cleaning_id}', { params: { path: { cleaning_id: id } } }));

export type Cleaning = Awaited<ReturnType<typeof getCleaning>>;
export type CleaningType = Cleaning['cleaning_type'];

export interface CleaningDraft {
  name: string;
  description: string | null;
  price: string;
  cleaning_type: CleaningType;
}

export const createCleaning = (draft: CleaningDraft) => unwrap(api.POST('/api/cleanings', { body: { new_cleaning: draft } }));

export const updateCleaning = (id: number, draft: CleaningDraft) =>
  unwrap(api.PUT('/api/cleanings/{cleaning_id}', { params: { path: { cleaning_id: id } }, body: { cleaning_update: draft } }));

export const deleteCleaning = (id: number) => unwrap(api.DELETE('/api/cleanings/{cleaning_id}', { params: { path: { cleaning_id: id } } }));

export const listOffers = (id: number) => unwrap(api.GET('/api/cleanings/{cleaning_id}/offers', { params: { path: { cleaning_id: id } } }));

export type Offer = Awaited<ReturnType<typeof listOffers>>[number];

/** The caller's own offer on a job, or null when there is none (the API's 404). */
export async function findOffer(id: number, username: string): Promise<Offer | null> {
  const result = await send(api.GET('/api/cleanings/{cleaning_id}/offers/{username}', { params: { path: { cleaning_id: id, username } } }));
  return result.response.status === 404 ? null : dataOf(result);
}

export const makeOffer = (id: number) => unwrap(api.POST('/api/cleanings/{cleaning_id}/offers', { params: { path: { cleaning_id: id } } }));

/** The owner accepts (an empty update means accept); the other pending offers are turned down. */
export const acceptOffer = (id: number, username: string) =>
  unwrap(api.PUT('/api/cleanings/{cleaning_id}/offers/{username}', { params: { path: { cleaning_id: id, username } }, body: {} }));

/** The caller cancels their own accepted offer; the others reopen. */
export const cancelMyOffer = (id: number) => unwrap(api.PUT('/api/cleanings/{cleaning_id}/offers', { params: { path: { cleaning_id: id } } }));

/** The caller takes back their own pending offer. */
export const rescindMyOffer = (id: number) => unwrap(api.DELETE('/api/cleanings/{cleaning_id}/offers', { params: { path: { cleaning_id: id } } }));

/** The owner's rating of the cleaner for this job, or null before there is one. */
export async function findEvaluation(id: number, username: string) {
  const result = await send(api.GET('/api/users/{username}/evaluations/{cleaning_id}', { params: { path: { cleaning_id: id, username } } }));
  return result.response.status === 404 ? null : dataOf(result);
}

export type EvaluationDraft = {
  overall_rating: number;
  professionalism: number | null;
  completeness: number | null;
  efficiency: number | null;
  headline: string | null;
  comment: string | null;
  no_show: boolean;
};

export const rateCleaner = (id: number, username: string, evaluation: EvaluationDraft) =>
  unwrap(api.POST('/api/users/{username}/evaluations/{cleaning_id}', { params: { path: { cleaning_id: id, username } }, body: { evaluation_create: evaluation } }));
