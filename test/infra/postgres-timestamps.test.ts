import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { createDatabase, type DatabaseHandle } from '../../src/infra/database.js';
import { parseTimestamptzText } from '../../src/infra/postgres-timestamps.js';
import { suiteUnless } from '../helpers/suite.js';

/** pg's own reading of a timestamptz (postgres-date), which parseTimestamptzText must agree with. */
const asPgReadsIt = pg.types.getTypeParser(1184, 'text') as (text: string) => Date;

describe('parseTimestamptzText', () => {
  test('reads what PostgreSQL prints as pg does: fractions of 0 to 6 digits, offsets ±HH and ±HH:MM', () => {
    const texts = [
      '2026-11-22 05:00:00+00',
      '2026-11-22 05:00:00.1+00',
      '2026-11-22 05:00:00.12+00',
      '2026-11-22 05:00:00.123+00',
      '2026-11-22 05:00:00.1239+00',
      '2026-11-22 05:00:00.123456+00',
      '2026-11-22 05:00:00.999999+00',
      '2026-11-22 10:30:00.5+05:30',
      '2026-11-21 21:00:00-08',
      '2026-11-22 01:30:00.25-03:30',
      '2000-02-29 23:59:59.999+00',
      '1969-12-31 23:59:59.999+00',
      '0100-01-01 00:00:00+00',
      '9999-12-31 23:59:59.999999+00',
    ];
    for (const text of texts) {
      const date = parseTimestamptzText(text);
      assert.ok(date instanceof Date, text);
      assert.equal(date.getTime(), asPgReadsIt(text).getTime(), text);
    }
  });

  test('agrees with pg on every millisecond and on six-digit fractions', () => {
    for (let micros = 0; micros < 1_000_000; micros += 997) {
      const text = `2026-11-22 05:00:00.${String(micros).padStart(6, '0')}+00`;
      assert.equal(parseTimestamptzText(text)!.getTime(), asPgReadsIt(text).getTime(), text);
    }
    for (let millis = 0; millis < 1000; millis++) {
      const text = `2026-11-22 05:00:00.${String(millis).padStart(3, '0')}+00`;
      assert.equal(parseTimestamptzText(text)!.getTime(), Date.UTC(2026, 10, 22, 5, 0, 0, millis), text);
    }
  });

  test('leaves every other form to pg: early years, BC, infinity, offsets with seconds, anything malformed', () => {
    for (const text of [
      '0099-01-01 00:00:00+00',
      '2026-11-22 05:00:00+00 BC',
      '12026-11-22 05:00:00+00',
      'infinity',
      '-infinity',
      '1900-01-01 00:00:00+00:19:32',
      '2026-11-22T05:00:00Z',
      '2026-11-22 05:00:00',
      '2026-11-22 05:00:00.+00',
      '2026-11-22 05:00:00.1234567+00',
      '2026-1x-22 05:00:00+00',
      '2026-11-22 05:00:00+0x',
      '2026-11-22 05:00:00+05:3x',
      '2026-11-22 05:00:00+0530',
      '',
    ]) {
      assert.equal(parseTimestamptzText(text), null, text);
    }
  });
});

suiteUnless('timestamptz read back from PostgreSQL', process.env.TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL is not set', {}, () => {
  let database: DatabaseHandle;
  before(async () => {
    database = await createDatabase({ databaseUrl: process.env.TEST_DATABASE_URL!, sqlitePath: ':memory:', databasePoolSize: 2, databasePreparedStatements: true });
  });
  after(() => database.close());

  const instants = [
    '2026-11-22T05:00:00.123456Z',
    '2026-11-22T05:00:00Z',
    '2000-02-29T23:59:59.999Z',
    '1969-07-20T20:17:40.5Z',
    '1900-01-01T00:00:00Z',
    '0050-06-01T12:00:00Z',
    '9999-12-31T23:59:59.999Z',
  ];

  for (const zone of ['UTC', 'Asia/Kolkata', 'America/St_Johns', 'America/Los_Angeles', 'Europe/Amsterdam']) {
    test(`gives the same instants in any session time zone: ${zone}`, async () => {
      await database.db.connection().execute(async (connection) => {
        await sql`select set_config('TimeZone', ${zone}, false)`.execute(connection);
        try {
          for (const instant of instants) {
            const { rows } = await sql<{ value: Date; text: string }>`select ${instant}::timestamptz as value, ${instant}::timestamptz::text as text`.execute(connection);
            const row = rows[0]!;
            assert.ok(row.value instanceof Date, `${instant} in ${zone}: ${row.text}`);
            assert.equal(row.value.getTime(), new Date(instant).getTime(), `${instant} in ${zone}: ${row.text}`);
          }
          const { rows } = await sql<{ value: unknown }>`select 'infinity'::timestamptz as value`.execute(connection);
          assert.equal(rows[0]!.value, Infinity);
        } finally {
          await sql`select set_config('TimeZone', 'UTC', false)`.execute(connection);
        }
      });
    });
  }
});
