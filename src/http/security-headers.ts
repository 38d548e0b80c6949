import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Helmet's security headers on every response. The API answers JSON only, so its Content-Security-Policy
 * forbids everything a browser could load or frame; the Swagger UI pages under /docs replace it with their own
 * policy (see docsContentSecurityPolicy).
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
      },
    },
  });
}

/**
 * Options for @fastify/swagger-ui: its own policy for the UI (scripts and styles from /docs/static only), minus
 * `upgrade-insecure-requests`, which would make a browser fetch those assets over HTTPS from a server reached over
 * plain HTTP (local runs, or behind a load balancer that terminates TLS) and leave the page blank.
 */
export const docsContentSecurityPolicy = {
  staticCSP: true,
  transformStaticCSP: (header: string) => header.replace(/\s*upgrade-insecure-requests;?/g, '').trim(),
} as const;
