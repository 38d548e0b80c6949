import { invalidInput } from '../../core/errors.js';

/** The most a job may cost: 100 million, far above any real cleaning and far below what cents can hold exactly. */
export const maxPriceCents = 10_000_000_000;

const amountPattern = /^(\d{1,15})(?:\.(\d{1,2}))?$/;

/**
 * Reads a price sent as a JSON number or a decimal string into whole cents without going through binary
 * floating point. A JSON number is read from its shortest decimal form, which is the text the client sent for
 * any amount with at most 15 significant digits (10.10 arrives as 10.1). Zero, negatives, exponents, more than
 * two decimals and amounts above the maximum are refused with a 422 at `loc`.
 */
export function parsePriceCents(value: number | string, loc: (string | number)[]): number {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = amountPattern.exec(text);
  if (match === null) {
    throw invalidInput([
      { loc, msg: 'Price must be a positive amount with at most 2 decimal places', type: 'decimal_parsing' },
    ]);
  }
  const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (cents <= 0) throw invalidInput([{ loc, msg: 'Input should be greater than 0', type: 'greater_than' }]);
  if (cents > maxPriceCents) {
    throw invalidInput([{ loc, msg: `Input should be less than or equal to ${maxPriceCents / 100}`, type: 'less_than_equal' }]);
  }
  return cents;
}

/** Cents as a JSON number: n/100 prints with at most two decimals for every n below 2^53. */
export function centsToAmount(cents: number): number {
  return cents / 100;
}
