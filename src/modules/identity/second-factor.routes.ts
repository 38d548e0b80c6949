import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { bearerSecurity, callerOf, requireSuperuser, requireUser } from '../../http/authentication.js';
import { requestContextOf } from '../../http/request-context.js';
import type { Authenticator } from './authenticator.js';
import { registerRefreshCookie, sendTokenPair } from './refresh-cookie.js';
import {
  CurrentPasswordBody,
  MfaLogInBody,
  RecoveryCodes,
  SecondFactorProofBody,
  TargetUserParams,
  TotpConfirmBody,
  TotpEnrolment,
} from './second-factor.schemas.js';
import type { SecondFactorService } from './second-factor.service.js';
import { TokenPairResponse } from './sessions.schemas.js';
import { Detail } from './users.schemas.js';

export interface SecondFactorRoutesOptions {
  secondFactor: SecondFactorService;
  authenticator: Authenticator;
  /** SESSION_MAX_SECONDS: the refresh cookie lives no longer than a session can. */
  cookieMaxAgeSeconds: number;
}

/** TOTP enrolment and removal for the caller, the second step of a log-in, and superusers turning a user's TOTP off. */
export const secondFactorRoutes: FastifyPluginAsyncTypebox<SecondFactorRoutesOptions> = async (app, { secondFactor, authenticator, cookieMaxAgeSeconds }) => {
  await registerRefreshCookie(app);
  const authenticated = { onRequest: requireUser(authenticator) };
  const me = { tags: ['second factor'], security: bearerSecurity };

  app.post(
    '/users/me/mfa/totp',
    {
      ...authenticated,
      schema: {
        ...me,
        operationId: 'startTotpEnrolment',
        summary: 'Start TOTP enrolment: a new secret, its otpauth:// URI and a QR code; nothing changes until confirmed',
        description: 'Needs current_password. Starting again replaces an enrolment not yet confirmed; 409 MFA_ALREADY_ENABLED once TOTP is on.',
        body: CurrentPasswordBody,
        response: { 200: TotpEnrolment, 400: Detail, 401: Detail, 409: Detail, 422: Detail, 429: Detail },
      },
    },
    async (request) => secondFactor.startEnrolment(callerOf(request).id, request.body.current_password, request.ip, requestContextOf(request)),
  );

  app.post(
    '/users/me/mfa/totp/confirm',
    {
      ...authenticated,
      schema: {
        ...me,
        operationId: 'confirmTotp',
        summary: 'Turn TOTP on with a first code from the app; answers ten recovery codes, shown this once',
        description: '400 MFA_CODE_INVALID for a wrong code (wrong codes are throttled per account: 429); 409 MFA_ENROLMENT_NOT_STARTED without a pending enrolment.',
        body: TotpConfirmBody,
        response: { 200: RecoveryCodes, 400: Detail, 401: Detail, 409: Detail, 422: Detail, 429: Detail },
      },
    },
    async (request) => secondFactor.confirm(callerOf(request).id, request.body.code, requestContextOf(request)),
  );

  app.delete(
    '/users/me/mfa/totp',
    {
      ...authenticated,
      schema: {
        ...me,
        operationId: 'disableTotp',
        summary: 'Turn TOTP off; needs current_password and a code (a TOTP code or a recovery code)',
        body: SecondFactorProofBody,
        response: { 204: Type.Null(), 400: Detail, 401: Detail, 409: Detail, 422: Detail, 429: Detail },
      },
    },
    async (request, reply) => {
      const { current_password, code } = request.body;
      await secondFactor.disable(callerOf(request).id, { currentPassword: current_password, code }, request.ip, requestContextOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/users/me/mfa/recovery-codes',
    {
      ...authenticated,
      schema: {
        ...me,
        operationId: 'replaceRecoveryCodes',
        summary: 'Ten new recovery codes in place of the old ones; needs current_password and a code',
        body: SecondFactorProofBody,
        response: { 200: RecoveryCodes, 400: Detail, 401: Detail, 409: Detail, 422: Detail, 429: Detail },
      },
    },
    async (request) => {
      const { current_password, code } = request.body;
      return secondFactor.replaceRecoveryCodes(callerOf(request).id, { currentPassword: current_password, code }, request.ip, requestContextOf(request));
    },
  );

  app.post(
    '/auth/mfa',
    {
      schema: {
        tags: ['auth'],
        operationId: 'logInSecondFactor',
        summary: 'Finish a log-in that answered LOGIN_MFA_REQUIRED: the mfa_token and a code (or a recovery code)',
        description:
          'Answers what a log-in answers, and starts the session. The mfa_token lives MFA_TOKEN_TTL_SECONDS (default 5 minutes), ' +
          'works once and allows MFA_TOKEN_MAX_ATTEMPTS codes (default 5); ' +
          'a wrong code is 400 MFA_CODE_INVALID, an unknown, expired, used or exhausted token 401 MFA_TOKEN_INVALID. ' +
          'With refresh_cookie (here or on the log-in) the refresh token comes in the HttpOnly cookie.',
        body: MfaLogInBody,
        response: { 200: TokenPairResponse, 400: Detail, 401: Detail, 422: Detail, 429: Detail, 503: Detail },
      },
    },
    async (request, reply) => {
      const { mfa_token, code, recovery_code, refresh_cookie } = request.body;
      const { pair, refreshCookie } = await secondFactor.completeLogIn(
        mfa_token,
        { totp: code, recoveryCode: recovery_code },
        { ip: request.ip, userAgent: request.headers['user-agent'] },
        requestContextOf(request),
      );
      return sendTokenPair(reply, pair, refreshCookie || refresh_cookie === true, cookieMaxAgeSeconds);
    },
  );

  app.delete(
    '/users/:id/mfa/totp',
    {
      onRequest: [requireUser(authenticator), requireSuperuser],
      schema: {
        tags: ['users (superusers)'],
        security: bearerSecurity,
        operationId: 'disableUserTotp',
        summary: "Turn a user's TOTP off (a lost phone); audited, and the user is mailed",
        params: TargetUserParams,
        response: { 204: Type.Null(), 401: Detail, 403: Detail, 404: Detail, 409: Detail },
      },
    },
    async (request, reply) => {
      await secondFactor.disableBySuperuser(request.params.id, requestContextOf(request));
      return reply.code(204).send(null);
    },
  );
};
