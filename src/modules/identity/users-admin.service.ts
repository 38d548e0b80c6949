import type { Static } from 'typebox';
import type { RequestContext } from '../../core/request-context.js';
import { isUuid } from '../../db/schema.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { User, UsersRepository } from './users.repository.js';
import type { UserPage } from './accounts.schemas.js';
import type { PublicUser } from './users.schemas.js';
import { toPublicUser } from './users.service.js';
import type { SessionsService } from './sessions.service.js';
import type { SessionView } from './sessions.schemas.js';
import { notFound, type AccountChanges, type AccountUpdater } from './account-updater.js';

export interface UsersAdminDeps {
  repository: UsersRepository;
  updater: AccountUpdater;
  sessions: SessionsService;
  audit: AuditLog;
}

/**
 * What superusers do to any account. Who may call it is for the routes to check. Changes are audited where they
 * are made (AccountUpdater, SessionsService); reads are audited here, one event each, the superuser as actor.
 */
export class UsersAdminService {
  constructor(private readonly deps: UsersAdminDeps) {}

  /** A page of every account, or of those whose name or email contains `search`; `total` counts the same set. */
  async list(page: { offset: number; limit: number }, search: string | undefined, context: RequestContext | null): Promise<Static<typeof UserPage>> {
    const [items, total] = await Promise.all([this.deps.repository.list(page, search), this.deps.repository.count(search)]);
    const detail = { offset: page.offset, limit: page.limit, ...(search === undefined ? {} : { search }) };
    await this.deps.audit.record('admin.users_listed', { subjectId: null, detail }, context);
    return { items: items.map(toPublicUser), total, offset: page.offset, limit: page.limit };
  }

  async get(id: string, context: RequestContext | null): Promise<Static<typeof PublicUser>> {
    const user = await this.find(id);
    await this.deps.audit.record('admin.user_read', { subjectId: user.id }, context);
    return toPublicUser(user);
  }

  /** The account's live sessions; `currentId` is the session of the superuser's own token. */
  async listSessions(id: string, currentId: string | null, context: RequestContext | null): Promise<Static<typeof SessionView>[]> {
    const user = await this.find(id);
    await this.deps.audit.record('admin.sessions_listed', { subjectId: user.id }, context);
    return this.deps.sessions.list(user.id, currentId);
  }

  /** Ends every session of the account (each ending is audited with the superuser as actor). */
  async endSessions(id: string, context: RequestContext | null): Promise<void> {
    await this.deps.sessions.endAll((await this.find(id)).id, 'revoked-by-superuser', context);
  }

  async update(id: string, changes: AccountChanges, context: RequestContext | null): Promise<Static<typeof PublicUser>> {
    return toPublicUser(await this.deps.updater.update(await this.find(id), changes, context));
  }

  async delete(id: string, context: RequestContext | null): Promise<void> {
    await this.deps.updater.delete(await this.find(id), context);
  }

  /** A malformed id names no account: 404 like a missing one (and never reaches PostgreSQL's uuid parser). */
  private async find(id: string): Promise<User> {
    const user = isUuid(id) ? await this.deps.repository.findById(id.toLowerCase()) : null;
    return user ?? Promise.reject(notFound());
  }
}
