/**
 * The stored password formats an import keeps as they are: Spruce verifies both and re-hashes with its own
 * argon2id parameters at the account's next log-in.
 */
const bcryptHash = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
/** PHC strings as argon2-cffi writes them (and so passlib's and pwdlib's argon2 hashers). */
const argon2Hash = /^\$argon2(?:id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/;

export function isBcryptHash(stored: string): boolean {
  return bcryptHash.test(stored);
}

export function isArgon2Hash(stored: string): boolean {
  return argon2Hash.test(stored);
}

/** What a skipped record's report says about a hash, without ever printing the hash itself. */
export function describeHash(stored: string): string {
  if (stored.startsWith('$')) return `it is a "${stored.split('$')[1]?.slice(0, 20)}" hash`;
  return 'it looks like plain text';
}
