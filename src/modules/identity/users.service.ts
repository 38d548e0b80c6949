import { randomUUID } from 'node:crypto';
import type { Static } from 'typebox';
import { isoStringOf } from '../../core/iso-instant.js';
import type { Principal } from '../../core/principal.js';
import { isUniqueViolation } from '../../db/errors.js';
import { RequestRefusedError, invalidInput, ThrottledError } from '../../core/errors.js';
import type { RequestThrottle } from './request-throttle.js';
import type { LoginThrottle } from './login-throttle.js';
import type { PasswordHasher } from './password-hasher.js';
import type { TokenCodec } from './token-codec.js';
import type { PasswordOwner, PasswordPolicy } from './password-policy.js';
import type { AccountEvent, AccountEvents } from './account-events.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { ClientInfo, SessionsService, TokenPair } from './sessions.service.js';
import type { Transaction } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { RequestContext } from '../../core/request-context.js';
import type { Database } from '../../db/schema.js';
import type { NoticeClient, SecurityNoticeKind } from './account-events.js';
import type { KnownClients } from './known-clients.js';
import { userAgentFamily } from './known-clients.js';
import { passwordFingerprint, type MfaChallenges } from './mfa-challenges.js';
import { toPrincipal, type User, type UsersRepository } from './users.repository.js';
import type { PublicUser, SignUpResponse, UserSummary } from './users.schemas.js';

export const usernameTakenMessage = 'That username is already taken. Please try another one.';
/** The seed's words for a taken email on `POST /api/users`. */
export const emailTakenMessage = 'That email is already taken. Login with that email or register with another one.';
export const emailNotVerifiedMessage = 'Email not verified. Confirm it with the link mailed to you, then log in.';
export const nameTakenMessage = 'That name is already taken. Register with another one.';

/** An /api registration: `name` is the username, shared with the ToDo routes. */
export interface Registration {
  email: string;
  name: string;
  password: string;
}

/** Only the command line sets these at creation; the registration route never does. */
export interface RegistrationFlags {
  isSuperuser?: boolean;
  isVerified?: boolean;
}

export interface UsersServiceDeps {
  users: UsersRepository;
  hasher: PasswordHasher;
  passwordPolicy: PasswordPolicy;
  /** Signs sessionless access tokens (issueAccessToken), for tools; log-ins go through sessions. */
  accessTokens: TokenCodec;
  sessions: SessionsService;
  audit: AuditLog;
  loginThrottle: LoginThrottle;
  /** Sign-ups per client address, both routes together (SIGNUP_MAX_PER_ADDRESS per SIGNUP_WINDOW_SECONDS). */
  signUpThrottle: Pick<RequestThrottle, 'hit'>;
  events: AccountEvents;
  /** Refuse a token to an account whose email is not verified (REQUIRE_VERIFIED_LOGIN). */
  requireVerifiedLogin: boolean;
  /** Where a failing event handler is reported (the app's logger). */
  reportEventError: (error: unknown, event: AccountEvent) => void;
  clock: Clock;
  /** Log-ins of accounts with a second factor wait here for their code (POST /api/auth/mfa). */
  mfaChallenges: MfaChallenges;
  knownClients: KnownClients;
}

/** Where a log-in attempt comes from: the name typed, and the client address used for throttling. */
export interface LoginAttempt {
  identifier: string;
  password: string;
  address: string;
  /** The /api routes accept an email address in place of the username. */
  allowEmail: boolean;
  userAgent?: string | undefined;
  /** The log-in asked for the refresh token in a cookie; remembered when a second factor is asked for. */
  refreshCookie?: boolean;
}

export type LogInCheck = { ok: true; user: User } | { ok: false; reason: 'bad-credentials' | 'not-verified' };
export type LogInOutcome =
  | { ok: true; user: User; pair: TokenPair }
  | { ok: false; reason: 'bad-credentials' | 'not-verified' }
  /** The password was right and the account has TOTP: no session until POST /api/auth/mfa. */
  | { ok: false; reason: 'mfa-required'; mfaToken: string };

