import type { FastifyInstance } from 'fastify';

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * The methods routed for one path, for an `Allow` header: asked of the router itself, so the header never drifts
 * from the routes. `url` is the route's full pattern, as in request.routeOptions.url.
 */
export function allowedMethods(app: FastifyInstance, url: string): string {
  return methods.filter((method) => app.hasRoute({ method, url })).join(', ');
}

/**
 * The methods some route answers at a concrete request path, for a 405 with `Allow` as Starlette gives when
 * only the method is wrong. OPTIONS counts only beside another method: CORS routes it for every path, which
 * must not turn every unknown path into a 405.
 */
export function methodsAtPath(app: FastifyInstance, requestUrl: string): string[] {
  const url = requestUrl.split('?', 1)[0] ?? '/';
  const found = methods.filter((method) => method !== 'OPTIONS' && app.findRoute({ method, url }) !== null);
  return found.length > 0 && app.findRoute({ method: 'OPTIONS', url }) !== null ? [...found, 'OPTIONS'] : found;
}
