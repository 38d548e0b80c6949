import { PostgresAdapter, type Kysely } from 'kysely';

/** Whether a Kysely instance (or transaction) talks to PostgreSQL, for the few statements SQLite lacks (FOR UPDATE). */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Counts and sums come back as bigint text from PostgreSQL and as numbers from SQLite. */
export function toNumber(value: number | string | bigint): number {
  return typeof value === 'number' ? value : Number(value);
}

export function toNullableNumber(value: number | string | bigint | null | undefined): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}