export class UsersService {
  constructor(private readonly deps: UsersServiceDeps) {}

  /** Refuses a password that breaks the shared policy with a 422 naming each reason. */
  async assertPasswordAllowed(password: string, owner: PasswordOwner, loc: (string | number)[] = ['body', 'password']): Promise<void> {
    const issues = await this.deps.passwordPolicy.issues(password, owner, loc);
    if (issues.length > 0) throw invalidInput(issues);
  }

  /** The reasons a password breaks the policy, for routes that report them as one 400 reason. */
  passwordProblems(password: string, owner: PasswordOwner): Promise<string[]> {
    return this.deps.passwordPolicy.problems(password, owner);
  }

  /**
   * Creates an account with an email, as FastAPI Users' `create(safe=True)` does: the password policy first, then
   * the email and the name, each unique without regard to case.
   */
  async register(registration: Registration, context: RequestContext | null, flags: RegistrationFlags = {}): Promise<User> {
    const email = registration.email.toLowerCase();
    await this.assertPasswordAllowed(registration.password, { username: registration.name, email }, ['body', 'new_user', 'password']);
    await this.assertRegistrationFree(email, registration.name);
    const hashedPassword = await this.deps.hasher.hash(registration.password);
    let user: User;
    try {
      const row = {
        id: randomUUID(),
        username: registration.name,
        email,
        hashed_password: hashedPassword,
        is_superuser: flags.isSuperuser ?? false,
        is_verified: flags.isVerified ?? false,
      };
      user = await this.insertRecorded(row, { route: 'api', superuser: row.is_superuser }, context);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another registration took the email or the name since the check: say which.
      await this.assertRegistrationFree(email, registration.name);
      throw error;
    }
    await this.emit({ type: 'registered', user });
    return user;
  }

  private async assertRegistrationFree(email: string, name: string): Promise<void> {
    if ((await this.deps.users.findByEmail(email)) !== null) throw new RequestRefusedError(emailTakenMessage);
    if ((await this.deps.users.findByUsername(name)) !== null) throw new RequestRefusedError(nameTakenMessage);
  }

  /**
   * Counts a sign-up from a client address, on either route, before anything is checked or hashed: each costs a
   * password hash, and a flood of them must not slow everyone's log-ins. 429 with Retry-After past the limit.
   */
  assertSignUpAllowed(address: string): Promise<void> {
    return this.deps.signUpThrottle.hit('sign-up', { address });
  }

  async signUp(username: string, password: string, address: string, context: RequestContext | null): Promise<Static<typeof SignUpResponse>> {
    await this.assertSignUpAllowed(address);
    await this.assertPasswordAllowed(password, { username });
    if ((await this.deps.users.findByUsername(username)) !== null) throw new RequestRefusedError(usernameTakenMessage);
    const hashedPassword = await this.deps.hasher.hash(password);
    let user: User;
    try {
      user = await this.insertRecorded({ id: randomUUID(), username, hashed_password: hashedPassword }, { route: 'todo' }, context);
    } catch (error) {
      // Two sign-ups for one name at the same moment: the unique index decides, and the loser hears why.
      if (isUniqueViolation(error)) throw new RequestRefusedError(usernameTakenMessage);
      throw error;
    }
    await this.emit({ type: 'registered', user });
    return { id: user.id, username: user.username };
  }

  /** Creates the account and its 'user.registered' event in one transaction. */
  private insertRecorded(row: Parameters<UsersRepository['insert']>[0], detail: Record<string, unknown>, context: RequestContext | null): Promise<User> {
    return this.deps.users.transaction(async (trx) => {
      const created = await this.deps.users.insert(row, trx);
      await this.deps.audit.record('user.registered', { subjectId: created.id, detail }, context, trx);
      return created;
    });
  }

  emit(event: AccountEvent): Promise<void> {
    return this.deps.events.emit(event, this.deps.reportEventError);
  }

