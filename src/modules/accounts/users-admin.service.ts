import { isUuid } from '../../db/schema.js';
import type { User, UsersRepository } from '../users/users.repository.js';
import { notFound, type AccountChanges, type AccountUpdater } from './account-updater.js';

/** What superusers do to any account. Who may call it is for the routes to check. */
export class UsersAdminService {
  constructor(
    private readonly repository: UsersRepository,
    private readonly updater: AccountUpdater,
  ) {}

  async list(page: { offset: number; limit: number }): Promise<{ items: User[]; total: number }> {
    const [items, total] = await Promise.all([this.repository.list(page), this.repository.count()]);
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
