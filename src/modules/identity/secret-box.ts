import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const version = 'v1';
const nonceBytes = 12;
const tagBytes = 16;

/**
 * Encrypts small secrets for storage (TOTP secrets) with AES-256-GCM. The key is derived from SECRET_KEY with
 * HKDF-SHA256 under a purpose label of its own, so it is used for nothing else; every encryption takes a fresh
 * random nonce. `context` (the account id) is bound as additional data: a ciphertext copied onto another account
 * does not decrypt there. Stored as `v1.<base64url nonce|ciphertext|tag>`, so the format can change later.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: string, purpose: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, '', purpose, 32));
  }

  seal(plaintext: string, context: string): string {
    const nonce = randomBytes(nonceBytes);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${version}.${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /** The plaintext, or null when the value was not sealed by this key for this context (or was tampered with). */
  open(sealed: string, context: string): string | null {
    const [prefix, payload] = sealed.split('.', 2);
    if (prefix !== version || payload === undefined) return null;
    const raw = Buffer.from(payload, 'base64url');
    if (raw.length < nonceBytes + tagBytes) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, nonceBytes));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(raw.subarray(raw.length - tagBytes));
      return Buffer.concat([decipher.update(raw.subarray(nonceBytes, raw.length - tagBytes)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}
