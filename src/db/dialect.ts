import { MysqlAdapter, PostgresAdapter, SqliteAdapter, type Kysely } from 'kysely';

/** Whether a Kysely instance (or transaction) talks to PostgreSQL. */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Whether a Kysely instance (or transaction) talks to MySQL or MariaDB. */
export function isMysql(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof MysqlAdapter;
}

/** PostgreSQL and MySQL lock rows with SELECT … FOR UPDATE; SQLite has no such clause (it runs one writer at a time). */
export function hasRowLocks(db: Kysely<any>): boolean {
  return !(db.getExecutor().adapter instanceof SqliteAdapter);
}

/**
 * Whether a write can hand back the rows it wrote (INSERT/UPDATE … RETURNING). PostgreSQL and SQLite can; MySQL
 * cannot (MariaDB only on INSERT and DELETE), so repositories write there and then read, keeping the single
 * round trip on the other two.
 */
export function hasReturning(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.supportsReturning;
}

/** Counts and sums come back as bigint text from PostgreSQL (decimal text from MySQL) and as numbers from SQLite. */
export function toNumber(value: number | string | bigint): number {
  return typeof value === 'number' ? value : Number(value);
}

export function toNullableNumber(value: number | string | bigint | null | undefined): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}