  /**
   * Checks a username (or email) and password. Returns the user only when the password is right; whether the
   * account is active or verified is for the caller to judge. Unknown names cost the same hashing time as known
   * ones, and attempts are throttled per account (whichever of its names was typed) and per address.
   */
  async checkCredentials(attempt: LoginAttempt, context: RequestContext | null): Promise<User | null> {
    const { identifier } = attempt;
    const user =
      attempt.allowEmail && identifier.includes('@')
        ? await this.deps.users.findByEmail(identifier)
        : await this.deps.users.findByUsername(identifier);
    return this.checkPassword(user, attempt, context);
  }

  /** The password check of a log-in, for an account already found (null: none has the name typed). */
  async checkPassword(user: User | null, attempt: Pick<LoginAttempt, 'identifier' | 'password' | 'address'>, context: RequestContext | null): Promise<User | null> {
    const { password, address } = attempt;
    const subject = user === null ? { unknownName: attempt.identifier } : { accountId: user.id };
    // Counted before any hashing, atomically: however many guesses arrive at once, at most the limit are checked.
    const retryAfter = await this.deps.loginThrottle.acquire(subject, address);
    if (retryAfter > 0) {
      await this.deps.audit.record('login.throttled', { subjectId: user?.id ?? null }, context);
      throw new ThrottledError(retryAfter, 'Too many failed log-in attempts. Try again later.');
    }

    if (user === null) {
      await this.deps.hasher.checkAgainstDummy(password);
      await this.deps.audit.record('login.failed', { subjectId: null, detail: { reason: 'unknown-name' } }, context);
      return null;
    }
    const check = await this.deps.hasher.check(password, user.hashedPassword);
    if (!check.valid) {
      await this.deps.audit.record('login.failed', { subjectId: user.id, detail: { reason: 'wrong-password' } }, context);
      return null;
    }
    await this.deps.loginThrottle.succeeded(subject, address);
    if (check.needsRehash) {
      // Upgrading a bcrypt (or weaker argon2) hash does not change the password, so existing tokens stay valid.
      // Only if the hash is still the one checked: a password change in between must not be overwritten.
      const rehashed = await this.deps.hasher.hash(password);
      await this.deps.users.update(user.id, { hashed_password: rehashed }, { ifHashedPassword: user.hashedPassword });
    }
    return user;
  }

  /**
   * A log-in on either route family: the password, then the account's state, then a token. An account that has
   * an email gets no token before it is verified (with REQUIRE_VERIFIED_LOGIN), on every route; ToDo sign-ups
   * have no email and log in on the ToDo route as the seed lets them, while the /api routes, where an account is
   * its email, refuse any unverified account as FastAPI Users does. Told only after the password proved right,
   * so the answer says nothing about which accounts exist.
   */
  async logIn(attempt: LoginAttempt, context: RequestContext | null): Promise<LogInOutcome> {
    const checked = await this.checkLogIn(attempt, context);
    if (!checked.ok) return checked;
    if (checked.user.mfaEnabled) {
      // No token of any kind yet: only an opaque mfa_token, which POST /api/auth/mfa alone accepts.
      const mfaToken = await this.deps.mfaChallenges.issue({
        userId: checked.user.id,
        passwordFingerprint: passwordFingerprint(checked.user.hashedPassword),
        refreshCookie: attempt.refreshCookie === true,
      });
      await this.deps.audit.record('mfa.challenge_issued', { subjectId: checked.user.id }, context);
      return { ok: false, reason: 'mfa-required', mfaToken };
    }
    const pair = await this.startSession(checked.user, { ip: attempt.address, userAgent: attempt.userAgent }, context);
    return { ok: true, user: checked.user, pair };
  }

