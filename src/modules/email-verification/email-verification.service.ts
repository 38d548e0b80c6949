import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Static } from 'typebox';
import { isUniqueViolation } from '../../db/errors.js';
import { RequestRefusedError, NotFoundError, ConflictError, ThrottledError, DomainError } from '../../core/errors.js';
import type { RequestContext } from '../../core/request-context.js';
import type { Logger } from '../../infra/logger.js';
import type { JobQueue } from '../../infra/queue/jobs.js';
import type { KeyValueStore } from '../../infra/store/key-value-store.js';
import type { AuditLog } from '../audit/index.js';
import type { User, UsersRepository } from '../identity/index.js';
import { addressInUseEmail, codeEmail, verifiedEmail } from './verification-emails.js';
import type { RequestCodeResponse, VerifiedUser } from './email-verification.schemas.js';

export const hasEmailMessage =
  'This account already has an email address. Change it with PATCH /api/users/me and your current password.';
export const emailInUseMessage = 'That email is already in use by another account.';

export interface EmailVerificationOptions {
  ttlSeconds: number;
  /** Minimum time between two codes for one user; 0 turns the cooldown off. */
  resendSeconds: number;
  /** Codes per address per 24 hours, whoever asks. */
  dailyLimit: number;
  /** Tries per code, right or wrong; past it the code is dead. */
  maxAttempts: number;
}

export interface EmailVerificationDeps {
  store: KeyValueStore;
  users: UsersRepository;
  /** 'user.verified' is written in the transaction that saves the address. */
  audit: Pick<AuditLog, 'record'>;
  jobs: JobQueue;
  /** Derived from the app secret and used for nothing else: a leaked store holds no guessable codes. */
  otpKey: Buffer;
  options: EmailVerificationOptions;
  /** Tells every process the account changed (Authenticator.accountChanged). */
  accountChanged: (userId: string) => Promise<void>;
  log: Pick<Logger, 'warn'>;
}

const dayInSeconds = 24 * 60 * 60;

function badRequest(): DomainError {
  // One answer for a wrong, expired, used or dead code: nothing tells a guesser which.
  return new RequestRefusedError('Bad Request');
}

/**
 * Proves that a logged-in user can read mail at an address: a 6-digit code is emailed, and the address is saved
 * on the account when the code comes back. The store keeps only a keyed hash of the code, bound to the user
 * and the address, under a key that expires; each code has a few tries and works once.
 */
export class EmailVerificationService {
  constructor(private readonly deps: EmailVerificationDeps) {}

