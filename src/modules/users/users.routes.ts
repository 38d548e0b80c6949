import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpError } from '../../http/errors.js';
import { AccessTokenResponse, Credentials, Detail, SignUpBody, SignUpResponse } from './users.schemas.js';
import type { UsersService } from './users.service.js';

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
        response: { 201: SignUpResponse, 400: Detail, 422: Detail },
      },
    },
    async (request, reply) => {
      const user = await users.signUp(request.body.username, request.body.password);
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
        response: { 200: AccessTokenResponse, 401: Detail, 422: Detail, 429: Detail },
      },
    },
    async (request) => {
      const user = await users.checkCredentials({
        identifier: request.body.username,
        password: request.body.password,
        address: request.ip,
        allowEmail: false,
      });
      // One answer for an unknown name, a wrong password and a disabled account: nothing to enumerate.
      if (user === null || !user.isActive) throw new HttpError(401, 'Not Authorized', { 'WWW-Authenticate': 'Bearer' });
      return { access_token: users.issueAccessToken(user) };
    },
  );
};
