import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NotAuthenticatedError } from '../../core/errors.js';
import { bearerSecurity, callerOf, requireSuperuser, requireUser, sessionIdOf } from '../../http/authentication.js';
import { requestContextOf } from '../../http/request-context.js';
import type { Authenticator } from './authenticator.js';
import { clearRefreshCookie, refreshTokenOf, registerRefreshCookie, sendTokenPair } from './refresh-cookie.js';
import { RefreshBody, SessionIdParams, SessionList, TokenPairResponse } from './sessions.schemas.js';
import { refreshTokenInvalid, type SessionsService } from './sessions.service.js';
import type { UsersAdminService } from './users-admin.service.js';
import { AccountErrorCode } from './error-codes.js';
import { StepUpBody } from './second-factor.schemas.js';
import type { SecondFactorService } from './second-factor.service.js';
import { Detail } from './users.schemas.js';

export interface SessionsRoutesOptions {
  sessions: SessionsService;
  admin: UsersAdminService;
  authenticator: Authenticator;
  /** Ending every other session needs the current password (and a code with TOTP on). */
  secondFactor: SecondFactorService;
  /** SESSION_MAX_SECONDS: the refresh cookie lives no longer than a session can. */
  cookieMaxAgeSeconds: number;
}

/** Refresh, and the sessions of an account: the caller's own, and any account's for superusers. */
export const sessionsRoutes: FastifyPluginAsyncTypebox<SessionsRoutesOptions> = async (app, { sessions, admin, authenticator, secondFactor, cookieMaxAgeSeconds }) => {
  await registerRefreshCookie(app);
  const authenticated = { onRequest: requireUser(authenticator) };
  const superuserOnly = { onRequest: [requireUser(authenticator), requireSuperuser] };
  const me = { tags: ['sessions'], security: bearerSecurity };

  app.post(
    '/auth/refresh',
    {
      // A refresh by cookie has no body at all; Fastify validates a body only when there is one to validate.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: ['auth'],
        operationId: 'refreshSession',
        summary: 'Spend a refresh token for a new access token and refresh token',
        description:
          'The refresh token comes in the body, or in the `spruce_refresh` cookie a log-in with `refresh_cookie` set; ' +
          'a refresh by cookie needs the header `X-Spruce-CSRF: 1` and answers with a new cookie. A token spent less ' +
          'than REFRESH_REUSE_GRACE_SECONDS ago answers the same pair again; an older spent token ends the session.',
        body: RefreshBody,
        response: { 200: TokenPairResponse, 401: Detail, 403: Detail, 422: Detail, 503: Detail },
      },
    },
    async (request, reply) => {
      const presented = refreshTokenOf(request, request.body);
      if (presented === undefined) throw new NotAuthenticatedError(refreshTokenInvalid);
      try {
        const pair = await sessions.refresh(presented.token, { ip: request.ip, userAgent: request.headers['user-agent'] }, requestContextOf(request));
        return sendTokenPair(reply, pair, presented.cookie, cookieMaxAgeSeconds);
      } catch (error) {
        if (presented.cookie && error instanceof NotAuthenticatedError) clearRefreshCookie(reply);
        throw error;
      }
    },
  );

  app.get(
    '/users/me/sessions',
    { ...authenticated, schema: { ...me, operationId: 'listMySessions', summary: 'The caller’s live sessions, newest first', response: { 200: SessionList, 401: Detail } } },
    async (request) => sessions.list(callerOf(request).id, sessionIdOf(request)),
  );

  app.delete(
    '/users/me/sessions/:id',
    {
      ...authenticated,
      schema: {
        ...me,
        operationId: 'endMySession',
        summary: 'End one of the caller’s sessions: its refresh token and access tokens stop working everywhere',
        params: SessionIdParams,
        response: { 204: Type.Null(), 401: Detail, 404: Detail },
      },
    },
    async (request, reply) => {
      await sessions.endOwn(callerOf(request).id, request.params.id, requestContextOf(request));
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/users/me/sessions',
    {
      ...authenticated,
      schema: {
        ...me,
        operationId: 'endMyOtherSessions',
        summary: 'End every session of the caller but the current one; needs current_password (and `code` when two-step verification is on)',
        body: StepUpBody,
        response: { 204: Type.Null(), 400: Detail, 401: Detail, 422: Detail, 429: Detail },
      },
    },
    async (request, reply) => {
      const { current_password, code } = request.body;
      const callerId = callerOf(request).id;
      const context = requestContextOf(request);
      await secondFactor.proveStepUp(callerId, { currentPassword: current_password, code }, request.ip, AccountErrorCode.END_SESSIONS_INVALID_CURRENT_PASSWORD, context);
      await sessions.endAll(callerId, 'revoked', context, sessionIdOf(request));
      return reply.code(204).send(null);
    },
  );

  const admin_ = { tags: ['users (superusers)'], security: bearerSecurity };
  app.get(
    '/users/:id/sessions',
    {
      ...superuserOnly,
      schema: { ...admin_, operationId: 'listUserSessions', summary: 'An account’s live sessions, newest first', params: SessionIdParams, response: { 200: SessionList, 401: Detail, 403: Detail, 404: Detail } },
    },
    async (request) => admin.listSessions(request.params.id, sessionIdOf(request), requestContextOf(request)),
  );

  app.delete(
    '/users/:id/sessions',
    {
      ...superuserOnly,
      schema: { ...admin_, operationId: 'endUserSessions', summary: 'End every session of an account', params: SessionIdParams, response: { 204: Type.Null(), 401: Detail, 403: Detail, 404: Detail } },
    },
    async (request, reply) => {
      await admin.endSessions(request.params.id, requestContextOf(request));
      return reply.code(204).send(null);
    },
  );
};
