import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Headers of the inner response that describe its own in-memory connection rather than the content. */
const connectionHeaders = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date', 'content-length']);

export interface DocsUiOptions {
  /** Where the UI is served, e.g. `/docs`. */
  prefix: string;
  /** The API's finished OpenAPI document. */
  document: () => unknown;
  /** Options for @fastify/swagger-ui (its uiConfig, its own Content-Security-Policy). */
  uiOptions: Record<string, unknown>;
}

/**
 * Swagger UI under `prefix`, loaded at its first request. @fastify/swagger-ui and its static file server cost
 * start-up time and memory, and most processes (production, tests, the CLI) never serve a page of it. The UI
 * runs in a small Fastify app of its own, built from the finished OpenAPI document; this app's routes forward
 * /docs requests to it in memory, so the API's own hooks (rate limit, security headers, logging) still apply and
 * the UI's Content-Security-Policy replaces the API's on its pages.
 */
export function registerDocsUi(app: FastifyInstance, { prefix, document, uiOptions }: DocsUiOptions): void {
  let ui: Promise<FastifyInstance> | undefined;
  const load = async () => {
    const [{ default: Fastify }, { default: swagger }, { default: swaggerUi }] = await Promise.all([
      import('fastify'),
      import('@fastify/swagger'),
      import('@fastify/swagger-ui'),
    ]);
    const instance = Fastify({ logger: false });
    await instance.register(swagger, { mode: 'static', specification: { document: document() as never } });
    await instance.register(swaggerUi, { routePrefix: prefix, ...uiOptions });
    await instance.ready();
    return instance;
  };

  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    // A failed load is not kept, so the next request tries again.
    ui ??= load().catch((error: unknown) => {
      ui = undefined;
      throw error;
    });
    const response = await (await ui).inject({ method: request.method as 'GET' | 'HEAD', url: request.url, headers: { accept: request.headers.accept ?? '*/*' } });
    // The inner app's 404 has Fastify's own shape; the API answers {"detail": "Not Found"} from its one handler.
    if (response.statusCode === 404) return reply.callNotFound();
    for (const [name, value] of Object.entries(response.headers)) {
      if (!connectionHeaders.has(name) && value !== undefined) void reply.header(name, value);
    }
    return reply.code(response.statusCode).send(response.rawPayload);
  };
  app.get(prefix, { schema: { hide: true } }, forward);
  app.get(`${prefix}/*`, { schema: { hide: true } }, forward);
}
