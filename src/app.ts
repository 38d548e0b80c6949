import { hkdfSync } from 'node:crypto';
import formbody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from './config/config.js';
import { resolveSecret } from './config/secret.js';
import { checkWritableDirectories, databaseUnreachable, isConnectionFailure, StartupError } from './config/startup-errors.js';
import { migrateToLatest } from './db/migrator.js';
import { SchemaState } from './db/schema-state.js';
import { registerConnectionDraining } from './http/connection-draining.js';
import { registerCors } from './http/cors.js';
import { clientErrorResponse, frameworkErrorResponse, registerErrorHandling } from './http/errors.js';
import { registerJsonBody } from './http/json-body.js';
import { registerMetrics } from './http/metrics.js';
import { registerMigrationsGate } from './http/migrations-gate.js';
import { registerRateLimit } from './http/rate-limit.js';
import { registerRequestIdHeader, requestIdOf } from './http/request-id.js';
import { registerOpenApi } from './http/openapi.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { registerValidation } from './http/validation.js';
import { createDatabase, type DatabaseHandle } from './infra/database.js';
import { createMailer } from './infra/mailer/create-mailer.js';
import type { Mailer } from './infra/mailer/mailer.js';
import { createJobQueue } from './infra/queue/create-job-queue.js';
import type { JobQueue } from './infra/queue/jobs.js';
import { createJobRunner } from './infra/queue/run-job.js';
import { createStore } from './infra/store/create-store.js';
import { Metrics } from './infra/metrics.js';
import { StoreUnavailableError, type Broadcast, type KeyValueStore } from './infra/store/key-value-store.js';
import { AccountTokens } from './modules/accounts/account-tokens.js';
import { registerAccountEmails } from './modules/accounts/account-emails.js';
import { AccountUpdater } from './modules/accounts/account-updater.js';
import { EmailChanges } from './modules/accounts/email-change.js';
import { accountsRoutes } from './modules/accounts/accounts.routes.js';
import { AccountsService } from './modules/accounts/accounts.service.js';
import { RequestThrottle } from './modules/accounts/request-throttle.js';
import { usersAdminRoutes } from './modules/accounts/users-admin.routes.js';
import { UsersAdminService } from './modules/accounts/users-admin.service.js';
import { Authenticator } from './modules/auth/authenticator.js';
import { LoginThrottle } from './modules/auth/login-throttle.js';
import { PasswordHasher } from './modules/auth/password-hasher.js';
import { TokenCodec } from './modules/auth/token-codec.js';
import { CleaningsRepository } from './modules/cleanings/cleanings.repository.js';
import { cleaningsRoutes } from './modules/cleanings/cleanings.routes.js';
import { CleaningsService } from './modules/cleanings/cleanings.service.js';
import { EvaluationsRepository } from './modules/evaluations/evaluations.repository.js';
import { evaluationsRoutes } from './modules/evaluations/evaluations.routes.js';
import { EvaluationsService } from './modules/evaluations/evaluations.service.js';
import { FeedRepository } from './modules/feed/feed.repository.js';
import { feedRoutes } from './modules/feed/feed.routes.js';
import { FeedService } from './modules/feed/feed.service.js';
import { emailVerificationRoutes } from './modules/email-verification/email-verification.routes.js';
import { EmailVerificationService } from './modules/email-verification/email-verification.service.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { OffersRepository } from './modules/offers/offers.repository.js';
import { offersRoutes } from './modules/offers/offers.routes.js';
import { OffersService } from './modules/offers/offers.service.js';
import { ProfilesRepository } from './modules/profiles/profiles.repository.js';
import { profilesRoutes } from './modules/profiles/profiles.routes.js';
import { ProfilesService } from './modules/profiles/profiles.service.js';
import { TodosRepository } from './modules/todos/todos.repository.js';
import { todosRoutes } from './modules/todos/todos.routes.js';
import { TodosService } from './modules/todos/todos.service.js';
import { AccountEvents } from './modules/users/account-events.js';
import { UsersRepository } from './modules/users/users.repository.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { UsersService } from './modules/users/users.service.js';
import { wantsHtml, webAppBuilt, webAppPlugin, webAppPrefix } from './modules/web-app/index.js';

