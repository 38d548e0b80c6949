import { hkdfSync } from 'node:crypto';
import formbody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from './config/config.js';
import { resolveSecret } from './config/secret.js';
import { systemClock, type Clock } from './core/clock.js';
import { checkWritableDirectories, databaseUnreachable, isConnectionFailure, StartupError } from './config/startup-errors.js';
import { migrateToLatest } from './db/migrator.js';
import { SchemaState } from './db/schema-state.js';
import { registerConnectionDraining } from './http/connection-draining.js';
import { registerCors } from './http/cors.js';
import { registerDocsUi } from './http/docs-ui.js';
import { clientErrorResponse, frameworkErrorResponse, registerErrorHandling } from './http/errors.js';
import { registerJsonBody } from './http/json-body.js';
import { loggerOptions } from './http/logging.js';
import { registerMetrics } from './http/metrics.js';
import { registerMigrationsGate } from './http/migrations-gate.js';
import { registerRateLimit } from './http/rate-limit.js';
import { registerRequestIdHeader, requestIdOf } from './http/request-id.js';
import { registerOpenApi } from './http/openapi.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { registerValidation, serializers } from './http/validation.js';
import { createDatabase, type DatabaseHandle } from './infra/database.js';
import { createMailer } from './infra/mailer/create-mailer.js';
import type { Mailer } from './infra/mailer/mailer.js';
import { createJobQueue } from './infra/queue/create-job-queue.js';
import type { JobQueue } from './infra/queue/jobs.js';
import { createJobRunner } from './infra/queue/run-job.js';
import { createStore } from './infra/store/create-store.js';
import { Metrics } from './infra/metrics.js';
import type { Broadcast, KeyValueStore } from './infra/store/key-value-store.js';
import { AuditLog, AuditRepository, auditRoutes } from './modules/audit/index.js';
import {
  accountsRoutes,
  createIdentity,
  type Identity,
  pruneExpired,
  secondFactorRoutes,
  sessionsRoutes,
  type StrengthEstimator,
  usersAdminRoutes,
  usersRoutes,
} from './modules/identity/index.js';
import { wantsHtml, webAppBuilt, webAppPlugin, webAppPrefix } from './modules/web-app/index.js';
import { CleaningsRepository } from './modules/cleanings/cleanings.repository.js';
import { cleaningsRoutes } from './modules/cleanings/cleanings.routes.js';
import { CleaningsService } from './modules/cleanings/cleanings.service.js';
import { EvaluationsRepository } from './modules/evaluations/evaluations.repository.js';
import { evaluationsRoutes } from './modules/evaluations/evaluations.routes.js';
import { EvaluationsService } from './modules/evaluations/evaluations.service.js';
import { FeedRepository } from './modules/feed/feed.repository.js';
import { feedRoutes } from './modules/feed/feed.routes.js';
import { FeedService } from './modules/feed/feed.service.js';
import { registerDevOutbox } from './modules/dev-outbox/dev-outbox.js';
import { emailVerificationRoutes } from './modules/email-verification/email-verification.routes.js';
import { EmailVerificationService } from './modules/email-verification/email-verification.service.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { ServiceStatus, serviceStatusRoutes } from './modules/service-status/index.js';
import { OffersRepository } from './modules/offers/offers.repository.js';
import { offersRoutes } from './modules/offers/offers.routes.js';
import { OffersService } from './modules/offers/offers.service.js';
import { ProfilesRepository } from './modules/profiles/profiles.repository.js';
import { profilesRoutes } from './modules/profiles/profiles.routes.js';
import { ProfilesService } from './modules/profiles/profiles.service.js';
import { TodosRepository } from './modules/todos/todos.repository.js';
import { todosRoutes } from './modules/todos/todos.routes.js';
import { TodosService } from './modules/todos/todos.service.js';

/** The infrastructure and services of one app instance, for routes, the CLI and tests. */
export interface AppContext extends Identity {
  config: Config;
  clock: Clock;
  audit: AuditLog;
  database: DatabaseHandle;
  store: KeyValueStore;
  broadcast: Broadcast;
  mailer: Mailer;
  jobs: JobQueue;
  metrics: Metrics;
  todos: TodosService;
  cleanings: CleaningsService;
  offers: OffersService;
  evaluations: EvaluationsService;
  profiles: ProfilesService;
  feed: FeedService;
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
export interface BuildOptions {
  /** Where services read the time; tests pass a clock they move. */
  clock?: Clock;
  /** Judges new passwords (zxcvbn in a worker thread by default); tests pass one that fails on demand. */
  strengthEstimator?: StrengthEstimator;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...loggerOptions(config),
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
    schemaController: serializers(config.env === 'test'),
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerValidation(app);
  registerErrorHandling(app);
  registerJsonBody(app);
  await app.register(formbody);

  const context = await createContext(config, app.log, options);
  app.decorate('context', context);
  app.decorateRequest('principal', null);
  app.decorateRequest('tokenClaims', null);
  app.addHook('onClose', async () => closeContext(context));

