import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toIsoInstant } from '../src/db/schema.js';

describe('toIsoInstant', () => {
  test('passes text already in the form toISOString prints through unchanged', () => {
    assert.equal(toIsoInstant('2026-11-22T05:00:00.123Z'), '2026-11-22T05:00:00.123Z');
    assert.equal(toIsoInstant('0999-01-01T00:00:00.000Z'), '0999-01-01T00:00:00.000Z');
  });

  test('prints Dates, and text in any other form, as toISOString does', () => {
    assert.equal(toIsoInstant(new Date(Date.UTC(2026, 10, 22, 5, 0, 0, 7))), '2026-11-22T05:00:00.007Z');
    assert.equal(toIsoInstant('2026-11-22T05:00:00+01:00'), '2026-11-22T04:00:00.000Z');
    assert.equal(toIsoInstant('2026-11-22T05:00:00Z'), '2026-11-22T05:00:00.000Z');
    assert.equal(toIsoInstant('2026-11-22T05:00:00.1234Z'), '2026-11-22T05:00:00.123Z');
  });

  test('refuses text that is no instant, as a Date would', () => {
    assert.throws(() => toIsoInstant('yesterday'), RangeError);
  });
});