  /**
   * Emails a code to the address. The answer never tells whether another account holds the address: the limits
   * come first, the answer is the same, and that address is mailed a notice instead of a code (a decoy takes the
   * code's place, so verifying then fails like any wrong code).
   */
  async requestCode(userId: string, address: string): Promise<Static<typeof RequestCodeResponse>> {
    const { store, options } = this.deps;
    const email = address.toLowerCase();
    await this.assertNoOtherEmail(userId, email);

    if (options.resendSeconds > 0) {
      const cooldownKey = `email-otp:cooldown:${userId}`;
      if (!(await store.setIfAbsent(cooldownKey, '1', options.resendSeconds))) {
        const wait = (await store.ttl(cooldownKey)) ?? options.resendSeconds;
        throw new ThrottledError(wait, 'A code was sent a moment ago. Wait before asking for another one.');
      }
    }
    // Counts notices too, so nobody can flood an address with them either.
    const dailyKey = `email-otp:daily:${this.addressTag(email)}`;
    if ((await store.increment(dailyKey, dayInSeconds)) > options.dailyLimit) {
      const wait = (await store.ttl(dailyKey)) ?? dayInSeconds;
      throw new ThrottledError(wait, 'Too many codes were sent to this address today. Try again later.');
    }

    // The nonce names this code's attempt counter, so a new code starts with all its tries.
    const nonce = randomBytes(9).toString('base64url');
    const holder = await this.deps.users.findByEmail(email);
    if (holder !== null && holder.id !== userId) {
      // The email column is unique, so the address cannot be taken; its owner hears that someone tried.
      await store.set(this.codeKey(userId), `${nonce}.${randomBytes(32).toString('base64url')}`, options.ttlSeconds);
      await this.deps.jobs.enqueue({ name: 'send-email', data: addressInUseEmail(email) });
      return { email, expires_in: options.ttlSeconds };
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await store.set(this.codeKey(userId), `${nonce}.${this.mac(userId, email, code).toString('base64url')}`, options.ttlSeconds);
    await this.deps.jobs.enqueue({ name: 'send-email', data: codeEmail(email, code, options.ttlSeconds) });
    return { email, expires_in: options.ttlSeconds };
  }

  async verify(userId: string, address: string, otp: number | string, context: RequestContext | null): Promise<Static<typeof VerifiedUser>> {
    const { store, options } = this.deps;
    const email = address.toLowerCase();
    const code = typeof otp === 'number' ? String(otp).padStart(6, '0') : otp;
    const codeKey = this.codeKey(userId);

    const stored = await store.get(codeKey);
    const separator = stored?.indexOf('.') ?? -1;
    if (stored === null || separator < 0) throw badRequest();
    const nonce = stored.slice(0, separator);
    const expected = Buffer.from(stored.slice(separator + 1), 'base64url');

    // Counted before comparing, so concurrent guesses cannot exceed the limit between a read and a write.
    const attempts = await store.increment(`email-otp:attempts:${userId}:${nonce}`, options.ttlSeconds);
    if (attempts > options.maxAttempts) {
      await store.deleteIfEquals(codeKey, stored);
      throw badRequest();
    }
    const actual = this.mac(userId, email, code);
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      if (attempts >= options.maxAttempts) await store.deleteIfEquals(codeKey, stored);
      throw badRequest();
    }

    // Only if another account took the address after the code was sent: whoever reads its mail may know.
    await this.assertAddressFree(userId, email);
    await this.assertNoOtherEmail(userId, email);
    // Consuming is atomic: of two requests with the same right code, only one deletes it.
    if (!(await store.deleteIfEquals(codeKey, stored))) throw badRequest();

    let user: User | null;
    try {
      user = await this.deps.users.transaction(async (trx) => {
        const saved = await this.deps.users.update(userId, { email, is_verified: true }, { trx });
        if (saved !== null) await this.deps.audit.record('user.verified', { subjectId: userId, detail: { via: 'email-code' } }, context, trx);
        return saved;
      });
    } catch (error) {
      // Another account verified the address between the check above and this write.
      if (isUniqueViolation(error)) throw new ConflictError(emailInUseMessage);
      throw error;
    }
    if (user === null) throw new NotFoundError('User Not Found');
    const { username } = user;

    // The address is saved; failures from here on are logged rather than turned into an error response.
    await this.afterCommit('account change broadcast', () => this.deps.accountChanged(userId));
    await this.afterCommit('confirmation email', () =>
      this.deps.jobs.enqueue({ name: 'send-email', data: verifiedEmail(email, username) }),
    );
    return { id: user.id, username };
  }

  /**
   * A code adds an email to an account that has none (or proves the one it has); it never replaces one. That
   * needs the current password and a confirmation from the new address (PATCH /api/users/me), or a stolen access
   * token would be enough to take the account over through a password reset.
   */
  private async assertNoOtherEmail(userId: string, email: string): Promise<void> {
    const user = await this.deps.users.findById(userId);
    if (user !== null && user.email !== null && user.email !== email) throw new ConflictError(hasEmailMessage);
  }

  private async assertAddressFree(userId: string, email: string): Promise<void> {
    // The email column is unique, so an address held by another account (verified or not) cannot be taken.
    const holder = await this.deps.users.findByEmail(email);
    if (holder !== null && holder.id !== userId) throw new ConflictError(emailInUseMessage);
  }

  private async afterCommit(what: string, step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.deps.log.warn({ err: error, step: what }, 'email verification follow-up failed');
    }
  }

  private codeKey(userId: string): string {
    return `email-otp:code:${userId}`;
  }

  private mac(userId: string, email: string, code: string): Buffer {
    return createHmac('sha256', this.deps.otpKey).update(`code\n${userId}\n${email}\n${code}`).digest();
  }

  /** Addresses do not appear in store keys in the clear. */
  private addressTag(email: string): string {
    return createHmac('sha256', this.deps.otpKey).update(`address\n${email}`).digest('base64url');
  }
}
