import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ForbiddenError, NotAuthenticatedError, SecondFactorRequiredError } from '../../core/errors.js';
import { requestContextOf } from '../../http/request-context.js';
import { LogInUnauthorized } from './second-factor.schemas.js';
import { registerRefreshCookie, sendTokenPair } from './refresh-cookie.js';
import { TokenPairResponse } from './sessions.schemas.js';
import { Credentials, Detail, SignUpBody, SignUpResponse } from './users.schemas.js';
import { emailNotVerifiedMessage, type UsersService } from './users.service.js';

/** The ToDo tutorial's account routes: sign-up and log-in by username. */
export const usersRoutes: FastifyPluginAsyncTypebox<{ users: UsersService; cookieMaxAgeSeconds: number }> = async (app, { users, cookieMaxAgeSeconds }) => {
  await registerRefreshCookie(app);
  app.post(
    '/users/sign-up',
    {
      schema: {
        operationId: 'signUp',
        tags: ['todo-users'],
        summary: 'Create an account',
        body: SignUpBody,
        response: { 201: SignUpResponse, 400: Detail, 422: Detail, 429: Detail, 503: Detail },
      },
    },
    async (request, reply) => {
      return reply.code(201).send(await users.signUp(request.body.username, request.body.password, request.ip, requestContextOf(request)));
    },
  );

  app.post(
    '/users/log-in',
    {
      schema: {
        operationId: 'logIn',
        tags: ['todo-users'],
        summary: 'Log in with username and password; returns a bearer token and a refresh token',
        description:
          'Starts a session. With `refresh_cookie: true` the refresh token comes in an HttpOnly cookie scoped to POST /api/auth/refresh. ' +
          'For an account with two-step verification the right password answers 401 `LOGIN_MFA_REQUIRED` with an `mfa_token` for POST /api/auth/mfa, and no token.',
        body: Credentials,
        response: { 200: TokenPairResponse, 401: LogInUnauthorized, 403: Detail, 422: Detail, 429: Detail, 503: Detail },
      },
    },
    async (request, reply) => {
      const outcome = await users.logIn(
        {
          identifier: request.body.username,
          password: request.body.password,
          address: request.ip,
          userAgent: request.headers['user-agent'],
          allowEmail: false,
          refreshCookie: request.body.refresh_cookie === true,
        },
        requestContextOf(request),
      );
      if (outcome.ok) return sendTokenPair(reply, outcome.pair, request.body.refresh_cookie === true, cookieMaxAgeSeconds);
      // Said only to someone who typed the right password; otherwise one answer for an unknown name, a wrong
      // password and a disabled account: nothing to enumerate.
      if (outcome.reason === 'not-verified') throw new ForbiddenError(emailNotVerifiedMessage);
      if (outcome.reason === 'mfa-required') throw new SecondFactorRequiredError(outcome.mfaToken);
      throw new NotAuthenticatedError();
    },
  );
};
