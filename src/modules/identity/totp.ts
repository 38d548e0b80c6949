import { createHash } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30-second steps. */
const algorithm = 'SHA1';
const digits = 6;
export const totpPeriodSeconds = 30;
/** Steps accepted either side of the server's: one, for clocks a little off and codes typed near a boundary. */
const window = 1;

export const recoveryCodeCount = 10;

/** A new TOTP secret: 20 random bytes (160 bits, RFC 4226's recommendation), base32 as apps expect it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI apps scan, naming the service (issuer) and the account. */
export function totpUri(secretBase32: string, issuer: string, account: string): string {
  return new TOTP({ issuer, label: account, algorithm, digits, period: totpPeriodSeconds, secret: Secret.fromBase32(secretBase32) }).toString();
}

/** The URI as a QR code, an SVG document in a string. */
export async function qrCodeSvg(uri: string): Promise<string> {
  // Loaded at the first enrolment rather than at start: few requests ever draw a QR code.
  const { default: QRCode } = await import('qrcode');
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/**
 * The time step a code belongs to, when it is the code of the step at `nowMs` or one either side; null otherwise.
 * The library compares codes in constant time. The caller still has to make sure each step is used once.
 */
export function totpStepOf(secretBase32: string, code: string, nowMs: number): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const totp = new TOTP({ algorithm, digits, period: totpPeriodSeconds, secret: Secret.fromBase32(secretBase32) });
  const delta = totp.validate({ token, timestamp: nowMs, window });
  return delta === null ? null : totp.counter({ timestamp: nowMs }) + delta;
}

/** Whether a code typed is shaped as a TOTP code (six digits); anything else is taken for a recovery code. */
export function looksLikeTotpCode(code: string): boolean {
  return /^\d{6}$/.test(code.replace(/\s+/g, ''));
}

/**
 * Ten new recovery codes: 80 random bits each, base32, shown as four groups of four (`abcd-efgh-ijkl-mnop`).
 * That much entropy makes a plain SHA-256 a safe way to store them (nothing to brute-force), and a lookup by
 * hash leaks no timing about the codes themselves.
 */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: recoveryCodeCount }, () => {
    const raw = new Secret({ size: 10 }).base32.toLowerCase();
    return (raw.match(/.{4}/g) ?? [raw]).join('-');
  });
}

/** The stored form of a recovery code, however it was typed (case, spaces and hyphens do not matter). */
export function recoveryCodeHash(code: string): string {
  return createHash('sha256').update(code.toLowerCase().replace(/[\s-]+/g, '')).digest('hex');
}
