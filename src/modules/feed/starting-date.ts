/**
 * What phresh's clients send as `starting_date`: pydantic's datetime forms. Its tests send Python's
 * `str(datetime)` ("2026-11-22 05:00:00.123456", a space and no zone), its front-end an ISO string with `Z`,
 * and a previous page's `event_timestamp` or `updated_at` goes back as it came.
 */
export const startingDatePattern =
  '^\\d{4}-\\d{2}-\\d{2}([Tt ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?([Zz]|[+-]\\d{2}(:?\\d{2})?)?)?$';

const parts = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|([+-])(\d{2}):?(\d{2})?)?)?$/;

/**
 * The instant as whole milliseconds, or null when it is no real date. A time without a zone is UTC, as the
 * database session of phresh reads it. Digits below the millisecond round up: stored timestamps are whole
 * milliseconds, so "strictly older than 05:00:00.1234" must still include an event at 05:00:00.123.
 */
export function parseStartingDate(value: string): number | null {
  const match = parts.exec(value);
  if (match === null) return null;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', , sign, offsetHours = '0', offsetMinutes = '0'] = match;
  const fields = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
  const [y, mo, d, h, mi, s] = fields;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  // Date.UTC rolls 2026-02-30 over into March: such a date does not exist.
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return null;
  const digits = fraction.padEnd(9, '0');
  const milliseconds = Number(digits.slice(0, 3)) + (/[1-9]/.test(digits.slice(3)) ? 1 : 0);
  const offset = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000;
  return utc + milliseconds - offset;
}
