import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpError } from '../../http/errors.js';
import { AccessTokenResponse, Credentials, Detail, SignUpBody, SignUpResponse } from './users.schemas.js';
import { emailNotVerifiedMessage, type UsersService } from './users.service.js';

/** The ToDo tutorial's account routes: sign-up and log-in by username. */
export const usersRoutes: FastifyPluginAsyncTypebox<{ users: UsersService }> = async (app, { users }) => {
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
      const user = await users.signUp(request.body.username, request.body.password, request.ip);
      return reply.code(201).send({ id: user.id, username: user.username });
    },
  );

  app.post(
    '/users/log-in',
    {
      schema: {
        operationId: 'logIn',
        tags: ['todo-users'],
        summary: 'Log in with username and password; returns a bearer token',
        body: Credentials,
        response: { 200: AccessTokenResponse, 401: Detail, 403: Detail, 422: Detail, 429: Detail, 503: Detail },
      },
    },
    async (request) => {
      const outcome = await users.logIn({
        identifier: request.body.username,
        password: request.body.password,
        address: request.ip,
        allowEmail: false,
      });
      if (outcome.ok) return { access_token: outcome.token };
      // Said only to someone who typed the right password; otherwise one answer for an unknown name, a wrong
      // password and a disabled account: nothing to enumerate.
      if (outcome.reason === 'not-verified') throw new HttpError(403, emailNotVerifiedMessage);
      throw new HttpError(401, 'Not Authorized', { 'WWW-Authenticate': 'Bearer' });
    },
  );
};
