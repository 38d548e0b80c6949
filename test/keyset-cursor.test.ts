import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidInputError } from '../src/core/errors.js';
import { decodeKeysetCursor, encodeKeysetCursor } from '../src/core/keyset-cursor.js';

/** The cursor as the first version wrote it, with JSON.stringify and toISOString: cursors clients hold. */
const cursorAsFirstWritten = (instant: Date, id: string | number) => Buffer.from(JSON.stringify({ t: instant.toISOString(), id })).toString('base64url');
const isNumberId = (id: unknown): id is number => typeof id === 'number' && Number.isSafeInteger(id) && id >= 1;
const isStringId = (id: unknown): id is string => typeof id === 'string';

describe('keyset cursors', () => {
  test('are the text JSON.stringify and toISOString wrote, and read back, for numeric and string ids', () => {
    // Every year from -10,000 to 20,000 in 100,000 steps, so years outside 1000 to 9999 (isoStringOf's fallback) too.
    const first = Date.UTC(-10_000, 0, 1);
    const step = (Date.UTC(20_000, 0, 1) - first) / 100_000;
    for (let n = 0; n <= 100_000; n++) {
      const instant = new Date(Math.floor(first + n * step));
      const id = n + 1;
      const cursor = encodeKeysetCursor(instant, id);
      assert.equal(cursor, cursorAsFirstWritten(instant, id));
      const decoded = decodeKeysetCursor(cursor, isNumberId);
      assert.equal(decoded.instant.getTime(), instant.getTime());
      assert.equal(decoded.id, id);
    }
    for (const id of ['0b6a7a5e-3f4c-4a51-9d0e-2f0c5b1d9e77', 'quote " and backslash \\', 'ünïcødé ✓']) {
      const instant = new Date('2026-11-22T20:30:00.123Z');
      const cursor = encodeKeysetCursor(instant, id);
      assert.equal(cursor, cursorAsFirstWritten(instant, id));
      assert.deepEqual(decodeKeysetCursor(cursor, isStringId), { instant, id });
    }
  });

  test('refuse any other spelling of the instant, and anything not a cursor, as invalid input on the cursor', () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of [
      encode({ t: '2026-11-22T20:30:00Z', id: 1 }),
      encode({ t: '2026-11-22T20:30:00.000+00:00', id: 1 }),
      encode({ t: '2026-11-22 20:30:00.000Z', id: 1 }),
      encode({ t: '+002026-11-22T20:30:00.000Z', id: 1 }),
      encode({ t: 'yesterday', id: 1 }),
      encode({ t: '2026-11-22T20:30:00.000Z', id: 0 }),
      encode({ t: 1, id: 1 }),
      encode(null),
      encode([]),
      'not-a-cursor',
      '',
    ]) {
      assert.throws(
        () => decodeKeysetCursor(cursor, isNumberId),
        (error: unknown) =>
          error instanceof InvalidInputError &&
          JSON.stringify(error.issues) === JSON.stringify([{ loc: ['query', 'cursor'], msg: 'Invalid cursor', type: 'value_error' }]),
        cursor,
      );
    }
  });

  test('refuse an instant the caller does not allow', () => {
    const cursor = encodeKeysetCursor(new Date('0999-12-31T23:59:59.999Z'), 1);
    assert.throws(() => decodeKeysetCursor(cursor, isNumberId, (instant) => instant.getUTCFullYear() >= 1000));
    assert.equal(decodeKeysetCursor(cursor, isNumberId).instant.toISOString(), '0999-12-31T23:59:59.999Z');
  });
});
