import { invalidInput } from './errors.js';
import { isoStringOf } from './iso-instant.js';

/**
 * Opaque cursors for keyset paging on (instant, id): base64url of {"t": ISO instant, "id": …} of the last row seen.
 * Clients never read them; anything this server could not have issued is a 422, never a query.
 */
export function encodeKeysetCursor(instant: Date, id: string | number): string {
  // What JSON.stringify({ t: instant.toISOString(), id }) prints, in about half its time (every feed page but the
  // last writes a cursor; docs/benchmarks.md, eighth pass): the instant's text has nothing to escape, and a string
  // id is quoted.
  const json = `{"t":"${isoStringOf(instant)}","id":${typeof id === 'number' ? id : JSON.stringify(id)}}`;
  return Buffer.from(json).toString('base64url');
}

export function decodeKeysetCursor<Id extends string | number>(
  cursor: string,
  isId: (id: unknown) => id is Id,
  isInstantAllowed: (instant: Date) => boolean = () => true,
): { instant: Date; id: Id } {
  const invalid = () => invalidInput([{ loc: ['query', 'cursor'], msg: 'Invalid cursor', type: 'value_error' }]);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const { t, id } = (decoded ?? {}) as { t?: unknown; id?: unknown };
  if (typeof t !== 'string' || !isId(id)) throw invalid();
  const instant = new Date(t);
  // Only the exact text encodeKeysetCursor prints names an instant: other spellings Date accepts are refused.
  if (Number.isNaN(instant.getTime()) || !isInstantAllowed(instant) || instant.toISOString() !== t) throw invalid();
  return { instant, id };
}
