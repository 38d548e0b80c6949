import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who is asking and from where, for the audit log: set by the HTTP layer when a request starts (address, user
 * agent, request id) and completed once its token checks out (actor, session). Services read it instead of
 * every signature carrying it; outside a request (the command line, a job) there is none, and the actor is the
 * system.
 */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  actorId: string | null;
  actorIsSuperuser: boolean;
  sessionId: string | null;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/** Starts a context for the rest of the current asynchronous flow (a Fastify onRequest hook). */
export function enterRequestContext(context: RequestContext): void {
  storage.enterWith(context);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
