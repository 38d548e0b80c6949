import { MysqlAdapter, PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * Column types that differ between the dialects. Migrations use these instead of importing app code, so a
 * migration keeps meaning what it meant the day it was written. MySQL's were added later, for MySQL only:
 * what SQLite and PostgreSQL get is unchanged.
 */
export function columnTypes(db: Kysely<any>) {
  const adapter = db.getExecutor().adapter;
  const postgres = adapter instanceof PostgresAdapter;
  const mysql = adapter instanceof MysqlAdapter;
  return {
    postgres,
    mysql,
    uuid: postgres ? ('uuid' as const) : mysql ? ('char(36)' as const) : ('text' as const),
    // MySQL's DATETIME(3) holds milliseconds, as a JavaScript Date does; the sessions run in UTC.
    timestamp: postgres ? ('timestamptz' as const) : mysql ? ('datetime(3)' as const) : ('text' as const),
    boolean: postgres || mysql ? ('boolean' as const) : ('integer' as const),
    now: (postgres ? sql`now()` : mysql ? sql`current_timestamp(3)` : sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`) as RawBuilder<unknown>,
    false: (postgres || mysql ? sql`false` : sql`0`) as RawBuilder<unknown>,
    true: (postgres || mysql ? sql`true` : sql`1`) as RawBuilder<unknown>,
  };
}
