import { decodeKeysetCursor, encodeKeysetCursor } from '../../core/keyset-cursor.js';
import type { FeedPosition } from './feed.repository.js';

/** Cleaning ids are a 32-bit `serial`/`integer` column: anything larger cannot be one, and PostgreSQL refuses it. */
const maxCleaningId = 2_147_483_647;
/**
 * The instants every supported database stores and compares without error (PostgreSQL refuses years past
 * 294276 or before 4713 BC, MySQL's DATETIME spans years 1000 to 9999); no event can lie outside them.
 */
const earliestInstant = Date.parse('1000-01-01T00:00:00.000Z');
const latestInstant = Date.parse('9999-12-31T23:59:59.999Z');

export function encodeCursor(position: FeedPosition): string {
  return encodeKeysetCursor(position.timestamp, position.id);
}

/** The position a client's feed cursor names: a cleaning id the id column can hold, at a supported instant. */
export function decodeCursor(cursor: string): FeedPosition {
  const { instant, id } = decodeKeysetCursor(cursor, isCleaningId, isSupportedInstant);
  return { timestamp: instant, id };
}

function isCleaningId(id: unknown): id is number {
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 1 && id <= maxCleaningId;
}

export function isSupportedInstant(date: Date): boolean {
  const time = date.getTime();
  return time >= earliestInstant && time <= latestInstant;
}
