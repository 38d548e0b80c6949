import type { Static } from 'typebox';
import { RequestRefusedError, ForbiddenError, NotFoundError, DomainError } from '../../core/errors.js';
import { found } from '../../core/found.js';
import { isoStringOf } from '../../core/iso-instant.js';
import type { Principal } from '../../core/principal.js';
import { toUserSummary, type User, type UsersRepository } from '../identity/index.js';
import type { Cleaning, CleaningChanges, CleaningsRepository, CleaningType } from './cleanings.repository.js';
import { centsToAmount, parsePriceCents } from './money.js';
import type { Cleaning as CleaningView, CleaningWithOwner } from './cleanings.schemas.js';

export const cleaningNotFound = (): DomainError => new NotFoundError('No cleaning found with that id.');

export interface NewCleaningInput {
  name: string;
  description?: string | null;
  price: number | string;
  cleaning_type?: CleaningType;
}

export interface CleaningUpdateInput {
  name?: string;
  description?: string | null;
  price?: number | string;
  cleaning_type?: CleaningType | null;
}

/** A cleaning as the API shows it; `owner` is the owner's id, or their public user object on the detail route. */
export function toCleaningPublic(cleaning: Cleaning): Static<typeof CleaningView> {
  return {
    id: cleaning.id,
    name: cleaning.name,
    description: cleaning.description,
    price: centsToAmount(cleaning.priceCents),
    cleaning_type: cleaning.cleaningType,
    owner: cleaning.ownerId,
    created_at: isoStringOf(cleaning.createdAt),
    updated_at: isoStringOf(cleaning.updatedAt),
  };
}

/**
 * A cleaning with its owner, as the detail route and the feed show it (phresh's `CleaningPublic`): the owner's
 * public part only, whoever `viewer` is, and their email only when the viewer is the owner or a superuser.
 */
export function toCleaningWithOwner(
  cleaning: Cleaning,
  owner: Pick<User, 'id' | 'username' | 'email'>,
  viewer: Pick<Principal, 'id' | 'isSuperuser'>,
): Static<typeof CleaningWithOwner> {
  return { ...toCleaningPublic(cleaning), owner: toUserSummary(owner, viewer) };
}

export class CleaningsService {
  constructor(
    private readonly cleanings: CleaningsRepository,
    private readonly users: UsersRepository,
  ) {}

  async create(ownerId: string, input: NewCleaningInput) {
    const cleaning = await this.cleanings.create(ownerId, {
      name: input.name,
      description: input.description ?? null,
      priceCents: parsePriceCents(input.price, ['body', 'new_cleaning', 'price']),
      cleaningType: input.cleaning_type ?? 'spot_clean',
    });
    return toCleaningPublic(cleaning);
  }

  async listMine(ownerId: string) {
    return (await this.cleanings.listForOwner(ownerId)).map(toCleaningPublic);
  }

  /** Any signed-in user may read any job, as on a marketplace; the owner shows as their public part. */
  async get(id: number, viewer: Pick<Principal, 'id' | 'isSuperuser'>) {
    const cleaning = await this.require(id);
    const owner = await this.users.findById(cleaning.ownerId);
    // The foreign key cascades, so a job without an owner can only be one deleted a moment ago.
    if (owner === null) throw cleaningNotFound();
    return toCleaningWithOwner(cleaning, owner, viewer);
  }

  async require(id: number): Promise<Cleaning> {
    return found(await this.cleanings.findById(id), cleaningNotFound);
  }

  async update(callerId: string, id: number, input: CleaningUpdateInput) {
    const cleaning = await this.requireOwned(callerId, id);
    if (input.cleaning_type === null) throw new RequestRefusedError('Invalid cleaning type. Cannot be None.');
    const changes: CleaningChanges = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.description !== undefined) changes.description = input.description;
    if (input.price !== undefined) changes.priceCents = parsePriceCents(input.price, ['body', 'cleaning_update', 'price']);
    if (input.cleaning_type !== undefined) changes.cleaningType = input.cleaning_type;
    if (Object.keys(changes).length === 0) return toCleaningPublic(cleaning);
    // Strictly after creation even within the same millisecond or on a clock that stepped back, so every
    // change shows in the feed as an update event.
    const updatedAt = new Date(Math.max(Date.now(), cleaning.createdAt.getTime() + 1));
    const updated = await this.cleanings.update(id, callerId, changes, updatedAt);
    return toCleaningPublic(found(updated, cleaningNotFound));
  }

  async delete(callerId: string, id: number): Promise<void> {
    await this.requireOwned(callerId, id);
    if (!(await this.cleanings.delete(id, callerId))) throw cleaningNotFound();
  }

  private async requireOwned(callerId: string, id: number): Promise<Cleaning> {
    const cleaning = await this.require(id);
    if (cleaning.ownerId !== callerId) throw new ForbiddenError('Users are only able to modify cleanings that they own.');
    return cleaning;
  }
}
