import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';

export interface ReadinessCheck {
  name: string;
  /**
   * Resolves true when the dependency answers, false when it does not, or a word for another state (such as
   * "pending" migrations); must not take longer than a couple of seconds.
   */
  check(): Promise<boolean | string>;
}

const Checks = Type.Object({ status: Type.String(), checks: Type.Record(Type.String(), Type.String()) }, { title: 'Readiness' });

export interface HealthOptions {
  readiness: ReadinessCheck[];
  /** Where `GET /` sends a browser (a request that accepts text/html), when the web app is served. */
  browserHome?: { path: string; wantsHtml: (request: FastifyRequest) => boolean };
}

export const healthRoutes: FastifyPluginAsyncTypebox<HealthOptions> = async (app, { readiness, browserHome }) => {
  // API clients keep the seed's {"ping":"pong"}; a person typing the address gets the web app.
  app.get(
    '/',
    {
      schema: {
        operationId: 'ping',
        tags: ['health'],
        summary: 'Answers {"ping": "pong"}: the API is there (a browser asking for HTML is sent to the web app)',
        response: { 200: Type.Object({ ping: Type.String() }), 302: Type.Null() },
      },
    },
    async (request, reply) => {
      if (browserHome === undefined) return { ping: 'pong' };
      reply.header('vary', 'Accept');
      if (browserHome.wantsHtml(request)) return reply.redirect(browserHome.path, 302);
      return { ping: 'pong' };
    },
  );

  app.get(
    '/health',
    { schema: { operationId: 'health', tags: ['health'], summary: 'Liveness: the process is up', response: { 200: Type.Object({ status: Type.String() }) } } },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/ready',
    { schema: { operationId: 'ready', tags: ['health'], summary: 'Readiness: every backing service answers', response: { 200: Checks, 503: Checks } } },
    async (_request, reply) => {
      const stateOf = (result: boolean | string) => (result === true ? 'ok' : result === false ? 'unavailable' : result);
      const results = await Promise.all(readiness.map(async (r) => [r.name, stateOf(await r.check().catch(() => false))] as const));
      const ready = results.every(([, state]) => state === 'ok');
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks: Object.fromEntries(results) });
    },
  );
};
