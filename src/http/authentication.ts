import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../core/principal.js';
import type { Authenticated, Authenticator, TokenClaims } from '../modules/identity/index.js';
import { HttpError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    tokenClaims: TokenClaims | null;
  }
}

export function notAuthorized(): HttpError {
  return new HttpError(401, 'Not Authorized', { 'WWW-Authenticate': 'Bearer' });
}

/**
 * The OpenAPI security requirement of a route that needs a bearer token: a pasted token, or one Swagger UI gets
 * itself from POST /api/token (the OAuth2 password flow), either will do.
 */
export const bearerSecurity: { [scheme: string]: string[] }[] = [{ bearerAuth: [] }, { oauth2Password: [] }];

/**
 * A hook for routes that need a caller: any token that is missing or not honoured gives the same 401. Callback
 * style, answering at once from the authenticator's caches when they know the token (nearly every request), so
 * the common case costs no promise.
 */
export function requireUser(authenticator: Authenticator) {
  return function authenticate(request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void {
    const token = bearerTokenOf(request);
    if (token === null) {
      done(notAuthorized());
      return;
    }
    const cached = authenticator.authenticateFromCache(token);
    if (cached !== undefined) {
      done(identify(request, cached) ? undefined : notAuthorized());
      return;
    }
    authenticator.authenticate(token).then((authenticated) => done(identify(request, authenticated) ? undefined : notAuthorized()), done);
  };
}

/**
 * A hook for routes anyone may call that do more for a caller with a token (confirming an email keeps the
 * caller's session): a missing or dead token is simply no caller, as the route works without one.
 */
export function optionalUser(authenticator: Authenticator) {
  return async function authenticateIfAny(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const token = bearerTokenOf(request);
    if (token !== null) identify(request, await authenticator.authenticate(token));
  };
}

function bearerTokenOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match === null ? null : (match[1] as string);
}

/**
 * Sets the request's principal and claims from an honoured token (the actor and session of the request's context,
 * see requestContextOf); false when it is not.
 */
function identify(request: FastifyRequest, authenticated: Authenticated | null): boolean {
  if (authenticated === null) return false;
  request.principal = authenticated.principal;
  request.tokenClaims = authenticated.claims;
  return true;
}

/** After requireUser: only superusers pass; others learn nothing more than 403. */
export async function requireSuperuser(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  if (!callerOf(request).isSuperuser) throw new HttpError(403, 'Forbidden');
}

/** For handlers behind requireUser: the caller, which the hook guarantees is there. */
export function callerOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw notAuthorized();
  return request.principal;
}

/** The session of the request's access token (null for a token from before sessions, or none). */
export function sessionIdOf(request: FastifyRequest): string | null {
  const sid = request.tokenClaims?.sid;
  return typeof sid === 'string' ? sid : null;
}
