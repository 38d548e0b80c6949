import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bearerSecurity, callerOf, requireUser } from '../../http/authentication.js';
import { requestContextOf } from '../../http/request-context.js';
import { type Authenticator, Detail } from '../identity/index.js';
import { RequestCodeBody, RequestCodeResponse, VerifiedUser, VerifyCodeBody } from './email-verification.schemas.js';
import type { EmailVerificationService } from './email-verification.service.js';

/** The ToDo tutorial's email verification by one-time code. The code is emailed, never returned. */
export const emailVerificationRoutes: FastifyPluginAsyncTypebox<{
  emailVerification: EmailVerificationService;
  authenticator: Authenticator;
}> = async (app, { emailVerification, authenticator }) => {
  app.addHook('onRequest', requireUser(authenticator));
  const common = { tags: ['todo-users'], security: bearerSecurity };

  app.post(
    '/users/email/otp',
    {
      schema: {
        operationId: 'requestEmailCode',
        ...common,
        summary: 'Email a one-time code to an address, to prove it is yours',
        body: RequestCodeBody,
        response: { 200: RequestCodeResponse, 401: Detail, 409: Detail, 422: Detail, 429: Detail, 503: Detail },
      },
    },
    async (request) => emailVerification.requestCode(callerOf(request).id, request.body.email),
  );

  app.post(
    '/users/email/otp/verify',
    {
      schema: {
        operationId: 'verifyEmailCode',
        ...common,
        summary: 'Check the emailed code; the address is then saved on your account as verified',
        body: VerifyCodeBody,
        response: { 200: VerifiedUser, 400: Detail, 401: Detail, 404: Detail, 409: Detail, 422: Detail, 503: Detail },
      },
    },
    async (request) => emailVerification.verify(callerOf(request).id, request.body.email, request.body.otp, requestContextOf(request)),
  );
};
