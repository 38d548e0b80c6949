import type { HttpError } from './errors.js';

/** The value, or the error (typically a 404) when a lookup found nothing. */
export function found<T>(value: T | null | undefined, notFound: () => HttpError): T {
  if (value === null || value === undefined) throw notFound();
  return value;
}
