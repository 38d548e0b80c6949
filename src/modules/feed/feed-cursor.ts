import { validationError } from '../../http/errors.js';
import type { FeedPosition } from './feed.repository.js';

/** The cursor is opaque to clients: base64url of {"t": ISO timestamp, "id": cleaning id} of the last event seen. */
export function encodeCursor(position: FeedPosition): string {
  return Buffer.from(JSON.stringify({ t: position.timestamp.toISOString(), id: position.id })).toString('base64url');
}

export function decodeCursor(cursor: string): FeedPosition {
  const invalid = () => validationError([{ loc: ['query', 'cursor'], msg: 'Invalid cursor', type: 'value_error' }]);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const { t, id } = (decoded ?? {}) as { t?: unknown; id?: unknown };
  if (typeof t !== 'string' || typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) throw invalid();
  const timestamp = new Date(t);
  if (Number.isNaN(timestamp.getTime()) || timestamp.toISOString() !== t) throw invalid();
  return { timestamp, id };
}
