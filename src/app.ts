import { hkdfSync, randomUUID } from 'node:crypto';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from './config/config.js';
import { resolveSecret } from './config/secret.js';
import { migrateToLatest } from './db/migrator.js';
import { registerErrorHandling } from './http/errors.js';
import { registerValidation } from './http/validation.js';
import { createDatabase, type DatabaseHandle } from './infra/database.js';
import { createMailer } from './infra/mailer/create-mailer.js';
import type { Mailer } from './infra/mailer/mailer.js';
import { createJobQueue } from './infra/queue/create-job-queue.js';
import type { JobQueue } from './infra/queue/jobs.js';
import { createJobRunner } from './infra/queue/run-job.js';
import { createStore } from './infra/store/create-store.js';
import type { Broadcast, KeyValueStore } from './infra/store/key-value-store.js';
import { Authenticator } from './modules/auth/authenticator.js';
import { LoginThrottle } from './modules/auth/login-throttle.js';
import { PasswordHasher } from './modules/auth/password-hasher.js';
import { TokenCodec } from './modules/auth/token-codec.js';
import { emailVerificationRoutes } from './modules/email-verification/email-verification.routes.js';
import { EmailVerificationService } from './modules/email-verification/email-verification.service.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { TodosRepository } from './modules/todos/todos.repository.js';
import { todosRoutes } from './modules/todos/todos.routes.js';
import { TodosService } from './modules/todos/todos.service.js';
import { AccountEvents } from './modules/users/account-events.js';
import { UsersRepository } from './modules/users/users.repository.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { UsersService } from './modules/users/users.service.js';

/** The infrastructure and services of one app instance, for routes, the CLI and tests. */
export interface AppContext {
  config: Config;
  database: DatabaseHandle;
  store: KeyValueStore;
  broadcast: Broadcast;
  mailer: Mailer;
  jobs: JobQueue;
  hasher: PasswordHasher;
  accessTokens: TokenCodec;
  authenticator: Authenticator;
  accountEvents: AccountEvents;
  users: UsersService;
  usersRepository: UsersRepository;
  todos: TodosService;
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
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Answer requests still queued while closing with 503 so a load balancer retries them elsewhere.
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerValidation(app);
  registerErrorHandling(app);
  await app.register(formbody);

  const context = await createContext(config, app.log);
  app.decorate('context', context);
  app.decorateRequest('principal', null);
  app.decorateRequest('tokenClaims', null);
  app.addHook('onClose', async () => closeContext(context));

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Spruce',
        version: '0.1.0',
        description: 'Accounts, todos and a cleaning-jobs marketplace. Use **Authorize** with a token from a log-in route.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { persistAuthorization: true } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes, {
    readiness: [
      { name: 'database', check: () => context.database.ping() },
      { name: 'store', check: () => context.store.ping() },
    ],
  });
  await app.register(usersRoutes, { users: context.users });
  await app.register(todosRoutes, { todos: context.todos, authenticator: context.authenticator });
  await app.register(emailVerificationRoutes, { emailVerification: context.emailVerification, authenticator: context.authenticator });

  await app.ready();
  return app;
}

async function createContext(config: Config, log: FastifyBaseLogger): Promise<AppContext> {
  const secret = resolveSecret(config);
  const database = createDatabase(config);
  try {
    if (config.migrateOnStart) await migrateToLatest(database.db);
    const { store, broadcast } = createStore(config, log);
    const mailer = createMailer(config, log);
    const jobs = createJobQueue(config, createJobRunner(mailer), log);
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
      loginThrottle: new LoginThrottle(store, {
        maxFailuresPerAccount: config.loginMaxFailuresPerAccount,
        maxFailuresPerAddress: config.loginMaxFailuresPerAddress,
        windowSeconds: config.loginFailureWindowSeconds,
      }),
    });
    const authenticator = new Authenticator(accessTokens, users, store, broadcast, config.authCacheSeconds, log);
    await authenticator.start();
    const todos = new TodosService(new TodosRepository(database.db));
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
    return {
      config,
      database,
      store,
      broadcast,
      mailer,
      jobs,
      hasher,
      accessTokens,
      authenticator,
      accountEvents,
      users,
      usersRepository,
      todos,
      emailVerification,
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

async function closeContext(context: AppContext): Promise<void> {
  await context.authenticator.stop();
  // Jobs first: a job still running may need the mailer, and queued ones are handed back before Redis closes.
  await context.jobs.close();
  await context.mailer.close();
  await context.broadcast.close();
  await context.store.close();
  await context.database.close();
}
