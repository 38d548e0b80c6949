import { hkdfSync } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../core/clock.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { Config } from '../../config/config.js';
import type { DatabaseHandle } from '../../infra/database.js';
import type { JobQueue } from '../../infra/queue/jobs.js';
import type { Broadcast, KeyValueStore } from '../../infra/store/key-value-store.js';
import { registerAccountEmails } from './account-emails.js';
import { AccountEvents } from './account-events.js';
import { AccountTokens } from './account-tokens.js';
import { AccountUpdater } from './account-updater.js';
import { AccountsService } from './accounts.service.js';
import { EmailChanges } from './email-change.js';
import { Authenticator } from './authenticator.js';
import { LoginThrottle } from './login-throttle.js';
import { PasswordHasher } from './password-hasher.js';
import { PasswordPolicy } from './password-policy.js';
import { type StrengthEstimator, ThreadedStrengthEstimator } from './password-strength.js';
import { PwnedPasswordsClient } from './pwned-passwords.js';
import { RequestThrottle } from './request-throttle.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';
import { TokenCodec } from './token-codec.js';
import { UsersAdminService } from './users-admin.service.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';
import { KnownClients } from './known-clients.js';
import { KnownClientsRepository } from './known-clients.repository.js';
import { MfaChallenges } from './mfa-challenges.js';
import { SecondFactorRepository } from './second-factor.repository.js';
import { SecondFactorService } from './second-factor.service.js';
import { SecretBox } from './secret-box.js';
import { registerSecurityNotices } from './security-notices.js';

/** The identity module's services, wired once for the app and the command line. */
export interface Identity {
  hasher: PasswordHasher;
  /** Holds a worker thread once used: closeContext closes it. */
  passwordPolicy: PasswordPolicy;
  accessTokens: TokenCodec;
  authenticator: Authenticator;
  accountEvents: AccountEvents;
  users: UsersService;
  usersRepository: UsersRepository;
  accounts: AccountsService;
  usersAdmin: UsersAdminService;
  sessions: SessionsService;
  secondFactor: SecondFactorService;
}

export interface IdentityInfrastructure {
  config: Config;
  secret: string;
  database: DatabaseHandle;
  store: KeyValueStore;
  broadcast: Broadcast;
  jobs: JobQueue;
  log: FastifyBaseLogger;
  clock: Clock;
  audit: AuditLog;
  /** zxcvbn in a worker thread unless given. */
  strengthEstimator?: StrengthEstimator | undefined;
}

