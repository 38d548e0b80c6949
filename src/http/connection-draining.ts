import type { FastifyInstance } from 'fastify';

/**
 * Lets the process exit promptly once it has finished its requests in flight. Closing the server stops new
 * connections and drops idle keep-alive ones, but a connection busy with a request at that moment would, after
 * its response, sit idle for the whole keep-alive timeout (72 s) and hold `app.close()` open. Answering those last
 * responses with `Connection: close` makes Node end each such connection as soon as its response is sent, and
 * tells the client (or load balancer) to open its next connection elsewhere.
 */
export function registerConnectionDraining(app: FastifyInstance): void {
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  // Callback style rather than async: this runs on every response, and nearly always does nothing.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) void reply.header('connection', 'close');
    done(null, payload);
  });
}
