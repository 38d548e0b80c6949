import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isoStringOf } from '../src/core/iso-instant.js';
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

describe('isoStringOf', () => {
  test('prints what toISOString prints, at the edges of its years, months and days', () => {
    for (const time of [
      0,
      -1,
      Date.UTC(1000, 0, 1),
      Date.UTC(1000, 0, 1) - 1,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999),
      Date.UTC(2100, 1, 28, 12),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999) + 1,
      Date.UTC(-1, 0, 1),
      8.64e15,
      -8.64e15,
    ]) {
      const date = new Date(time);
      assert.equal(isoStringOf(date), date.toISOString(), String(time));
    }
  });

  test('prints what toISOString prints, for instants spread over years -10,000 to 20,000', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let index = 0; index < 100_000; index++) {
      const date = new Date(Math.floor((random() * 3 - 1) * 5.7e14));
      assert.equal(isoStringOf(date), date.toISOString());
    }
  });

  test('refuses an invalid Date as toISOString does', () => {
    assert.throws(() => isoStringOf(new Date(Number.NaN)), RangeError);
  });
});
