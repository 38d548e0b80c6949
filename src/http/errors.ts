import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidInputError,
  NotAuthenticatedError,
  NotFoundError,
  RequestRefusedError,
  SecondFactorRequiredError,
  ServiceUnavailableError,
  ThrottledError,
  type ValidationIssue,
} from '../core/errors.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { StoreUnavailableError } from '../infra/store/key-value-store.js';
import { methodsAtPath } from './allowed-methods.js';

export type { ValidationIssue };

/** An error whose status and `detail` go to the client as they are. Throw it from services and routes. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly detail: unknown,
    readonly headers: Record<string, string> = {},
    /** Fields sent beside `detail` (the `mfa_token` of LOGIN_MFA_REQUIRED). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(typeof detail === 'string' ? detail : JSON.stringify(detail));
  }
}

export function validationError(issues: ValidationIssue[]): HttpError {
  return new HttpError(422, issues);
}

export function tooManyRequests(retryAfterSeconds: number, detail = 'Too Many Requests'): HttpError {
  return new HttpError(429, detail, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
}

const partNames: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

/** JSON Schema type -> pydantic's error type prefix and wording. */
const typeNames: Record<string, [string, string]> = {
  integer: ['int', 'integer'],
  number: ['float', 'number'],
  boolean: ['bool', 'boolean'],
  string: ['string', 'string'],
  object: ['dict', 'dictionary'],
  array: ['list', 'list'],
  null: ['none', 'null'],
};

interface AjvIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, any>;
  message?: string;
}

