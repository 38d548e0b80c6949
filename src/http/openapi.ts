import swagger from '@fastify/swagger';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Config } from '../config/config.js';
import { registerDocsUi } from './docs-ui.js';
import { HTTPError, HTTPValidationError } from './error-schemas.js';
import { docsContentSecurityPolicy } from './security-headers.js';

/** Tag order and descriptions: Swagger UI shows the groups in this order. */
export const openApiTags = [
  { name: 'todo-users', description: 'Accounts of the ToDo tutorial: sign up and log in by username, verify an email address by one-time code' },
  { name: 'todos', description: "The caller's own todos (bearer token from either log-in route)" },
  { name: 'auth', description: 'FastAPI Users accounts under /api: the OAuth2 token (Swagger\'s Authorize), email verification by link, password reset, log-out' },
  { name: 'users', description: 'FastAPI Users accounts under /api: register, and read, change or delete your own account' },
  { name: 'users (superusers)', description: 'Every account, for superusers only' },
  { name: 'second factor', description: 'Two-step verification (TOTP): enrol an authenticator app, confirm it, turn it off, replace the recovery codes' },
  { name: 'sessions', description: "The caller's log-in sessions (one per device): list them, end one or all the others" },
  { name: 'audit', description: 'What happened to accounts, and who did it: your own events, or every account\'s for superusers' },
  { name: 'cleanings', description: "Phresh's cleaning jobs: post, change and delete your own, read anyone's" },
  { name: 'offers', description: 'Offers to do a cleaning job: make, accept, cancel, rescind' },
  { name: 'evaluations', description: 'Owners evaluate the cleaner of a completed job; aggregate ratings per cleaner' },
  { name: 'profiles', description: 'Public profiles of marketplace users' },
  { name: 'feed', description: 'Cleaning jobs created and changed, newest first' },
  { name: 'health', description: 'Liveness and readiness for load balancers and orchestrators' },
];

const statusDescriptions: Record<string, string> = {
  200: 'Successful Response',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Not authenticated: the bearer token is missing, invalid, expired or revoked',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Validation Error',
  429: 'Too Many Requests: try again after Retry-After seconds',
  503: 'Service Unavailable: a backing service does not answer; try again after Retry-After seconds',
};

type Schema = Record<string, unknown>;
type RouteSecurity = { [scheme: string]: string[] }[];

/**
 * Gives every route's schema what the document and the serialiser need, in one place instead of in each route:
 * errors as FastAPI's named shapes (a 422 is HTTPValidationError, sent and documented so), a 422 wherever a route
 * takes input, a description per status, and `security: []` on routes that need no token. Only new objects are
 * built; the schemas routes share are never changed.
 */
export function normalizeRouteSchema(route: RouteOptions): void {
  const schema = route.schema as Schema | undefined;
  if (schema === undefined || schema.hide === true) return;
  const response: Record<string, unknown> = { ...((schema.response as Schema | undefined) ?? {}) };
  const takesInput = schema.body !== undefined || schema.querystring !== undefined || schema.params !== undefined;
  if (takesInput && response[422] === undefined) response[422] = HTTPValidationError;
  for (const [status, body] of Object.entries(response)) {
    const isError = body === HTTPError || body === HTTPValidationError;
    const shape = isError ? (status === '422' ? HTTPValidationError : HTTPError) : (body as Schema);
    response[status] = { ...shape, 'x-response-description': statusDescriptions[status] ?? 'Response' };
  }
  route.schema = { ...schema, response, security: (schema.security as RouteSecurity | undefined) ?? [] };
}

const schemasPath = '#/components/schemas/';

/**
 * Moves every schema with a `title` into components.schemas under that title and refers to it, as FastAPI does
 * with pydantic models: Swagger UI then lists them under Schemas and SDK generators name their types. Two
 * different schemas under one title would make the document lie, so that fails loudly.
 */
