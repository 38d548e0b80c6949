import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from './config/config.js';
import { resolveSecret } from './config/secret.js';
import { migrateToLatest } from './db/migrator.js';
import { registerConnectionDraining } from './http/connection-draining.js';
import { registerCors } from './http/cors.js';
import { registerErrorHandling } from './http/errors.js';
import { registerMetrics } from './http/metrics.js';
import { registerRateLimit } from './http/rate-limit.js';
import { registerRequestIdHeader, requestIdOf } from './http/request-id.js';
import { docsContentSecurityPolicy, registerSecurityHeaders } from './http/security-headers.js';
import { registerValidation } from './http/validation.js';
import { createDatabase, type DatabaseHandle } from './infra/database.js';
import { Metrics } from './infra/metrics.js';
import type { Broadcast, KeyValueStore } from './infra/store/key-value-store.js';
import { MemoryBroadcast, MemoryStore } from './infra/store/memory-store.js';
import { Authenticator } from './modules/auth/authenticator.js';
import { LoginThrottle } from './modules/auth/login-throttle.js';
import { PasswordHasher } from './modules/auth/password-hasher.js';
import { TokenCodec } from './modules/auth/token-codec.js';
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
  metrics: Metrics;
  hasher: PasswordHasher;
  accessTokens: TokenCodec;
  authenticator: Authenticator;
  accountEvents: AccountEvents;
  users: UsersService;
  usersRepository: UsersRepository;
  todos: TodosService;
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

  // Cross-cutting HTTP concerns, registered before any route so their hooks run first on every request.
  registerRequestIdHeader(app);
  registerConnectionDraining(app);
  await registerSecurityHeaders(app);
  await registerCors(app, config.corsOrigins);
  await registerRateLimit(app, config);
  registerMetrics(app, { metrics: context.metrics, enabled: config.metricsEnabled, token: config.metricsToken });

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
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { persistAuthorization: true }, ...docsContentSecurityPolicy });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes, {
    readiness: [
      { name: 'database', check: () => context.database.ping() },
      { name: 'store', check: () => context.store.ping() },
    ],
  });
  await app.register(usersRoutes, { users: context.users });
  await app.register(todosRoutes, { todos: context.todos, authenticator: context.authenticator });

  await app.ready();
  return app;
}

async function createContext(config: Config, log: FastifyBaseLogger): Promise<AppContext> {
  const secret = resolveSecret(config);
  const database = createDatabase(config);
  try {
    if (config.migrateOnStart) await migrateToLatest(database.db);
    const store = new MemoryStore();
    const broadcast = new MemoryBroadcast();
    const metrics = new Metrics(database);
    const hasher = new PasswordHasher({
      memoryCost: config.argon2MemoryKib,
      timeCost: config.argon2TimeCost,
      parallelism: config.argon2Parallelism,
    });
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
    const authenticator = new Authenticator(accessTokens, users, store, broadcast, config.authCacheSeconds);
    await authenticator.start();
    const todos = new TodosService(new TodosRepository(database.db));
    return { config, database, store, broadcast, metrics, hasher, accessTokens, authenticator, accountEvents, users, usersRepository, todos };
  } catch (error) {
    await database.close();
    throw error;
  }
}

async function closeContext(context: AppContext): Promise<void> {
  await context.authenticator.stop();
  await context.broadcast.close();
  await context.store.close();
  await context.database.close();
}
