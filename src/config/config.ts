import os from 'node:os';
import path from 'node:path';

/**
 * Every setting Spruce reads, parsed and checked once at start. Each entry documents its variable and default;
 * `.env.example` lists the same. A bad value stops the start with one message per problem rather than failing
 * later in the middle of a request.
 */
export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** auto: readable one-line-per-request logs in development on a terminal, JSON otherwise. */
  logFormat: 'auto' | 'pretty' | 'json';
  dataDir: string;

  /** postgres://… for PostgreSQL, mysql://… (or mariadb://…) for MySQL/MariaDB; otherwise SQLite at `sqlitePath`. */
  databaseUrl: string | null;
  sqlitePath: string;
  databasePoolSize: number;
  /** Use named prepared statements on PostgreSQL (turn off behind a transaction-pooling PgBouncer). */
  databasePreparedStatements: boolean;
  /** Run pending migrations when the API starts; default on for SQLite, off for PostgreSQL and MySQL. */
  migrateOnStart: boolean;

  /** HMAC secret for tokens. In development a random one is generated and kept under dataDir. */
  secretKey: string | null;
  jwtAlgorithm: 'HS256' | 'HS384' | 'HS512';
  jwtAudience: string;
  accessTokenExpireSeconds: number;
  verifyTokenExpireSeconds: number;
  resetTokenExpireSeconds: number;
  emailChangeTokenExpireSeconds: number;
  /** How long a process may trust its local copy of account state and token revocation between broadcasts. */
  authCacheSeconds: number;
  /** A session ends after this long without a refresh. */
  sessionIdleSeconds: number;
  /** A session ends this long after its log-in, however active. */
  sessionMaxSeconds: number;
  /** A spent refresh token presented again within this answers the same pair (tabs refreshing at once). */
  refreshReuseGraceSeconds: number;
  auditRetentionDays: number;
  /** How often expired sessions and old audit events are pruned. */
  pruneIntervalSeconds: number;

  passwordMinLength: number;
  passwordMaxLength: number;
  argon2MemoryKib: number;
  argon2TimeCost: number;
  argon2Parallelism: number;
  /** Hashes running at once; the rest queue. Lower it to keep request latency steady during log-in floods. */
  argon2MaxConcurrency: number;
  /** Have I Been Pwned's range API (e.g. https://api.pwnedpasswords.com); null: new passwords are not looked up. */
  pwnedPasswordsUrl: string | null;

  loginMaxFailuresPerAccount: number;
  loginMaxFailuresPerAddress: number;
  loginFailureWindowSeconds: number;
  requireVerifiedLogin: boolean;
  /** Sign-ups per client address per window, on both sign-up routes together. */
  signUpMaxPerAddress: number;
  signUpWindowSeconds: number;
  /** Email-change requests per account and per new address per window: each one mails both addresses. */
  emailChangeMaxPerAccount: number;
  emailChangeMaxPerEmail: number;
  emailChangeWindowSeconds: number;
  /** The service name authenticator apps show beside the account (the otpauth:// URI's issuer). */
  totpIssuer: string;
  /** Wrong second-factor codes per account per LOGIN_FAILURE_WINDOW_SECONDS, on every route that takes one. */
  mfaMaxFailuresPerAccount: number;
  /** How long the mfa_token of a log-in that stopped at the second factor lives. */
  mfaTokenTtlSeconds: number;
  /** Codes one mfa_token allows; the next try finds it dead. */
  mfaTokenMaxAttempts: number;

  redisUrl: string | null;
  redisKeyPrefix: string;
  smtpUrl: string | null;
  mailFrom: string;
  outboxDir: string;
  /** Without SMTP_URL, write emails to outboxDir. Production refuses to start without SMTP unless this is set. */
  mailToOutbox: boolean;
  runWorkerInApi: boolean;
  /** Wait before a failed job's second try, doubled before each later one; null: 1 s in process, 10 s on BullMQ. */
  jobBackoffMs: number | null;

  otpTtlSeconds: number;
  otpResendSeconds: number;
  otpDailyLimit: number;
  otpMaxAttempts: number;

  corsOrigins: string[];
  /** The `servers` of the OpenAPI document; empty: this server, by whatever host it is reached. */
  openApiServers: string[];
  trustProxy: boolean | string;
  /** Serve GET /metrics; in production only ever together with metricsToken. */
  metricsEnabled: boolean;
  metricsToken: string | null;
  rateLimitMax: number;
  rateLimitWindowSeconds: number;

  /** The built web app (`npm run build:web`), served under /app/ when its index.html exists. */
  webAppDir: string;
  /**
   * Where people open the web app, e.g. `https://spruce.example/app`; account emails link there. Default: this
   * server's own /app/ (null when PORT=0, since the port is not known yet: mails then carry the bare token).
   */
  publicUrl: string | null;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Record<string, string | undefined>;

