import type { Static } from 'typebox';
import { isUuid } from '../../db/schema.js';
import type { User, UsersRepository } from './users.repository.js';
import type { UserPage } from './accounts.schemas.js';
import type { PublicUser } from './users.schemas.js';
import { toPublicUser } from './users.service.js';
import { notFound, type AccountChanges, type AccountUpdater } from './account-updater.js';

/** What superusers do to any account. Who may call it is for the routes to check. */
export class UsersAdminService {
  constructor(
    private readonly repository: UsersRepository,
    private readonly updater: AccountUpdater,
  ) {}

  async list(page: { offset: number; limit: number }): Promise<Static<typeof UserPage>> {
    const [items, total] = await Promise.all([this.repository.list(page), this.repository.count()]);
    return { items: items.map(toPublicUser), total, offset: page.offset, limit: page.limit };
  }

  async get(id: string): Promise<Static<typeof PublicUser>> {
    return toPublicUser(await this.find(id));
  }

  async update(id: string, changes: AccountChanges): Promise<Static<typeof PublicUser>> {
    return toPublicUser(await this.updater.update(await this.find(id), changes));
  }

  async delete(id: string): Promise<void> {
    await this.updater.delete(await this.find(id));
  }

  /** A malformed id names no account: 404 like a missing one (and never reaches PostgreSQL's uuid parser). */
  private async find(id: string): Promise<User> {
    const user = isUuid(id) ? await this.repository.findById(id.toLowerCase()) : null;
    return user ?? Promise.reject(notFound());
  }
}