/** Builds the identity services from config and starts the authenticator's broadcast subscriptions. */
export async function createIdentity(infrastructure: IdentityInfrastructure): Promise<Identity> {
  const { config, secret, database, store, broadcast, jobs, log, clock, audit } = infrastructure;
  const hasher = new PasswordHasher(
    { memoryCost: config.argon2MemoryKib, timeCost: config.argon2TimeCost, parallelism: config.argon2Parallelism },
    config.argon2MaxConcurrency,
  );
  const passwordPolicy = new PasswordPolicy({
    rules: { minLength: config.passwordMinLength, maxLength: config.passwordMaxLength },
    strength: infrastructure.strengthEstimator ?? new ThreadedStrengthEstimator(log),
    breaches: config.pwnedPasswordsUrl === null ? null : new PwnedPasswordsClient(config.pwnedPasswordsUrl, log),
  });
  const accessTokens = new TokenCodec({
    secret,
    algorithm: config.jwtAlgorithm,
    audience: config.jwtAudience,
    lifetimeSeconds: config.accessTokenExpireSeconds,
  });
  const usersRepository = new UsersRepository(database.db);
  const accountEvents = new AccountEvents();
  const authenticatorRef: { current?: Authenticator } = {};
  const sessions = new SessionsService({
    repository: new SessionsRepository(database.db),
    accessTokens,
    // A key of its own: refresh tokens derive from it, and nothing else signs with it.
    refreshKey: Buffer.from(hkdfSync('sha256', secret, '', 'spruce refresh tokens', 32)),
    options: {
      idleSeconds: config.sessionIdleSeconds,
      maxSeconds: config.sessionMaxSeconds,
      reuseGraceSeconds: config.refreshReuseGraceSeconds,
    },
    clock,
    audit,
    sessionsEnded: async (ids) => authenticatorRef.current?.sessionsEnded(ids),
    log,
  });
  const mfaChallenges = new MfaChallenges(store, clock, {
    lifetimeSeconds: config.mfaTokenTtlSeconds,
    maxTries: config.mfaTokenMaxAttempts,
  });
  const users = new UsersService({
    clock,
    mfaChallenges,
    knownClients: new KnownClients(new KnownClientsRepository(database.db), clock),
    events: accountEvents,
    reportEventError: (error, event) => log.error({ err: error, event: event.type, userId: event.user.id }, 'account event handler failed'),
    users: usersRepository,
    hasher,
    passwordPolicy,
    accessTokens,
    sessions,
    audit,
    requireVerifiedLogin: config.requireVerifiedLogin,
    loginThrottle: new LoginThrottle(store, {
      maxFailuresPerAccount: config.loginMaxFailuresPerAccount,
      maxFailuresPerAddress: config.loginMaxFailuresPerAddress,
      windowSeconds: config.loginFailureWindowSeconds,
    }),
    signUpThrottle: new RequestThrottle(store, {
      maxPerAddress: config.signUpMaxPerAddress,
      windowSeconds: config.signUpWindowSeconds,
      // Like the global rate limit, a flood guard: sign-ups need only the database, so they go on without Redis.
      onStoreUnavailable: (error) => log.warn({ err: error }, 'sign-up throttle unavailable; sign-ups pass unthrottled until the store is back'),
    }),
  });
  const authenticator = new Authenticator(accessTokens, users, store, broadcast, config.authCacheSeconds, log, clock);
  authenticator.useSessions((sessionId) => sessions.liveUntil(sessionId));
  authenticatorRef.current = authenticator;
  await authenticator.start();
  const accountTokens = new AccountTokens({
    secret,
    algorithm: config.jwtAlgorithm,
    verifyLifetimeSeconds: config.verifyTokenExpireSeconds,
    resetLifetimeSeconds: config.resetTokenExpireSeconds,
    emailChangeLifetimeSeconds: config.emailChangeTokenExpireSeconds,
  });
  const secondFactor = new SecondFactorService({
    repository: new SecondFactorRepository(database.db),
    users,
    usersRepository,
    // A key of its own, with a purpose label: TOTP secrets are encrypted with nothing else's key.
    secrets: new SecretBox(secret, 'spruce totp secrets'),
    challenges: mfaChallenges,
    // Counted per account in the shared store; a right code is refunded, so only wrong ones add up.
    codeThrottle: new RequestThrottle(store, { maxPerAccount: config.mfaMaxFailuresPerAccount, windowSeconds: config.loginFailureWindowSeconds }),
    audit,
    clock,
    issuer: config.totpIssuer,
  });
  const updater = new AccountUpdater({ users, repository: usersRepository, hasher, tokens: accountTokens, authenticator, sessions, audit });
  const accounts = new AccountsService({
    users,
    repository: usersRepository,
    tokens: accountTokens,
    authenticator,
    updater,
    sessions,
    audit,
    secondFactor,
    emailChanges: new EmailChanges({
      users,
      repository: usersRepository,
      tokens: accountTokens,
      authenticator,
      sessions,
      audit,
      store,
      throttle: new RequestThrottle(store, {
        maxPerAccount: config.emailChangeMaxPerAccount,
        maxPerEmail: config.emailChangeMaxPerEmail,
        windowSeconds: config.emailChangeWindowSeconds,
      }),
      lifetimeSeconds: config.emailChangeTokenExpireSeconds,
    }),
    // The log-in limits double as the limits of the other guessable or mail-sending account actions.
    throttle: new RequestThrottle(store, {
      maxPerAddress: config.loginMaxFailuresPerAddress,
      maxPerEmail: config.loginMaxFailuresPerAccount,
      windowSeconds: config.loginFailureWindowSeconds,
    }),
  });
  const usersAdmin = new UsersAdminService({ repository: usersRepository, updater, sessions, audit });
  const emailOptions = {
    ...(config.publicUrl === null ? {} : { publicUrl: config.publicUrl }),
    verifyTokenExpireSeconds: config.verifyTokenExpireSeconds,
    resetTokenExpireSeconds: config.resetTokenExpireSeconds,
    emailChangeTokenExpireSeconds: config.emailChangeTokenExpireSeconds,
  };
  registerAccountEmails(accountEvents, jobs, emailOptions);
  registerSecurityNotices(accountEvents, jobs, emailOptions);
  return { hasher, passwordPolicy, accessTokens, authenticator, accountEvents, users, usersRepository, accounts, usersAdmin, sessions, secondFactor };
}
