import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { allowedMethods } from '../../http/allowed-methods.js';
import { bearerSecurity, callerOf, optionalUser, requireUser, sessionIdOf } from '../../http/authentication.js';
import { requestContextOf } from '../../http/request-context.js';
import { clearRefreshCookie, registerRefreshCookie, sendTokenPair } from './refresh-cookie.js';
import { TokenPairResponse } from './sessions.schemas.js';
import type { Authenticator } from './authenticator.js';
import { Detail, PublicUser } from './users.schemas.js';
import {
  DeleteMeBody,
  EmailBody,
  RegisterBody,
  ResetPasswordBody,
  TokenForm,
  UpdateMeBody,
  VerifyBody,
} from './accounts.schemas.js';
import type { AccountsService } from './accounts.service.js';
import { TokenError, TokenValidationError, withOAuthError } from './oauth-errors.js';
import { LogInUnauthorized } from './second-factor.schemas.js';

export interface AccountsRoutesOptions {
  accounts: AccountsService;
  authenticator: Authenticator;
  /** SESSION_MAX_SECONDS: the refresh cookie lives no longer than a session can. */
  cookieMaxAgeSeconds: number;
}

/** The FastAPI Users routes of the seed, under /api: register, token, verify, reset, log out, and the caller's own account. */
export const accountsRoutes: FastifyPluginAsyncTypebox<AccountsRoutesOptions> = async (app, { accounts, authenticator, cookieMaxAgeSeconds }) => {
  await registerRefreshCookie(app);
  const authenticated = { onRequest: requireUser(authenticator) };
  const users = { tags: ['users'] };
  const auth = { tags: ['auth'] };
  const me = { tags: ['users'], security: bearerSecurity };

  app.options(
    '/users',
    { schema: { operationId: 'usersOptions', ...users, summary: 'The methods this path supports, in the Allow header', response: { 204: Type.Null() } } },
    async (request, reply) => reply.code(204).header('allow', allowedMethods(request.server, request.routeOptions.url ?? '')).send(null),
  );

  app.post(
    '/users',
    {
      schema: {
        operationId: 'register',
        ...users,
        summary: 'Register; a verification email goes out',
        body: RegisterBody,
        response: { 201: PublicUser, 400: Detail, 422: Detail, 429: Detail, 503: Detail },
      },
    },
    async (request, reply) => {
      const { email, name, password } = request.body.new_user;
      return reply.code(201).send(await accounts.register({ email, name, password }, request.ip, requestContextOf(request)));
    },
  );

  app.post(
    '/token',
    {
      schema: {
        operationId: 'issueToken',
        ...auth,
        summary: 'Log in (OAuth2 password flow, form-encoded); `username` is the email or the name',
        description:
          'Starts a session: answers an access token, a refresh token for POST /api/auth/refresh, and expires_in. With ' +
          '`refresh_cookie=true` the refresh token comes in an HttpOnly cookie scoped to the refresh route instead. ' +
          'Errors keep FastAPI Users\' `detail` (`LOGIN_BAD_CREDENTIALS`, `LOGIN_USER_NOT_VERIFIED`) and add OAuth2\'s `error` and `error_description` (RFC 6749, section 5.2). ' +
          'For an account with two-step verification the right password answers 401 `LOGIN_MFA_REQUIRED` with an `mfa_token` for POST /api/auth/mfa, and no token.',
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenForm,
        response: { 200: TokenPairResponse, 400: TokenError, 401: LogInUnauthorized, 422: TokenValidationError, 429: Detail },
      },
      preSerialization: async (_request, reply, payload) => withOAuthError(reply.statusCode, payload),
    },
    async (request, reply) => {
      const { username, password, refresh_cookie } = request.body;
      const pair = await accounts.logIn(
        { identifier: username, password, address: request.ip, userAgent: request.headers['user-agent'], refreshCookie: refresh_cookie === 'true' },
        requestContextOf(request),
      );
      return sendTokenPair(reply, pair, refresh_cookie === 'true', cookieMaxAgeSeconds);
    },
  );

  app.post(
    '/auth/logout',
    {
      ...authenticated,
      schema: {
        operationId: 'logOut',
        ...auth,
        security: bearerSecurity,
        summary: 'Log out: the session ends, its refresh token and every access token of it stop working everywhere',
        response: { 204: Type.Null(), 401: Detail },
      },
    },
    async (request, reply) => {
      if (request.tokenClaims !== null) await accounts.logOut(request.tokenClaims, requestContextOf(request));
      clearRefreshCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/auth/request-verify-token',
    {
      schema: {
        operationId: 'requestVerifyToken',
        ...auth,
        summary: 'Mail a new verification token; 202 whether or not the email has an account',
        body: EmailBody,
        response: { 202: Type.Null(), 422: Detail, 429: Detail },
      },
    },
    async (request, reply) => {
      await accounts.requestVerifyToken(request.body.email, request.ip);
      return reply.code(202).send(null);
    },
  );

  app.post(
    '/auth/verify',
    { schema: { operationId: 'verify', ...auth, summary: 'Verify the email with the mailed token', body: VerifyBody, response: { 200: PublicUser, 400: Detail, 422: Detail, 429: Detail } } },
    async (request) => accounts.verify(request.body.token, request.ip, requestContextOf(request)),
  );

  app.post(
    '/auth/forgot-password',
    {
      schema: {
        operationId: 'forgotPassword',
        ...auth,
        summary: 'Mail a password reset token; 202 whether or not the email has an account',
        body: EmailBody,
        response: { 202: Type.Null(), 422: Detail, 429: Detail },
      },
    },
    async (request, reply) => {
      await accounts.forgotPassword(request.body.email, request.ip);
      return reply.code(202).send(null);
    },
  );

  app.post(
    '/auth/reset-password',
    {
      schema: {
        operationId: 'resetPassword',
        ...auth,
        summary: 'Set a new password with the mailed token; every older access token stops working',
        body: ResetPasswordBody,
        response: { 200: Type.Null(), 400: Detail, 422: Detail, 429: Detail, 503: Detail },
      },
    },
    async (request) => {
      await accounts.resetPassword(request.body.token, request.body.password, request.ip, requestContextOf(request));
      return null;
    },
  );

  app.post(
    '/auth/confirm-email',
    {
      onRequest: optionalUser(authenticator),
      schema: {
        operationId: 'confirmEmail',
        ...auth,
        summary:
          'Confirm a new email with the token mailed to it; it replaces the old one, verified, and every older access token of the account stops working. ' +
          'Every session of the account ends, but the caller’s when the request carries an access token of that account (it refreshes on); without one, all end',
        // The bearer token is optional: with one of the account, its session is kept.
        security: [...bearerSecurity, {}],
        body: VerifyBody,
        response: { 200: PublicUser, 400: Detail, 422: Detail, 429: Detail, 503: Detail },
      },
    },
    async (request) =>
      accounts.confirmEmailChange(
        request.body.token,
        request.ip,
        requestContextOf(request),
        request.principal === null ? null : { userId: request.principal.id, sessionId: sessionIdOf(request) },
      ),
  );

  app.get(
    '/users/me',
    { ...authenticated, schema: { operationId: 'getMe', ...me, summary: 'The caller', response: { 200: PublicUser, 401: Detail } } },
    async (request) => accounts.me(callerOf(request).id),
  );

  app.patch(
    '/users/me',
    {
      ...authenticated,
      schema: {
        operationId: 'updateMe',
        ...me,
        summary:
          'Change name, password, email or login_notices; the password and the email need current_password (and `code` when two-step verification is on). A new password ends every token of the account, ' +
          'this one included (log in again). A new email is mailed a confirmation and replaces the old one only once confirmed ' +
          '(POST /api/auth/confirm-email); the old address is told. Email changes: 429 past the limits per account and per address.',
        body: UpdateMeBody,
        response: { 200: PublicUser, 400: Detail, 401: Detail, 422: Detail, 429: Detail, 503: Detail },
      },
    },
    async (request) => {
      const { name, email, password, current_password, code, login_notices } = request.body;
      const changes = { name, email, password, currentPassword: current_password, code, loginNotices: login_notices };
      return accounts.updateOwn(callerOf(request).id, changes, request.ip, requestContextOf(request), sessionIdOf(request));
    },
  );

  app.delete(
    '/users/me',
    {
      ...authenticated,
      schema: {
        operationId: 'deleteMe',
        ...me,
        summary: 'Delete the account and everything it owns; needs current_password (and `code` when two-step verification is on)',
        body: DeleteMeBody,
        response: { 204: Type.Null(), 400: Detail, 401: Detail, 422: Detail, 429: Detail },
      },
    },
    async (request, reply) => {
      const { current_password, code } = request.body;
      await accounts.deleteOwn(callerOf(request).id, { currentPassword: current_password, code }, request.ip, requestContextOf(request));
      return reply.code(204).send(null);
    },
  );
};
