import { isUuid } from '../../db/schema.js';
import type { User, UsersRepository } from './users.repository.js';
import { notFound, type AccountChanges, type AccountUpdater } from './account-updater.js';

/** What superusers do to any account. Who may call it is for the routes to check. */
export class UsersAdminService {
  constructor(
    private readonly repository: UsersRepository,
    private readonly updater: AccountUpdater,
  ) {}

  /** A page of every account, or of those whose name or email contains `search`; `total` counts the same set. */
  async list(page: { offset: number; limit: number }, search?: string): Promise<{ items: User[]; total: number }> {
    const [items, total] = await Promise.all([this.repository.list(page, search), this.repository.count(search)]);
    return { items, total };
  }

  /** A malformed id names no account: 404 like a missing one (and never reaches PostgreSQL's uuid parser). */
  async get(id: string): Promise<User> {
    const user = isUuid(id) ? await this.repository.findById(id.toLowerCase()) : null;
    return user ?? Promise.reject(notFound());
  }

  async update(id: string, changes: AccountChanges): Promise<User> {
    return this.updater.update(await this.get(id), changes);
  }

  async delete(id: string): Promise<void> {
    await this.updater.delete(await this.get(id));
  }
}
