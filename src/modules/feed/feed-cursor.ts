import { validationError } from '../../http/errors.js';
import type { FeedPosition } from './feed.repository.js';

/** Cleaning ids are a 32-bit `serial`/`integer` column: anything larger cannot be one, and PostgreSQL refuses it. */
const maxCleaningId = 2_147_483_647;
/**
 * The instants every supported database stores and compares without error (PostgreSQL refuses years past
 * 294276 or before 4713 BC, MySQL's DATETIME spans years 1000 to 9999); no event can lie outside them.
 */
const earliestInstant = Date.parse('1000-01-01T00:00:00.000Z');
const latestInstant = Date.parse('9999-12-31T23:59:59.999Z');

/** The cursor is opaque to clients: base64url of {"t": ISO timestamp, "id": cleaning id} of the last event seen. */
export function encodeCursor(position: FeedPosition): string {
  return Buffer.from(JSON.stringify({ t: position.timestamp.toISOString(), id: position.id })).toString('base64url');
}

/** The position a client's cursor names; anything this server could not have issued is a 422, never a query. */
export function decodeCursor(cursor: string): FeedPosition {
  const invalid = () => validationError([{ loc: ['query', 'cursor'], msg: 'Invalid cursor', type: 'value_error' }]);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const { t, id } = (decoded ?? {}) as { t?: unknown; id?: unknown };
  if (typeof t !== 'string' || typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1 || id > maxCleaningId) throw invalid();
  const timestamp = new Date(t);
  if (!isSupportedInstant(timestamp) || timestamp.toISOString() !== t) throw invalid();
  return { timestamp, id };
}

export function isSupportedInstant(date: Date): boolean {
  const time = date.getTime();
  return time >= earliestInstant && time <= latestInstant;
}