  /** The first half of a log-in: credentials and the account's state, with no session yet. */
  async checkLogIn(attempt: LoginAttempt, context: RequestContext | null): Promise<LogInCheck> {
    const user = await this.checkCredentials(attempt, context);
    if (user === null) return { ok: false, reason: 'bad-credentials' };
    if (!user.isActive) {
      await this.deps.audit.record('login.failed', { subjectId: user.id, detail: { reason: 'inactive' } }, context);
      return { ok: false, reason: 'bad-credentials' };
    }
    if (this.deps.requireVerifiedLogin && !user.isVerified && (user.email !== null || attempt.allowEmail)) {
      await this.deps.audit.record('login.failed', { subjectId: user.id, detail: { reason: 'not-verified' } }, context);
      return { ok: false, reason: 'not-verified' };
    }
    return { ok: true, user };
  }

  /**
   * The second half: every factor checked, the session starts ('login.succeeded' is written with it; `within`
   * runs in its transaction). A client the account has not logged in from before gets its owner a notice, unless
   * they turned those off; the first log-in an account ever makes only records its client.
   */
  async startSession(
    user: User,
    client: ClientInfo,
    context: RequestContext | null,
    within?: (trx: Transaction<Database>) => Promise<void>,
  ): Promise<TokenPair> {
    const pair = await this.deps.sessions.start(user.id, client, context, within);
    const family = userAgentFamily(client.userAgent);
    if ((await this.deps.knownClients.isUnfamiliar(user.id, family, client.ip)) && user.loginNotices) {
      await this.notify(user, 'new-client', context, { client: { ip: client.ip, userAgent: client.userAgent ?? null, family } });
    }
    await this.emit({ type: 'logged-in', user });
    return pair;
  }

  /**
   * Tells the owner what just happened to their account (a mail, see security-notices.ts): when (the app's
   * clock) and from where (the request's address and user agent, unless given; none outside a request).
   */
  notify(
    user: User,
    notice: SecurityNoticeKind,
    context: RequestContext | null,
    options: { client?: NoticeClient; detail?: { remaining?: number } } = {},
  ): Promise<void> {
    const client = options.client ?? (context === null ? null : { ip: context.ip, userAgent: context.userAgent });
    return this.emit({
      type: 'security-notice',
      user,
      notice,
      at: new Date(this.deps.clock.now()),
      client,
      ...(options.detail === undefined ? {} : { detail: options.detail }),
    });
  }

  /** After a password reset: the owner proved they read the account's mail, so earlier failures are forgotten. */
  clearLoginThrottle(userId: string): Promise<void> {
    return this.deps.loginThrottle.clear(userId);
  }

  /**
   * An access token outside any session (no `sid`): for tools and tests that need a caller without a log-in.
   * It dies with the account's tokens_valid_after like any token, and expires as usual.
   */
  issueAccessToken(user: User): string {
    return this.deps.accessTokens.issue(user.id).token;
  }

  findPrincipal = async (userId: string) => {
    const user = await this.deps.users.findById(userId);
    return user === null ? null : toPrincipal(user);
  };
}

/*
 * Users as the API shows them. Every response carrying a user is built by one of these, typed from its response
 * schema, so a field added to User (a hash, a secret) reaches no answer unless a schema and a mapper name it.
 */

/** A user as they and superusers see it (UserRead): never the password hash or the token state. */
export function toPublicUser(user: User): Static<typeof PublicUser> {
  return {
    id: user.id,
    email: user.email,
    name: user.username,
    is_active: user.isActive,
    is_superuser: user.isSuperuser,
    is_verified: user.isVerified,
    mfa_enabled: user.mfaEnabled,
    login_notices: user.loginNotices,
    created_at: isoStringOf(user.createdAt),
    updated_at: isoStringOf(user.updatedAt),
  };
}

/** The public part of a user, as another user sees it; the email only for the user themself and superusers. */
export function toUserSummary(user: Pick<User, 'id' | 'username' | 'email'>, viewer: Pick<Principal, 'id' | 'isSuperuser'>): Static<typeof UserSummary> {
  const mayReadEmail = viewer.id === user.id || viewer.isSuperuser;
  // Two literals rather than a conditional spread: the feed builds one per item, and spreading costs more.
  return mayReadEmail && user.email !== null ? { id: user.id, name: user.username, email: user.email } : { id: user.id, name: user.username };
}
