import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bearerSecurity, requireUser } from '../../http/authentication.js';
import type { Authenticator } from '../auth/authenticator.js';
import { Detail } from '../users/users.schemas.js';
import { FeedPage, FeedQuery } from './feed.schemas.js';
import type { FeedService } from './feed.service.js';

export const feedRoutes: FastifyPluginAsyncTypebox<{ feed: FeedService; authenticator: Authenticator }> = async (app, { feed, authenticator }) => {
  app.addHook('onRequest', requireUser(authenticator));

  app.get(
    '/feed/cleanings',
    {
      schema: {
        tags: ['feed'],
        security: bearerSecurity,
        summary: 'Cleaning jobs created and updated, newest first, one page at a time',
        querystring: FeedQuery,
        response: { 200: FeedPage, 401: Detail, 422: Detail },
      },
    },
    async (request) => {
      const { page_chunk_size, cursor, starting_date } = request.query;
      return feed.cleanings({
        chunkSize: page_chunk_size,
        ...(cursor !== undefined ? { cursor } : {}),
        ...(starting_date !== undefined ? { startingDate: starting_date } : {}),
      });
    },
  );
};
