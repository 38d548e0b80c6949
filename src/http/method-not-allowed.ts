import type { FastifyInstance } from 'fastify';

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * The methods some route answers at this concrete path, for a 405 with `Allow` as Starlette gives when only
 * the method is wrong. OPTIONS is listed only beside another method: CORS registers it for every path, which
 * must not turn every unknown path into a 405.
 */
export function allowedMethods(app: FastifyInstance, url: string): string[] {
  const path = url.split('?', 1)[0] ?? '/';
  const allowed: string[] = methods.filter((method) => app.findRoute({ method, url: path }) !== null);
  if (allowed.length > 0 && app.findRoute({ method: 'OPTIONS', url: path }) !== null) allowed.push('OPTIONS');
  return allowed;
}
