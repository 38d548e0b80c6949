import type { Static } from 'typebox';
import { isoStringOf } from '../../core/iso-instant.js';
import { isForeignKeyViolation, isUniqueViolation } from '../../db/errors.js';
import { RequestRefusedError, ForbiddenError, NotFoundError, DomainError } from '../../core/errors.js';
import { found } from '../../core/found.js';
import type { Principal } from '../../core/principal.js';
import type { Cleaning, CleaningsRepository } from '../cleanings/cleanings.repository.js';
import { cleaningNotFound } from '../cleanings/cleanings.service.js';
import type { UsersRepository } from '../identity/index.js';
import type { Offer, OffersRepository } from './offers.repository.js';
import type { Offer as OfferView } from './offers.schemas.js';

export const offerNotFound = (): DomainError => new NotFoundError('No offer found for that user on this cleaning job.');
const alreadyAccepted = (): DomainError => new RequestRefusedError('This cleaning job already has an accepted offer.');

export function toOfferPublic(offer: Offer): Static<typeof OfferView> {
  return {
    cleaning_id: offer.cleaningId,
    user_id: offer.userId,
    username: offer.username,
    status: offer.status,
    created_at: isoStringOf(offer.createdAt),
    updated_at: isoStringOf(offer.updatedAt),
  };
}

export interface OffersServiceDeps {
  offers: OffersRepository;
  cleanings: CleaningsRepository;
  users: UsersRepository;
}

/**
 * The offer lifecycle: pending -> accepted (by the job's owner; the other pending offers become rejected) ->
 * cancelled (by the maker; the rejected ones become pending again) or completed (by the owner's evaluation).
 * A pending offer may be rescinded (deleted) by its maker. Every change of several offers of one job runs in one
 * transaction that first locks the job's row, so concurrent requests on one job take turns.
 */
export class OffersService {
  constructor(private readonly deps: OffersServiceDeps) {}

  async create(caller: Principal, cleaningId: number) {
    const cleaning = await this.requireCleaning(cleaningId);
    if (cleaning.ownerId === caller.id) throw new RequestRefusedError('Users are unable to create offers for cleaning jobs they own.');
    try {
      return toOfferPublic(await this.deps.offers.create(cleaningId, caller.id));
    } catch (error) {
      if (isUniqueViolation(error)) throw new RequestRefusedError('Users are not allowed to make more than one offer for a cleaning job.');
      // The job was deleted between the check and the insert.
      if (isForeignKeyViolation(error)) throw cleaningNotFound();
      throw error;
    }
  }

  async list(caller: Principal, cleaningId: number) {
    const cleaning = await this.requireCleaning(cleaningId);
    if (cleaning.ownerId !== caller.id) throw new ForbiddenError('Only the owner of a cleaning job can list its offers.');
    return (await this.deps.offers.listForCleaning(cleaningId)).map(toOfferPublic);
  }

  /** The job's owner and the offer's maker may read it; anyone else hears 403 whether or not the offer exists. */
  async get(caller: Principal, cleaningId: number, username: string) {
    const cleaning = await this.requireCleaning(cleaningId);
    const maker = await this.deps.users.findByUsername(username);
    if (cleaning.ownerId !== caller.id && maker?.id !== caller.id) {
      throw new ForbiddenError('Only the owner of the cleaning job or the maker of the offer can read it.');
    }
    const offer = maker === null ? null : await this.deps.offers.find(cleaningId, maker.id);
    if (offer === null) throw offerNotFound();
    return toOfferPublic(offer);
  }

  async accept(caller: Principal, cleaningId: number, username: string) {
    const cleaning = await this.requireCleaning(cleaningId);
    if (cleaning.ownerId !== caller.id) throw new ForbiddenError('Only the owner of the cleaning job can accept an offer.');
    const maker = found(await this.deps.users.findByUsername(username), offerNotFound);
    const { offers } = this.deps;
    try {
      await offers.transaction(async (trx) => {
        if ((await this.deps.cleanings.lockById(trx, cleaningId)) === null) throw cleaningNotFound();
        const offer = found(await offers.find(cleaningId, maker.id, trx), offerNotFound);
        if (await offers.hasAccepted(trx, cleaningId)) throw alreadyAccepted();
        if (offer.status !== 'pending') throw new RequestRefusedError('Only a pending offer can be accepted.');
        if (!(await offers.transition(trx, cleaningId, maker.id, 'pending', 'accepted'))) throw alreadyAccepted();
        await offers.transitionOthers(trx, cleaningId, maker.id, 'pending', 'rejected');
      });
    } catch (error) {
      // The partial unique index is the last word if two acceptances ever got past the lock.
      if (isUniqueViolation(error)) throw alreadyAccepted();
      throw error;
    }
    return toOfferPublic(found(await offers.find(cleaningId, maker.id), offerNotFound));
  }

  async cancel(caller: Principal, cleaningId: number, username: string) {
    await this.requireCleaning(cleaningId);
    const maker = this.requireCallerIsMaker(caller, username, 'Only the user who made an offer can cancel it.');
    const { offers } = this.deps;
    await offers.transaction(async (trx) => {
      if ((await this.deps.cleanings.lockById(trx, cleaningId)) === null) throw cleaningNotFound();
      const offer = found(await offers.find(cleaningId, maker, trx), offerNotFound);
      if (offer.status !== 'accepted' || !(await offers.transition(trx, cleaningId, maker, 'accepted', 'cancelled'))) {
        throw new RequestRefusedError('Only an accepted offer can be cancelled.');
      }
      await offers.transitionOthers(trx, cleaningId, maker, 'rejected', 'pending');
    });
    return toOfferPublic(found(await offers.find(cleaningId, maker), offerNotFound));
  }

  async rescind(caller: Principal, cleaningId: number, username: string): Promise<void> {
    await this.requireCleaning(cleaningId);
    const maker = this.requireCallerIsMaker(caller, username, 'Only the user who made an offer can rescind it.');
    const { offers } = this.deps;
    await offers.transaction(async (trx) => {
      const offer = found(await offers.find(cleaningId, maker, trx), offerNotFound);
      if (offer.status !== 'pending' || !(await offers.deleteIfPending(trx, cleaningId, maker))) {
        throw new RequestRefusedError('Only a pending offer can be rescinded; cancel an accepted one instead.');
      }
    });
  }

  private async requireCleaning(id: number): Promise<Cleaning> {
    return found(await this.deps.cleanings.findById(id), cleaningNotFound);
  }

  /** The caller's id when `username` names the caller (in any letter case), otherwise 403. */
  private requireCallerIsMaker(caller: Principal, username: string, message: string): string {
    if (username.toLowerCase() !== caller.username.toLowerCase()) throw new ForbiddenError(message);
    return caller.id;
  }
}