export function hoistNamedSchemas(document: Schema): void {
  const components = ((document.components as Schema).schemas ??= {}) as Record<string, unknown>;
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const result: Schema = {};
    for (const [key, value] of Object.entries(node)) {
      // Examples are data, not schemas: a `title` in them is a value.
      result[key] = key === 'examples' || key === 'example' ? value : visit(value);
    }
    if (typeof result.title !== 'string' || result.$ref !== undefined || result.properties === undefined) return result;
    const name = result.title;
    const existing = components[name];
    if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(result)) {
      throw new Error(`OpenAPI: two different schemas are both titled ${name}`);
    }
    components[name] = result;
    return { $ref: `${schemasPath}${name}` };
  };
  // Children are visited before their parent, so a hoisted schema already refers to the named ones inside it.
  document.paths = visit(document.paths);
  document.components = { ...(document.components as Schema), schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))) };
}

/** Routes whose schema says `x-optional-body` take a request without one (Fastify's swagger marks every body required). */
function markOptionalBodies(document: Schema): void {
  for (const operations of Object.values(document.paths as Record<string, Record<string, Schema>>)) {
    for (const operation of Object.values(operations)) {
      if (operation['x-optional-body'] !== true) continue;
      delete operation['x-optional-body'];
      (operation.requestBody as Schema).required = false;
    }
  }
}

/** Password fields carry `x-password`; the document states the configured policy there, so a client knows it before a 422. */
function describePasswords(node: unknown, config: Config): void {
  if (Array.isArray(node)) return node.forEach((child) => describePasswords(child, config));
  if (node === null || typeof node !== 'object') return;
  const schema = node as Schema;
  if (schema['x-password'] === true) {
    delete schema['x-password'];
    schema.minLength = config.passwordMinLength;
    schema.maxLength = config.passwordMaxLength;
    schema.description =
      `${config.passwordMinLength} to ${config.passwordMaxLength} characters, with at least one letter, one digit, and one character that is ` +
      'neither (a space or punctuation will do), and hard to guess: zxcvbn must score it 3 of 4 or better against common passwords, ' +
      "English words and names, keyboard patterns, dates and the account's own name and email" +
      (config.pwnedPasswordsUrl === null ? '' : ', and it must not appear in the Have I Been Pwned breach corpus') +
      '. A refused password is answered with every rule it breaks, or else with why it is easy to guess: 422 on sign-up and registration, ' +
      '400 `{code, reason}` when resetting or changing one on the /api routes.';
  }
  for (const [key, value] of Object.entries(schema)) if (key !== 'examples' && key !== 'example') describePasswords(value, config);
}

/** The document's base URLs: OPENAPI_SERVERS, or this server itself, whatever host it was reached by. */
function servers(config: Config) {
  return config.openApiServers.length > 0 ? config.openApiServers.map((url) => ({ url })) : [{ url: '/', description: 'This server' }];
}

/** The OpenAPI 3.1 document at /openapi.json and Swagger UI at /docs. */
export async function registerOpenApi(app: FastifyInstance, config: Config): Promise<void> {
  app.addHook('onRoute', normalizeRouteSchema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Spruce',
        version: '0.1.0',
        description:
          'Accounts, todos and a cleaning-jobs marketplace. Use **Authorize** with an email or username and password (the OAuth2 password flow of `POST /api/token`), or paste a token from a log-in route.',
      },
      servers: servers(config),
      tags: openApiTags,
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          // Lets Swagger UI's Authorize button log in with an email (or name) and password itself.
          oauth2Password: { type: 'oauth2', flows: { password: { tokenUrl: '/api/token', scopes: {} } } },
        },
      },
    },
    transformObject: (documentObject) => {
      if (!('openapiObject' in documentObject)) return documentObject.swaggerObject;
      const document = documentObject.openapiObject as unknown as Schema;
      describePasswords(document.paths, config);
      markOptionalBodies(document);
      hoistNamedSchemas(document);
      return documentObject.openapiObject;
    },
  });
  registerDocsUi(app, { prefix: '/docs', document: () => app.swagger(), uiOptions: { uiConfig: { persistAuthorization: true }, ...docsContentSecurityPolicy } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
