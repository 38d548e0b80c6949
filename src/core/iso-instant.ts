// Instants as the API prints them: every view's, the paging cursors', and the ISO text SQLite stores them as.

const twoDigits = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const threeDigits = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

/**
 * What date.toISOString() prints, from the Date's UTC fields: about 160 ns against toISOString's 360 in V8
 * (bench/timestamps.ts; docs/benchmarks.md, seventh pass), which counts on a feed page of 40 instants. Years
 * outside 1000 to 9999 (printed with a sign or fewer digits) and invalid Dates (a RangeError) are left to
 * toISOString.
 */
export function isoStringOf(date: Date): string {
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return date.toISOString();
  return `${year}-${twoDigits[date.getUTCMonth() + 1]}-${twoDigits[date.getUTCDate()]}T${twoDigits[date.getUTCHours()]}:${twoDigits[date.getUTCMinutes()]}:${twoDigits[date.getUTCSeconds()]}.${threeDigits[date.getUTCMilliseconds()]}Z`;
}
