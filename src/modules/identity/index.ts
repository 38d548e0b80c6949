/**
 * What the identity module offers the rest of the app: who users are, how a request is authenticated, the
 * account events other features react to, and the shared schemas of a user. Everything else in this folder is
 * its own business.
 */
export type { AccountEvent, AccountEventType } from './account-events.js';
export { AccountEvents } from './account-events.js';
export type { Authenticated } from './authenticator.js';
export { Authenticator } from './authenticator.js';
export type { TokenClaims } from './token-codec.js';
export type { User, UsersRepository } from './users.repository.js';
export { toPublicUser, toUserSummary } from './users.service.js';
export { Detail, PublicUser, UserSummary, Username } from './users.schemas.js';
export { Email } from './accounts.schemas.js';
export { createIdentity, type Identity } from './create-identity.js';
export { accountsRoutes } from './accounts.routes.js';
export { usersAdminRoutes } from './users-admin.routes.js';
export { usersRoutes } from './users.routes.js';
export { pruneExpired } from './prune.js';
export { sessionsRoutes } from './sessions.routes.js';
export type { SessionsService } from './sessions.service.js';
