import type pg from 'pg';

/** PostgreSQL's type oid of `timestamptz`, the type of every Spruce timestamp column there. */
const timestamptzOid = 1184;

const zero = 48;
const dash = 45;
const space = 32;
const colon = 58;
const dot = 46;
const plus = 43;
const minus = 45;

/** The number written by the `count` digits of `text` from `start`, or -1 where one of them is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index++) {
    const digit = text.charCodeAt(index) - zero;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The instant a `timestamptz` is, as PostgreSQL prints it with its default DateStyle (ISO):
 * `2026-11-22 05:00:00.123456+00`, the fraction optional (one to six digits), the offset `±HH` or `±HH:MM`. Null
 * for any other form (years before 100 or after 9999, BC, `infinity`, an offset with seconds), which pg's own parser
 * then reads.
 *
 * pg's parser (postgres-date) takes about 410 ns a value, most of it in regular expressions; this takes about 110
 * (bench/timestamps.ts; docs/benchmarks.md, seventh pass). A feed page has 63 timestamps. Like pg's, it keeps
 * milliseconds, dropping the rest of the fraction.
 */
export function parseTimestamptzText(text: string): Date | null {
  const length = text.length;
  if (
    length < 22 ||
    text.charCodeAt(4) !== dash ||
    text.charCodeAt(7) !== dash ||
    text.charCodeAt(10) !== space ||
    text.charCodeAt(13) !== colon ||
    text.charCodeAt(16) !== colon
  ) {
    return null;
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hours = digitsAt(text, 11, 2);
  const minutes = digitsAt(text, 14, 2);
  const seconds = digitsAt(text, 17, 2);
  // Date.UTC reads years 0 to 99 as 1900 to 1999.
  if (year < 100 || month < 0 || day < 0 || hours < 0 || minutes < 0 || seconds < 0) return null;

  let index = 19;
  let milliseconds = 0;
  if (text.charCodeAt(index) === dot) {
    index++;
    let fractionDigits = 0;
    for (; index < length; index++, fractionDigits++) {
      const digit = text.charCodeAt(index) - zero;
      if (digit < 0 || digit > 9) break;
      if (fractionDigits < 3) milliseconds = milliseconds * 10 + digit;
    }
    if (fractionDigits === 0 || fractionDigits > 6) return null;
    if (fractionDigits === 1) milliseconds *= 100;
    else if (fractionDigits === 2) milliseconds *= 10;
  }

  const sign = text.charCodeAt(index);
  if (sign !== plus && sign !== minus) return null;
  const offsetLength = length - index - 1;
  let offsetMinutes: number;
  if (offsetLength === 2) {
    offsetMinutes = digitsAt(text, index + 1, 2) * 60;
  } else if (offsetLength === 5 && text.charCodeAt(index + 3) === colon) {
    const offsetHours = digitsAt(text, index + 1, 2);
    const extraMinutes = digitsAt(text, index + 4, 2);
    offsetMinutes = offsetHours < 0 || extraMinutes < 0 ? -1 : offsetHours * 60 + extraMinutes;
  } else {
    return null;
  }
  if (offsetMinutes < 0) return null;

  const local = Date.UTC(year, month - 1, day, hours, minutes, seconds, milliseconds);
  return new Date(sign === plus ? local - offsetMinutes * 60_000 : local + offsetMinutes * 60_000);
}

/**
 * The type parsers for Spruce's pg clients: pg's own, but `timestamptz` read by parseTimestamptzText where it
 * can. They give the same Dates; only the time taken differs.
 */
export function postgresTypeParsers(types: typeof pg.types): pg.CustomTypesConfig {
  const timestamptzAsPgReadsIt = types.getTypeParser(timestamptzOid, 'text') as (text: string) => unknown;
  const timestamptz = (text: string) => parseTimestamptzText(text) ?? timestamptzAsPgReadsIt(text);
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === timestamptzOid && format !== 'binary' ? timestamptz : types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
  };
}
