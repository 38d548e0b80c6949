import type { Kysely, Transaction } from 'kysely';
import { toDate, type Database, type OfferRow, type OfferStatus } from '../../db/schema.js';

export interface Offer {
  cleaningId: number;
  userId: string;
  username: string;
  status: OfferStatus;
  createdAt: Date;
  updatedAt: Date;
}

function toOffer(row: OfferRow & { username: string }): Offer {
  return {
    cleaningId: row.cleaning_id,
    userId: row.user_id,
    username: row.username,
    status: row.status,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

export class OffersRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Runs `work` in one transaction: the offer rules that change several rows go through here. */
  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  private selectOffers(db: Kysely<Database>) {
    return db.selectFrom('offers').innerJoin('users', 'users.id', 'offers.user_id').selectAll('offers').select('users.username');
  }

  async create(cleaningId: number, userId: string): Promise<Offer> {
    const now = new Date();
    await this.db
      .insertInto('offers')
      .values({ cleaning_id: cleaningId, user_id: userId, status: 'pending', created_at: now, updated_at: now })
      .execute();
    return (await this.find(cleaningId, userId)) as Offer;
  }

  async find(cleaningId: number, userId: string, db: Kysely<Database> = this.db): Promise<Offer | null> {
    const row = await this.selectOffers(db)
      .where('offers.cleaning_id', '=', cleaningId)
      .where('offers.user_id', '=', userId)
      .executeTakeFirst();
    return row === undefined ? null : toOffer(row);
  }

  async listForCleaning(cleaningId: number): Promise<Offer[]> {
    const rows = await this.selectOffers(this.db)
      .where('offers.cleaning_id', '=', cleaningId)
      .orderBy('offers.created_at')
      .orderBy('offers.user_id')
      .execute();
    return rows.map(toOffer);
  }

  async hasAccepted(trx: Kysely<Database>, cleaningId: number): Promise<boolean> {
    const row = await trx
      .selectFrom('offers')
      .select('user_id')
      .where('cleaning_id', '=', cleaningId)
      .where('status', '=', 'accepted')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Moves one offer from `from` to `to` only if it is still in `from`; false when another request got there first. */
  async transition(trx: Kysely<Database>, cleaningId: number, userId: string, from: OfferStatus, to: OfferStatus): Promise<boolean> {
    const result = await trx
      .updateTable('offers')
      .set({ status: to, updated_at: new Date() })
      .where('cleaning_id', '=', cleaningId)
      .where('user_id', '=', userId)
      .where('status', '=', from)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Moves every other offer on the job from `from` to `to`. */
  async transitionOthers(trx: Kysely<Database>, cleaningId: number, exceptUserId: string, from: OfferStatus, to: OfferStatus): Promise<void> {
    await trx
      .updateTable('offers')
      .set({ status: to, updated_at: new Date() })
      .where('cleaning_id', '=', cleaningId)
      .where('user_id', '!=', exceptUserId)
      .where('status', '=', from)
      .execute();
  }

  async deleteIfPending(trx: Kysely<Database>, cleaningId: number, userId: string): Promise<boolean> {
    const result = await trx
      .deleteFrom('offers')
      .where('cleaning_id', '=', cleaningId)
      .where('user_id', '=', userId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