/** The infrastructure and services of one app instance, for routes, the CLI and tests. */
export interface AppContext {
  config: Config;
  database: DatabaseHandle;
  store: KeyValueStore;
  broadcast: Broadcast;
  mailer: Mailer;
  jobs: JobQueue;
  metrics: Metrics;
  hasher: PasswordHasher;
  accessTokens: TokenCodec;
  authenticator: Authenticator;
  accountEvents: AccountEvents;
  users: UsersService;
  usersRepository: UsersRepository;
  todos: TodosService;
  cleanings: CleaningsService;
  offers: OffersService;
  evaluations: EvaluationsService;
  profiles: ProfilesService;
  feed: FeedService;
  accounts: AccountsService;
  usersAdmin: UsersAdminService;
  emailVerification: EmailVerificationService;
}

declare module 'fastify' {
  interface FastifyInstance {
    context: AppContext;
  }
}

/**
 * Builds the whole app without listening: the server and every test go through here. Infrastructure is chosen
 * from config (SQLite or PostgreSQL, memory or Redis) and closed when the app closes.
 */
export async function buildApp(config: Config): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    // requestIdOf reads X-Request-Id itself, keeping it only when it looks like an id.
    requestIdHeader: false,
    genReqId: requestIdOf,
    // `/api/users/` is `/api/users`, as FastAPI's redirect_slashes makes it for the seed's clients.
    routerOptions: { ignoreTrailingSlash: true },
    // Answer requests still queued while closing with 503 so a load balancer retries them elsewhere.
    return503OnClosing: true,
    // Errors raised before routing (bad URL encoding, over-long path parameters, unparseable HTTP) answer in
    // the API's `{"detail"}` shape, not Fastify's, and never quote the request back.
    frameworkErrors: frameworkErrorResponse,
    clientErrorHandler: clientErrorResponse,
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerValidation(app);
  registerErrorHandling(app);
  registerJsonBody(app);
  await app.register(formbody);

  const context = await createContext(config, app.log);
  app.decorate('context', context);
  app.decorateRequest('principal', null);
  app.decorateRequest('tokenClaims', null);
  app.addHook('onClose', async () => closeContext(context));

  // Cross-cutting HTTP concerns, registered before any route so their hooks run first on every request.
  registerRequestIdHeader(app);
  registerConnectionDraining(app);
  await registerSecurityHeaders(app);
  await registerCors(app, config.corsOrigins);
  await registerRateLimit(app, config);
  registerMetrics(app, { metrics: context.metrics, enabled: config.metricsEnabled, token: config.metricsToken });

  await registerOpenApi(app, config);

  // Without migrating on start, the schema may be behind the code: /ready and every request say so with a 503.
  const schema = config.migrateOnStart ? null : new SchemaState(context.database.db, config, app.log);
  if (schema !== null) {
    await schema.start();
    app.addHook('onClose', async () => schema.stop());
    registerMigrationsGate(app, schema);
  }

  const serveWebApp = webAppBuilt(config.webAppDir);
  if (serveWebApp) await app.register(webAppPlugin, { prefix: webAppPrefix.slice(0, -1), root: config.webAppDir });
  else app.log.info({ dir: config.webAppDir }, 'web app not built (npm run build:web); serving the API only');
  await app.register(healthRoutes, {
    ...(serveWebApp ? { browserHome: { path: webAppPrefix, wantsHtml } } : {}),
    readiness: [
      { name: 'database', check: () => context.database.ping() },
      { name: 'store', check: () => context.store.ping() },
      ...(schema === null ? [] : [{ name: 'migrations', check: async () => (schema.ready ? true : 'pending') }]),
    ],
  });
  const { authenticator } = context;
  await app.register(usersRoutes, { users: context.users });
  await app.register(emailVerificationRoutes, { emailVerification: context.emailVerification, authenticator });
  await app.register(todosRoutes, { todos: context.todos, authenticator });
  await app.register(accountsRoutes, { prefix: '/api', accounts: context.accounts, authenticator });
  await app.register(usersAdminRoutes, { prefix: '/api', admin: context.usersAdmin, authenticator });
  await app.register(cleaningsRoutes, { prefix: '/api', cleanings: context.cleanings, authenticator });
  await app.register(offersRoutes, { prefix: '/api', offers: context.offers, authenticator });
  await app.register(evaluationsRoutes, { prefix: '/api', evaluations: context.evaluations, authenticator });
  await app.register(profilesRoutes, { prefix: '/api', profiles: context.profiles, authenticator });
  await app.register(feedRoutes, { prefix: '/api', feed: context.feed, authenticator });

  await app.ready();
  return app;
}

