/**
 * Who is asking and from where, for the audit log and security notices: the request's address, user agent and
 * id, and the actor and session once its token checks out. The HTTP layer builds it (requestContextOf) and route
 * handlers hand it to every service method that records an event or tells an owner something. Outside a request
 * (the command line, a job) there is none: callers pass null, and the actor is the system.
 *
 * Passed explicitly rather than kept in an AsyncLocalStorage: on Node 20 merely enabling one installs promise
 * hooks that run on every promise the process creates, the largest single cost of a request.
 */
export interface RequestContext {
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly requestId: string | null;
  readonly actorId: string | null;
  readonly actorIsSuperuser: boolean;
  readonly sessionId: string | null;
}
