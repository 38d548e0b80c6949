import type { Kysely } from 'kysely';
import { hasReturning, hasRowLocks, toNumber } from '../../db/dialect.js';
import { toDate, type CleaningRow, type Database } from '../../db/schema.js';

export type CleaningType = CleaningRow['cleaning_type'];
export const cleaningTypes: readonly CleaningType[] = ['dust_up', 'spot_clean', 'full_clean'];

/** A cleaning job as the services see it: cents as a number and Dates whatever the dialect. */
export interface Cleaning {
  id: number;
  ownerId: string;
  name: string;
  description: string | null;
  priceCents: number;
  cleaningType: CleaningType;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewCleaning {
  name: string;
  description: string | null;
  priceCents: number;
  cleaningType: CleaningType;
}

export type CleaningChanges = Partial<NewCleaning>;

export function toCleaning(row: CleaningRow): Cleaning {
  return {
    id: row.id,
    ownerId: row.owner_id,
    name: row.name,
    description: row.description,
    priceCents: toNumber(row.price_cents),
    cleaningType: row.cleaning_type,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

export class CleaningsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(ownerId: string, cleaning: NewCleaning): Promise<Cleaning> {
    const now = new Date();
    const insert = this.db.insertInto('cleanings').values({
      owner_id: ownerId,
      name: cleaning.name,
      description: cleaning.description,
      price_cents: cleaning.priceCents,
      cleaning_type: cleaning.cleaningType,
      created_at: now,
      updated_at: now,
    });
    if (hasReturning(this.db)) return toCleaning(await insert.returningAll().executeTakeFirstOrThrow());
    // MySQL: the row is what was written (timestamps are kept to the millisecond, as a Date holds them).
    const { insertId } = await insert.executeTakeFirstOrThrow();
    return {
      id: Number(insertId),
      ownerId,
      name: cleaning.name,
      description: cleaning.description,
      priceCents: cleaning.priceCents,
      cleaningType: cleaning.cleaningType,
      createdAt: now,
      updatedAt: now,
    };
  }

  async findById(id: number, db: Kysely<Database> = this.db): Promise<Cleaning | null> {
    const row = await db.selectFrom('cleanings').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : toCleaning(row);
  }

  /**
   * Reads the job inside a transaction and, on PostgreSQL and MySQL, locks its row until the transaction ends: every rule
   * that changes the offers of one job takes this lock first, so they run one after another. SQLite runs one
   * write transaction at a time anyway.
   */
  async lockById(trx: Kysely<Database>, id: number): Promise<Cleaning | null> {
    const row = await trx
      .selectFrom('cleanings')
      .selectAll()
      .where('id', '=', id)
      .$if(hasRowLocks(trx), (query) => query.forUpdate())
      .executeTakeFirst();
    return row === undefined ? null : toCleaning(row);
  }

  async listForOwner(ownerId: string): Promise<Cleaning[]> {
    const rows = await this.db.selectFrom('cleanings').selectAll().where('owner_id', '=', ownerId).orderBy('id').execute();
    return rows.map(toCleaning);
  }

  /** Changes the job if it is still the caller's; `updatedAt` is chosen by the service. */
  async update(id: number, ownerId: string, changes: CleaningChanges, updatedAt: Date): Promise<Cleaning | null> {
    const update = (db: Kysely<Database>) =>
      db
        .updateTable('cleanings')
        .set({
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(changes.description !== undefined ? { description: changes.description } : {}),
          ...(changes.priceCents !== undefined ? { price_cents: changes.priceCents } : {}),
          ...(changes.cleaningType !== undefined ? { cleaning_type: changes.cleaningType } : {}),
          updated_at: updatedAt,
        })
        .where('id', '=', id)
        .where('owner_id', '=', ownerId);
    if (hasReturning(this.db)) {
      const row = await update(this.db).returningAll().executeTakeFirst();
      return row === undefined ? null : toCleaning(row);
    }
    // MySQL: the update locks the row until commit, so the read in the same transaction sees exactly this change.
    return this.db.transaction().execute(async (trx) => {
      const result = await update(trx).executeTakeFirst();
      return result.numUpdatedRows === 0n ? null : this.findById(id, trx);
    });
  }

  async delete(id: number, ownerId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('cleanings').where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
