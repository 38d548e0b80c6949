import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The API answers JSON only, so its Content-Security-Policy forbids everything a browser could load or frame;
 * the Swagger UI pages under /docs replace it with their own policy (see docsContentSecurityPolicy).
 */
const apiHelmetOptions: Readonly<HelmetOptions> = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
    },
  },
};

/**
 * The headers helmet sets for these options, worked out once by running its middleware against a recording
 * response. Helmet's headers depend on its options only, never on the request; @fastify/helmet would rebuild
 * them (parsing the CSP directives again) on every request, which was a measurable share of a small response.
 */
export function helmetHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  return headers;
}

/** Helmet's security headers on every response, including errors and requests that match no route. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  const headers = helmetHeaders(apiHelmetOptions);
  app.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
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
