import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bearerSecurity, callerOf, requireUser } from '../../http/authentication.js';
import { type Authenticator, Detail } from '../identity/index.js';
import { FeedQuery, FeedResponse } from './feed.schemas.js';
import type { FeedService } from './feed.service.js';

export const feedRoutes: FastifyPluginAsyncTypebox<{ feed: FeedService; authenticator: Authenticator }> = async (app, { feed, authenticator }) => {
  app.addHook('onRequest', requireUser(authenticator));

  app.get(
    '/feed/cleanings',
    {
      schema: {
        operationId: 'getCleaningFeed',
        tags: ['feed'],
        security: bearerSecurity,
        summary: 'Cleaning jobs created and updated, newest first, one page at a time',
        description:
          'A JSON array, as phresh answers. When more events follow, a `Link: <…>; rel="next"` header (RFC 8288) gives the next page\'s URL; following it never skips or repeats an event, even when timestamps tie.',
        querystring: FeedQuery,
        response: { 200: FeedResponse, 401: Detail, 422: Detail },
      },
    },
    async (request, reply) => {
      const { page_chunk_size, cursor, starting_date } = request.query;
      const page = await feed.cleanings({
        viewer: callerOf(request),
        chunkSize: page_chunk_size,
        ...(cursor !== undefined ? { cursor } : {}),
        ...(starting_date !== undefined ? { startingDate: starting_date } : {}),
      });
      if (page.nextCursor !== null) {
        // A path without scheme and host (RFC 8288 allows a relative reference), so it holds for whatever host the client used.
        // Built by hand, not with URLSearchParams (a few µs per page): the size is an integer and the cursor base64url.
        const queryStart = request.url.indexOf('?');
        const path = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
        void reply.header('Link', `<${path}?page_chunk_size=${page_chunk_size}&cursor=${encodeURIComponent(page.nextCursor)}>; rel="next"`);
      }
      return page.items;
    },
  );
};