class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optionalString(name: string): string | null {
    return this.raw(name) ?? null;
  }

  int(name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
      return fallback;
    }
    return parsed;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    this.problems.push(`${name} must be true or false, got "${value}"`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
    return fallback;
  }

  url(name: string, protocols: readonly string[]): string | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) {
        this.problems.push(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
        return null;
      }
      return value;
    } catch {
      this.problems.push(`${name} is not a valid URL`);
      return null;
    }
  }
}

/**
 * Hashes running at once by default: every core but one, and at least one. Password hashing is CPU work on
 * libuv's threads; leaving one core to the event loop keeps every other request fast while log-ins run flat
 * out (on two cores, two busy hashing threads pushed GET /todos p99 past 50 ms; see docs/benchmarks.md).
 */
export function defaultHashingConcurrency(cores = os.availableParallelism()): number {
  return Math.max(1, cores - 1);
}

/** This server's own /app/, as a browser on the same machine reaches it. */
function defaultPublicUrl(host: string, port: number): string | null {
  if (port === 0) return null;
  const reachable = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${reachable}:${port}/app`;
}

/** OPENAPI_SERVERS: comma-separated http(s) URLs or absolute paths, such as `https://api.example.com,/`. */
function readServerUrls(read: EnvReader): string[] {
  const urls = (read.raw('OPENAPI_SERVERS') ?? '').split(',').map((url) => url.trim()).filter((url) => url !== '');
  for (const url of urls) {
    const isPath = url.startsWith('/') && !url.startsWith('//');
    let isHttp = false;
    try {
      isHttp = ['http:', 'https:'].includes(new URL(url).protocol);
    } catch {
      isHttp = false;
    }
    if (!isPath && !isHttp) read.problems.push(`OPENAPI_SERVERS: ${url} is neither an http(s) URL nor a path starting with /`);
  }
  return urls;
}

export function loadConfig(env: Env = process.env): Config {
  const read = new EnvReader(env);
  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'test', 'production'] as const, 'development');
  const dataDir = path.resolve(read.string('DATA_DIR', './data'));

  const databaseUrl = read.url('DATABASE_URL', ['postgres:', 'postgresql:', 'mysql:', 'mariadb:']);
  const secretKey = read.optionalString('SECRET_KEY');
  if (secretKey !== null && secretKey.length < 32) {
    read.problems.push('SECRET_KEY must be at least 32 characters (try: openssl rand -hex 32)');
  }
  if (nodeEnv === 'production' && secretKey === null) {
    read.problems.push('SECRET_KEY is required when NODE_ENV=production (try: openssl rand -hex 32)');
  }

  const passwordMinLength = read.int('PASSWORD_MIN_LENGTH', 10, 8, 128);
  const passwordMaxLength = read.int('PASSWORD_MAX_LENGTH', 64, 8, 1024);
  if (passwordMinLength > passwordMaxLength) {
    read.problems.push('PASSWORD_MIN_LENGTH must not be greater than PASSWORD_MAX_LENGTH');
  }

  // Password resets and verification links are emails: in production, writing them to a folder nobody reads
  // would fail silently, so that takes an explicit choice.
  const smtpUrl = read.url('SMTP_URL', ['smtp:', 'smtps:']);
  const mailToOutbox = read.bool('MAIL_TO_OUTBOX', nodeEnv !== 'production');
  if (smtpUrl === null && !mailToOutbox && read.raw('SMTP_URL') === undefined) {
    read.problems.push(
      'SMTP_URL is required when MAIL_TO_OUTBOX=false, its default with NODE_ENV=production (set MAIL_TO_OUTBOX=true to write emails to OUTBOX_DIR)',
    );
  }

  // /metrics names every route and its traffic and costs a rendering per scrape: production serves it only to
  // a scraper holding METRICS_TOKEN (one listener, reachable by a Prometheus on another host or container).
  const metricsToken = read.optionalString('METRICS_TOKEN');
  if (metricsToken !== null && metricsToken.length < 16) {
    read.problems.push('METRICS_TOKEN must be at least 16 characters (try: openssl rand -hex 32)');
  }
  const metricsEnabled = read.bool('METRICS_ENABLED', nodeEnv !== 'production' || metricsToken !== null);
  if (nodeEnv === 'production' && metricsEnabled && metricsToken === null) {
    read.problems.push('METRICS_TOKEN is required for METRICS_ENABLED=true when NODE_ENV=production');
  }

  const trustProxyRaw = read.raw('TRUST_PROXY');
  let trustProxy: boolean | string = false;
  if (trustProxyRaw !== undefined) {
    const lowered = trustProxyRaw.toLowerCase();
    if (['true', '1', 'yes'].includes(lowered)) trustProxy = true;
    else if (['false', '0', 'no'].includes(lowered)) trustProxy = false;
    else trustProxy = trustProxyRaw; // comma-separated addresses or CIDR ranges of the trusted proxies
  }

  const config: Config = {
    env: nodeEnv,
    host: read.string('HOST', '127.0.0.1'),
    port: read.int('PORT', 8000, 0, 65535),
    logLevel: read.oneOf(
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      nodeEnv === 'test' ? 'silent' : 'info',
    ),
    logFormat: read.oneOf('LOG_FORMAT', ['auto', 'pretty', 'json'] as const, 'auto'),
    dataDir,

    databaseUrl,
    sqlitePath: path.resolve(read.string('SQLITE_PATH', path.join(dataDir, 'spruce.db'))),
    databasePoolSize: read.int('DATABASE_POOL_SIZE', 10, 1, 1000),
    databasePreparedStatements: read.bool('DATABASE_PREPARED_STATEMENTS', true),
    migrateOnStart: read.bool('MIGRATE_ON_START', databaseUrl === null),

    secretKey,
    jwtAlgorithm: read.oneOf('JWT_ALGORITHM', ['HS256', 'HS384', 'HS512'] as const, 'HS256'),
    jwtAudience: read.string('JWT_AUDIENCE', 'spruce:auth'),
    accessTokenExpireSeconds: read.int('ACCESS_TOKEN_EXPIRE_SECONDS', 900, 10, 60 * 60 * 24 * 30),
    verifyTokenExpireSeconds: read.int('VERIFY_TOKEN_EXPIRE_SECONDS', 60 * 60 * 24, 60, 60 * 60 * 24 * 30),
    resetTokenExpireSeconds: read.int('RESET_TOKEN_EXPIRE_SECONDS', 60 * 60, 60, 60 * 60 * 24),
    emailChangeTokenExpireSeconds: read.int('EMAIL_CHANGE_TOKEN_EXPIRE_SECONDS', 60 * 60, 60, 60 * 60 * 24),
    authCacheSeconds: read.int('AUTH_CACHE_SECONDS', 30, 0, 3600),
    sessionIdleSeconds: read.int('SESSION_IDLE_SECONDS', 14 * 24 * 60 * 60, 60, 60 * 60 * 24 * 365),
    sessionMaxSeconds: read.int('SESSION_MAX_SECONDS', 90 * 24 * 60 * 60, 60, 60 * 60 * 24 * 365 * 2),
    refreshReuseGraceSeconds: read.int('REFRESH_REUSE_GRACE_SECONDS', 10, 0, 300),
    auditRetentionDays: read.int('AUDIT_RETENTION_DAYS', 365, 1, 365 * 20),
    pruneIntervalSeconds: read.int('PRUNE_INTERVAL_SECONDS', 60 * 60, 10, 60 * 60 * 24 * 7),

    passwordMinLength,
    passwordMaxLength,
    argon2MemoryKib: read.int('ARGON2_MEMORY_KIB', 19456, 1024, 4 * 1024 * 1024),
    argon2TimeCost: read.int('ARGON2_TIME_COST', 2, 1, 100),
    argon2Parallelism: read.int('ARGON2_PARALLELISM', 1, 1, 16),
    argon2MaxConcurrency: read.int('ARGON2_MAX_CONCURRENCY', defaultHashingConcurrency(), 1, 256),
    pwnedPasswordsUrl: read.url('PWNED_PASSWORDS_URL', ['http:', 'https:']),

    loginMaxFailuresPerAccount: read.int('LOGIN_MAX_FAILURES_PER_ACCOUNT', 10, 1, 100000),
    loginMaxFailuresPerAddress: read.int('LOGIN_MAX_FAILURES_PER_ADDRESS', 100, 1, 1000000),
    loginFailureWindowSeconds: read.int('LOGIN_FAILURE_WINDOW_SECONDS', 15 * 60, 1, 60 * 60 * 24),
    requireVerifiedLogin: read.bool('REQUIRE_VERIFIED_LOGIN', true),
    signUpMaxPerAddress: read.int('SIGNUP_MAX_PER_ADDRESS', 20, 1, 10_000_000),
    signUpWindowSeconds: read.int('SIGNUP_WINDOW_SECONDS', 60 * 60, 1, 60 * 60 * 24),
    emailChangeMaxPerAccount: read.int('EMAIL_CHANGE_MAX_PER_ACCOUNT', 3, 1, 100_000),
    emailChangeMaxPerEmail: read.int('EMAIL_CHANGE_MAX_PER_EMAIL', 3, 1, 100_000),
    emailChangeWindowSeconds: read.int('EMAIL_CHANGE_WINDOW_SECONDS', 60 * 60, 1, 60 * 60 * 24 * 7),
    totpIssuer: read.string('TOTP_ISSUER', 'Spruce'),
    mfaMaxFailuresPerAccount: read.int('MFA_MAX_FAILURES_PER_ACCOUNT', 10, 1, 100_000),
    mfaTokenTtlSeconds: read.int('MFA_TOKEN_TTL_SECONDS', 5 * 60, 30, 60 * 60),
    mfaTokenMaxAttempts: read.int('MFA_TOKEN_MAX_ATTEMPTS', 5, 1, 100),

    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:']),
    redisKeyPrefix: read.string('REDIS_KEY_PREFIX', 'spruce:'),
    smtpUrl,
    mailFrom: read.string('MAIL_FROM', 'Spruce <no-reply@spruce.localhost>'),
    outboxDir: path.resolve(read.string('OUTBOX_DIR', path.join(dataDir, 'outbox'))),
    mailToOutbox,
    runWorkerInApi: read.bool('RUN_WORKER_IN_API', true),
    jobBackoffMs: read.raw('JOB_BACKOFF_MS') === undefined ? null : read.int('JOB_BACKOFF_MS', 1000, 1, 60 * 60 * 1000),

    otpTtlSeconds: read.int('OTP_TTL_SECONDS', 180, 1, 60 * 60),
    otpResendSeconds: read.int('OTP_RESEND_SECONDS', 60, 0, 60 * 60),
    otpDailyLimit: read.int('OTP_DAILY_LIMIT', 10, 1, 10000),
    otpMaxAttempts: read.int('OTP_MAX_ATTEMPTS', 5, 1, 100),

    corsOrigins: (read.raw('CORS_ORIGINS') ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
    trustProxy,
    metricsEnabled,
    metricsToken,
    openApiServers: readServerUrls(read),
    rateLimitMax: read.int('RATE_LIMIT_MAX', 1000, 1, 10_000_000),
    rateLimitWindowSeconds: read.int('RATE_LIMIT_WINDOW_SECONDS', 60, 1, 60 * 60 * 24),

    webAppDir: path.resolve(read.string('WEB_APP_DIR', 'web/dist')),
    publicUrl: null,
  };
  config.publicUrl = read.url('PUBLIC_URL', ['http:', 'https:']) ?? defaultPublicUrl(config.host, config.port);

  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