/** Maps Ajv's errors onto the shape and wording pydantic gives, which clients of the originals already parse. */
export function toValidationIssues(errors: AjvIssue[], part: string | undefined): ValidationIssue[] {
  const where = partNames[part ?? 'body'] ?? 'body';
  return errors
    .filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if')
    .map((e) => {
      const loc: (string | number)[] = [where];
      for (const segment of e.instancePath.split('/').slice(1)) {
        const name = segment.replace(/~1/g, '/').replace(/~0/g, '~');
        loc.push(/^\d+$/.test(name) ? Number(name) : name);
      }
      const p = e.params;
      switch (e.keyword) {
        case 'required':
          return { loc: [...loc, p.missingProperty], msg: 'Field required', type: 'missing' };
        case 'type': {
          const [kind, phrase] = typeNames[String(p.type).split(',')[0] ?? ''] ?? ['value', 'value'];
          return { loc, msg: `Input should be a valid ${phrase}`, type: `${kind}_type` };
        }
        case 'minLength':
          return { loc, msg: `String should have at least ${p.limit} character${p.limit === 1 ? '' : 's'}`, type: 'string_too_short' };
        case 'maxLength':
          return { loc, msg: `String should have at most ${p.limit} character${p.limit === 1 ? '' : 's'}`, type: 'string_too_long' };
        case 'pattern':
          return { loc, msg: `String should match pattern '${p.pattern}'`, type: 'string_pattern_mismatch' };
        case 'format':
          return { loc, msg: `value is not a valid ${p.format === 'uri' ? 'URL' : p.format}`, type: 'value_error' };
        case 'enum':
          return { loc, msg: `Input should be ${(p.allowedValues as unknown[]).map((v) => `'${String(v)}'`).join(' or ')}`, type: 'enum' };
        case 'const':
          return { loc, msg: `Input should be '${String(p.allowedValue)}'`, type: 'literal_error' };
        case 'minimum':
          return { loc, msg: `Input should be greater than or equal to ${p.limit}`, type: 'greater_than_equal' };
        case 'exclusiveMinimum':
          return { loc, msg: `Input should be greater than ${p.limit}`, type: 'greater_than' };
        case 'maximum':
          return { loc, msg: `Input should be less than or equal to ${p.limit}`, type: 'less_than_equal' };
        case 'exclusiveMaximum':
          return { loc, msg: `Input should be less than ${p.limit}`, type: 'less_than' };
        case 'multipleOf':
          return { loc, msg: `Input should be a multiple of ${p.multipleOf}`, type: 'multiple_of' };
        case 'minItems':
          return { loc, msg: `List should have at least ${p.limit} items`, type: 'too_short' };
        case 'maxItems':
          return { loc, msg: `List should have at most ${p.limit} items`, type: 'too_long' };
        case 'additionalProperties':
          return { loc: [...loc, p.additionalProperty], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' };
        default:
          return { loc, msg: e.message ?? 'Invalid value', type: 'value_error' };
      }
    });
}

/**
 * The one place domain errors become HTTP: each kind's status, and the headers its answer carries (a bearer
 * challenge with 401, Retry-After with 429 and 503).
 */
export function toHttpError(error: DomainError): HttpError {
  if (error instanceof InvalidInputError) return new HttpError(422, error.issues);
  if (error instanceof ThrottledError) return new HttpError(429, error.detail, { 'Retry-After': String(error.retryAfterSeconds) });
  if (error instanceof SecondFactorRequiredError) {
    return new HttpError(401, error.detail, { 'WWW-Authenticate': 'Bearer' }, { mfa_token: error.mfaToken });
  }
  if (error instanceof NotAuthenticatedError) return new HttpError(401, error.detail, { 'WWW-Authenticate': 'Bearer' });
  if (error instanceof ForbiddenError) return new HttpError(403, error.detail);
  if (error instanceof NotFoundError) return new HttpError(404, error.detail);
  if (error instanceof ConflictError) return new HttpError(409, error.detail);
  if (error instanceof ServiceUnavailableError) return new HttpError(503, error.detail, { 'Retry-After': String(error.retryAfterSeconds) });
  if (error instanceof RequestRefusedError) return new HttpError(400, error.detail);
  return new HttpError(400, error.detail);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    const allowed = methodsAtPath(app, request.url);
    // A route that answers this very method and then finds nothing (a missing file under a wildcard such as
    // /docs/*) says 404: only a method no route at the path answers is a 405. OPTIONS here means CORS's catch-all
    // passed on a request that is not a preflight, so the path has no OPTIONS of its own.
    const routedMethod = request.method !== 'OPTIONS' && allowed.includes(request.method);
    if (allowed.length > 0 && !routedMethod) {
      void reply.code(405).header('Allow', allowed.join(', ')).send({ detail: 'Method Not Allowed' });
      return;
    }
    void reply.code(404).send({ detail: 'Not Found' });
  });

  app.setErrorHandler((thrown: FastifyError & { validationContext?: string }, request: FastifyRequest, reply: FastifyReply) => {
    const error = thrown instanceof DomainError ? toHttpError(thrown) : thrown;
    if (error instanceof HttpError) {
      void reply.code(error.statusCode).headers(error.headers).send({ detail: error.detail, ...error.extra });
      return;
    }
    if (error.validation) {
      void reply.code(422).send({ detail: toValidationIssues(error.validation as AjvIssue[], error.validationContext) });
      return;
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        void reply.code(422).send({ detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] });
        return;
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        void reply.code(415).send({ detail: 'Unsupported Media Type' });
        return;
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        void reply.code(413).send({ detail: 'Request body is too large' });
        return;
    }
    // Fastify's JSON parser reports malformed JSON as a SyntaxError with status 400.
    if (error instanceof SyntaxError && error.statusCode === 400) {
      void reply.code(422).send({ detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] });
      return;
    }
    if (error instanceof StoreUnavailableError || error?.name === 'StoreUnavailableError') {
      request.log.warn({ err: error }, 'key-value store unavailable');
      void reply.code(503).header('Retry-After', '5').send({ detail: 'A backing service is unavailable; try again shortly.' });
      return;
    }
    if (isDatabaseUnavailable(error)) {
      request.log.error({ err: error }, 'database unavailable');
      void reply.code(503).header('Retry-After', '5').send({ detail: 'The database is unavailable; try again shortly.' });
      return;
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      // Fastify's own messages may quote the request (its URL, headers, content type): give the status text only.
      void reply.code(status).send({ detail: isFastifyError(error) ? statusText(status) : error.message });
      return;
    }
    request.log.error({ err: error }, 'unhandled error');
    void reply.code(500).send({ detail: 'Internal Server Error' });
  });
}

function isFastifyError(error: { code?: unknown }): boolean {
  return typeof error.code === 'string' && error.code.startsWith('FST_');
}

function statusText(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/**
 * Errors Fastify's router answers before any route, hook or error handler runs (Fastify's `frameworkErrors`
 * option): a URL that is not valid percent-encoding and a path parameter over the length limit. Fastify's own
 * bodies quote the URL back; these answer in the API's shape and quote nothing.
 */
export function frameworkErrorResponse(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      void reply.code(400).send({ detail: 'The URL is not valid percent-encoding' });
      return;
    case 'FST_ERR_MAX_PARAM_LENGTH':
      void reply.code(414).send({ detail: 'A path parameter is too long' });
      return;
    default: {
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
      void reply.code(status).send({ detail: statusText(status) });
    }
  }
}

/**
 * Requests Node's HTTP parser refuses (malformed request line or headers, headers over the size limit, a
 * request that took too long to arrive) never become Fastify requests; Fastify's default writes its own JSON
 * shape. The same statuses here, with a `{"detail"}` body.
 */
export function clientErrorResponse(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body = JSON.stringify({ detail: statusText(status) });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${statusText(status)}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