/** Also used by the command line, which needs the same services without HTTP. */
export async function createContext(config: Config, log: FastifyBaseLogger): Promise<AppContext> {
  checkWritableDirectories(config);
  const secret = resolveSecret(config);
  const database = createDatabase(config);
  try {
    if (config.migrateOnStart) {
      await migrateToLatest(database.db).catch((error: unknown) => {
        throw isConnectionFailure(error) ? new StartupError(databaseUnreachable(config, error, 'to migrate on start (MIGRATE_ON_START)')) : error;
      });
    }
    const { store, broadcast } = createStore(config, log);
    const mailer = createMailer(config, log);
    const runJob = createJobRunner(mailer);
    const metrics = new Metrics(database);
    const jobs = createJobQueue(
      config,
      async (job) => {
        try {
          await runJob(job);
        } catch (error) {
          metrics.jobsFailed.inc({ job: job.name });
          throw error;
        }
      },
      log,
    );
    metrics.reportJobQueueDepth(() => jobs.counts());
    const hasher = new PasswordHasher(
      { memoryCost: config.argon2MemoryKib, timeCost: config.argon2TimeCost, parallelism: config.argon2Parallelism },
      config.argon2MaxConcurrency,
    );
    const accessTokens = new TokenCodec({
      secret,
      algorithm: config.jwtAlgorithm,
      audience: config.jwtAudience,
      lifetimeSeconds: config.accessTokenExpireSeconds,
    });
    const usersRepository = new UsersRepository(database.db);
    const accountEvents = new AccountEvents();
    const users = new UsersService({
      events: accountEvents,
      reportEventError: (error, event) => log.error({ err: error, event: event.type, userId: event.user.id }, 'account event handler failed'),
      users: usersRepository,
      hasher,
      passwordPolicy: { minLength: config.passwordMinLength, maxLength: config.passwordMaxLength },
      accessTokens,
      requireVerifiedLogin: config.requireVerifiedLogin,
      loginThrottle: new LoginThrottle(store, {
        maxFailuresPerAccount: config.loginMaxFailuresPerAccount,
        maxFailuresPerAddress: config.loginMaxFailuresPerAddress,
        windowSeconds: config.loginFailureWindowSeconds,
      }),
      signUpThrottle: signUpThrottleFailingOpen(
        new RequestThrottle(store, { maxPerAddress: config.signUpMaxPerAddress, windowSeconds: config.signUpWindowSeconds }),
        log,
      ),
    });
    const authenticator = new Authenticator(accessTokens, users, store, broadcast, config.authCacheSeconds, log);
    await authenticator.start();
    const todos = new TodosService(new TodosRepository(database.db));
    const accountTokens = new AccountTokens({
      secret,
      algorithm: config.jwtAlgorithm,
      verifyLifetimeSeconds: config.verifyTokenExpireSeconds,
      resetLifetimeSeconds: config.resetTokenExpireSeconds,
      emailChangeLifetimeSeconds: config.emailChangeTokenExpireSeconds,
    });
    const updater = new AccountUpdater({ users, repository: usersRepository, hasher, tokens: accountTokens, authenticator });
    const accounts = new AccountsService({
      users,
      repository: usersRepository,
      tokens: accountTokens,
      authenticator,
      updater,
      emailChanges: new EmailChanges({
        users,
        repository: usersRepository,
        tokens: accountTokens,
        authenticator,
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
    const usersAdmin = new UsersAdminService(usersRepository, updater);
    registerAccountEmails(accountEvents, jobs, {
      ...(config.publicUrl === null ? {} : { publicUrl: config.publicUrl }),
      verifyTokenExpireSeconds: config.verifyTokenExpireSeconds,
      resetTokenExpireSeconds: config.resetTokenExpireSeconds,
      emailChangeTokenExpireSeconds: config.emailChangeTokenExpireSeconds,
    });
    const emailVerification = new EmailVerificationService({
      store,
      users: usersRepository,
      jobs,
      // A key of its own, so the code hashes and the token signatures never share one.
      otpKey: Buffer.from(hkdfSync('sha256', secret, '', 'spruce email one-time codes', 32)),
      options: {
        ttlSeconds: config.otpTtlSeconds,
        resendSeconds: config.otpResendSeconds,
        dailyLimit: config.otpDailyLimit,
        maxAttempts: config.otpMaxAttempts,
      },
      accountChanged: (userId) => authenticator.accountChanged(userId),
      log,
    });
    const marketplace = createMarketplace(database, usersRepository, accountEvents);
    return { config, database, store, broadcast, mailer, jobs, metrics, hasher, accessTokens, authenticator, accountEvents, users, usersRepository, todos, accounts, usersAdmin, emailVerification, ...marketplace };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** The cleaning-jobs marketplace: its services, and the profile every new account gets. */
function createMarketplace(database: DatabaseHandle, usersRepository: UsersRepository, accountEvents: AccountEvents) {
  const cleaningsRepository = new CleaningsRepository(database.db);
  const offersRepository = new OffersRepository(database.db);
  const profiles = new ProfilesService(new ProfilesRepository(database.db), usersRepository);
  accountEvents.on('registered', ({ user }) => profiles.createFor(user.id));
  return {
    cleanings: new CleaningsService(cleaningsRepository, usersRepository),
    offers: new OffersService({ offers: offersRepository, cleanings: cleaningsRepository, users: usersRepository }),
    evaluations: new EvaluationsService({
      evaluations: new EvaluationsRepository(database.db),
      offers: offersRepository,
      cleanings: cleaningsRepository,
      users: usersRepository,
    }),
    profiles,
    feed: new FeedService(new FeedRepository(database.db), usersRepository),
  };
}

export async function closeContext(context: AppContext): Promise<void> {
  await context.authenticator.stop();
  // Jobs first: a job still running may need the mailer, and queued ones are handed back before Redis closes.
  await context.jobs.close();
  await context.mailer.close();
  await context.broadcast.close();
  await context.store.close();
  await context.database.close();
}

/**
 * The sign-up throttle guards against floods of password hashes, not against guessing, so with the shared store
 * down it lets sign-ups through (logged) rather than closing registration: the service keeps working without Redis,
 * as the log-in throttle, which guards passwords, does not.
 */
function signUpThrottleFailingOpen(throttle: RequestThrottle, log: FastifyBaseLogger): Pick<RequestThrottle, 'hit'> {
  return {
    hit: async (action, who) => {
      try {
        await throttle.hit(action, who);
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
        log.warn({ action }, 'sign-up throttle unavailable: the shared store does not answer; sign-up allowed');
      }
    },
  };
}
