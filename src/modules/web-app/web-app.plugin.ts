import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface WebAppOptions {
  /** The built app: index.html and assets/ (Vite's output). */
  root: string;
}

/**
 * The web app's own policy. Everything is bundled and served from here: scripts and styles only from our files
 * (no inline ones), API calls to this origin only. Images may also come over HTTPS because a profile's picture is
 * a URL its owner chose.
 */
export const webAppContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join(';');

/** Where the app lives; `GET /` sends browsers here. */
export const webAppPrefix = '/app/';

/** True when a browser asks for a page: it lists text/html in Accept, which API clients (curl, fetch) do not. */
export function wantsHtml(request: FastifyRequest): boolean {
  return /\btext\/html\b/.test(request.headers.accept ?? '');
}

/** The built app exists at root (so a fresh checkout before its first build still starts, without the app). */
export function webAppBuilt(root: string): boolean {
  return fs.existsSync(path.join(root, 'index.html'));
}

/**
 * Serves the single-page app; register it with `prefix: '/app'`. It is its own its own encapsulated plugin so its CSP replaces the API's
 * `default-src 'none'` on these responses only. Hashed assets are cached for a year; index.html is revalidated
 * each time, so a new build is picked up at once. Any other path under /app/ that is not a file (a deep link such
 * as /app/cleanings/12) gets index.html, and the app's router takes it from there. Vite writes .br and .gz twins
 * of each asset, which are sent to browsers that accept them.
 */
export async function webAppPlugin(app: FastifyInstance, { root }: WebAppOptions): Promise<void> {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', webAppContentSecurityPolicy);
    return payload;
  });

  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    preCompressed: true,
    // The index is the fallback below, so its cache header is set in one place.
    index: false,
    cacheControl: false,
    setHeaders: (reply, filePath) => {
      const immutable = filePath.startsWith(path.join(root, 'assets') + path.sep);
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  const sendIndex = (_request: FastifyRequest, reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html', root, { cacheControl: false });

  app.get('/', { schema: { hide: true } }, sendIndex);

  // Missing assets stay 404s (a stale page asking for an old chunk must not get HTML back); page paths load the app.
  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?', 1)[0] ?? '';
    if ((request.method === 'GET' || request.method === 'HEAD') && !pathname.startsWith(`${webAppPrefix}assets/`) && !path.extname(pathname)) {
      return sendIndex(request, reply);
    }
    return reply.code(404).send({ detail: 'Not Found' });
  });
}
