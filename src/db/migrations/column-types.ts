import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * Column types that differ between the two dialects. Migrations use these instead of importing app code, so a
 * migration keeps meaning what it meant the day it was written.
 */
export function columnTypes(db: Kysely<any>) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return {
    postgres,
    uuid: postgres ? ('uuid' as const) : ('text' as const),
    timestamp: postgres ? ('timestamptz' as const) : ('text' as const),
    boolean: postgres ? ('boolean' as const) : ('integer' as const),
    now: (postgres ? sql`now()` : sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`) as RawBuilder<unknown>,
    false: (postgres ? sql`false` : sql`0`) as RawBuilder<unknown>,
    true: (postgres ? sql`true` : sql`1`) as RawBuilder<unknown>,
  };
}
