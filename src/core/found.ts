import type { DomainError } from './errors.js';

/** The value, or the error (typically NotFoundError) when a lookup found nothing. */
export function found<T>(value: T | null | undefined, notFound: () => DomainError): T {
  if (value === null || value === undefined) throw notFound();
  return value;
}