  // Cross-cutting HTTP concerns, registered before any route so their hooks run first on every request.
  registerRequestIdHeader(app);
  registerConnectionDraining(app);
  registerSecurityHeaders(app);
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
  const readiness = [
    { name: 'database', check: () => context.database.ping() },
    { name: 'store', check: () => context.store.ping() },
    ...(schema === null ? [] : [{ name: 'migrations', check: async () => (schema.ready ? true : 'pending') }]),
  ];
  await app.register(healthRoutes, { ...(serveWebApp ? { browserHome: { path: webAppPrefix, wantsHtml } } : {}), readiness });
  const { authenticator } = context;
  const status = new ServiceStatus({
    checks: readiness,
    database: context.database,
    jobs: context.jobs,
    metrics: context.metrics,
    redis: config.redisUrl !== null,
    clock: context.clock,
  });
  await app.register(serviceStatusRoutes, { prefix: '/api', status, authenticator });
  const cookieMaxAgeSeconds = config.sessionMaxSeconds;
  await app.register(usersRoutes, { users: context.users, cookieMaxAgeSeconds });
  await app.register(emailVerificationRoutes, { emailVerification: context.emailVerification, authenticator });
  await app.register(todosRoutes, { todos: context.todos, authenticator });
  await app.register(accountsRoutes, { prefix: '/api', accounts: context.accounts, authenticator, cookieMaxAgeSeconds });
  await app.register(sessionsRoutes, {
    prefix: '/api',
    sessions: context.sessions,
    admin: context.usersAdmin,
    authenticator,
    secondFactor: context.secondFactor,
    cookieMaxAgeSeconds,
  });
  await app.register(secondFactorRoutes, { prefix: '/api', secondFactor: context.secondFactor, authenticator, cookieMaxAgeSeconds });
  await app.register(auditRoutes, { prefix: '/api', audit: context.audit, authenticator });
  await app.register(usersAdminRoutes, { prefix: '/api', admin: context.usersAdmin, authenticator });
  await app.register(cleaningsRoutes, { prefix: '/api', cleanings: context.cleanings, authenticator });
  await app.register(offersRoutes, { prefix: '/api', offers: context.offers, authenticator });
  await app.register(evaluationsRoutes, { prefix: '/api', evaluations: context.evaluations, authenticator });
  await app.register(profilesRoutes, { prefix: '/api', profiles: context.profiles, authenticator });
  await app.register(feedRoutes, { prefix: '/api', feed: context.feed, authenticator });
  registerDevOutbox(app, config);

  await app.ready();
  return app;
}

/** Also used by the command line, which needs the same services without HTTP. */
export async function createContext(config: Config, log: FastifyBaseLogger, options: BuildOptions = {}): Promise<AppContext> {
  const clock = options.clock ?? systemClock;
  checkWritableDirectories(config);
  const secret = resolveSecret(config);
  const database = await createDatabase(config);
  try {
    if (config.migrateOnStart) {
      await migrateToLatest(database.db).catch((error: unknown) => {
        throw isConnectionFailure(error) ? new StartupError(databaseUnreachable(config, error, 'to migrate on start (MIGRATE_ON_START)')) : error;
      });
    }
    const { store, broadcast } = await createStore(config, log);
    const mailer = await createMailer(config, log);
    const runJob = createJobRunner(mailer, { pruneExpired: () => pruneExpired(database.db, clock, config.auditRetentionDays) });
    const metrics = new Metrics(database);
    const jobs = await createJobQueue(
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
    const audit = new AuditLog(new AuditRepository(database.db), clock, config.auditRetentionDays);
    const identity = await createIdentity({ config, secret, database, store, broadcast, jobs, log, clock, audit, strengthEstimator: options.strengthEstimator });
    // With Redis down at start the schedule is set again by the next process to start (or restart).
    await jobs.repeat({ name: 'prune-expired', data: {} }, config.pruneIntervalSeconds * 1000).catch((error: unknown) =>
      log.warn({ err: error }, 'could not schedule the prune job; expired sessions and old audit events wait for the next start'),
    );
    const { authenticator, accountEvents, usersRepository } = identity;
    const todos = new TodosService(new TodosRepository(database.db));
    const emailVerification = new EmailVerificationService({
      store,
      users: usersRepository,
      audit,
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
    return { config, clock, audit, database, store, broadcast, mailer, jobs, metrics, ...identity, todos, emailVerification, ...marketplace };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** The cleaning-jobs marketplace: its services, and the profile every new account gets. */
function createMarketplace(database: DatabaseHandle, usersRepository: Identity['usersRepository'], accountEvents: Identity['accountEvents']) {
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
    feed: new FeedService(new FeedRepository(database.db)),
  };
}

export async function closeContext(context: AppContext): Promise<void> {
  await context.authenticator.stop();
  await context.passwordPolicy.close();
  // Jobs first: a job still running may need the mailer, and queued ones are handed back before Redis closes.
  await context.jobs.close();
  await context.mailer.close();
  await context.broadcast.close();
  await context.store.close();
  await context.database.close();
}

