import type { FastifyInstance } from 'fastify';

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * The methods routed for one path, for an `Allow` header: asked of the router itself, so the header never drifts
 * from the routes. `url` is the route's full pattern, as in request.routeOptions.url.
 */
export function allowedMethods(app: FastifyInstance, url: string): string {
  return methods.filter((method) => app.hasRoute({ method, url })).join(', ');
}
