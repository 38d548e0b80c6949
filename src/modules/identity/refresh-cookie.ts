import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { ForbiddenError } from '../../core/errors.js';
import type { TokenPair } from './sessions.service.js';
import type { TokenPairResponse } from './sessions.schemas.js';

export const refreshCookieName = 'spruce_refresh';
/** The cookie goes only to the refresh route: no other request carries it, so no other route can be forged with it. */
export const refreshCookiePath = '/api/auth/refresh';
/**
 * A refresh by cookie must carry this header. A cross-site form or link cannot set a custom header, and a
 * cross-site script cannot either without a CORS preflight this API refuses, so the header proves the request
 * came from the app's own pages (SameSite=Strict already keeps the cookie off cross-site requests; this is the
 * second defence the issue asks for).
 */
export const csrfHeaderName = 'x-spruce-csrf';
export const csrfHeaderMissing = 'CSRF_HEADER_MISSING';

/**
 * Cookie support for a route plugin that sets or reads the refresh cookie, registered inside that plugin rather
 * than for the whole app: @fastify/cookie's hooks (a cookie parse on every request, a Set-Cookie pass on every
 * response) then run on these routes only. App-wide they were about 6% of the instructions of a GET /todos.
 */
export async function registerRefreshCookie(app: FastifyInstance): Promise<void> {
  await app.register(cookie);
}

/**
 * Answers a log-in or refresh. With `cookie`, the refresh token goes in an HttpOnly; Secure; SameSite=Strict
 * cookie scoped to the refresh path, and not in the body, so page scripts never see it.
 */
export function sendTokenPair(reply: FastifyReply, pair: TokenPair, cookie: boolean, maxAgeSeconds: number): Static<typeof TokenPairResponse> {
  const body = { access_token: pair.accessToken, token_type: 'bearer' as const, expires_in: pair.expiresIn };
  if (!cookie) return { ...body, refresh_token: pair.refreshToken };
  void reply.setCookie(refreshCookieName, pair.refreshToken, {
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
    path: refreshCookiePath,
    maxAge: maxAgeSeconds,
  });
  return body;
}

/** Removes the cookie (log-out, or a refresh that failed). */
export function clearRefreshCookie(reply: FastifyReply): void {
  void reply.clearCookie(refreshCookieName, { httpOnly: true, secure: true, sameSite: 'strict', path: refreshCookiePath });
}

/**
 * The refresh token of a refresh request: from the body, or else from the cookie, which needs the CSRF header.
 * Undefined when there is neither.
 */
export function refreshTokenOf(request: FastifyRequest, body: { refresh_token?: string | undefined } | undefined): { token: string; cookie: boolean } | undefined {
  if (body?.refresh_token !== undefined) return { token: body.refresh_token, cookie: false };
  const fromCookie = request.cookies[refreshCookieName];
  if (fromCookie === undefined || fromCookie === '') return undefined;
  if (request.headers[csrfHeaderName] !== '1') throw new ForbiddenError(csrfHeaderMissing);
  return { token: fromCookie, cookie: true };
}
