import { sql, type Kysely } from 'kysely';
import { preparedQuery } from '../../db/prepared-query.js';
import { toNumber } from '../../db/dialect.js';
import { toIsoInstant, type Database } from '../../db/schema.js';
import type { Cleaning } from '../cleanings/cleanings.repository.js';
import type { User } from '../identity/index.js';

export type FeedEventType = 'is_create' | 'is_update';

/** A place in the feed: events strictly after it (older, or as old with a smaller id) come next. */
export interface FeedPosition {
  timestamp: Date;
  id: number;
}

/**
 * One event of the feed, read straight from its row: instants as the ISO-8601 text the API prints (SQLite's
 * text as it is stored, see toIsoInstant), so a page makes no Date it would only print again.
 */
export interface FeedEvent {
  cleaning: Omit<Cleaning, 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string };
  /** The parts of the owner a feed item may show (see toUserSummary). */
  owner: Pick<User, 'id' | 'username' | 'email'>;
  eventType: FeedEventType;
  eventTimestamp: string;
}

type FeedRow = Awaited<ReturnType<ReturnType<FeedRepository['pageQuery']>['execute']>>[number];

/**
 * The feed is two streams merged: every cleaning's creation (at created_at) and, for cleanings changed since,
 * its latest update (at updated_at, always later than created_at). A cleaning has at most one event per
 * timestamp, so (event_timestamp, id) orders all events totally and is the cursor. Each stream is read newest
 * first from its own index, starting after the cursor and stopping after `limit` rows, so a page costs about
 * 2 x limit index entries however deep it is. The owner's public columns come in the same query (a primary-key
 * join on those rows), so a page is one round trip.
 */
export class FeedRepository {
  // Both shapes of a page, compiled once (see preparedQuery): from the top, and after a cursor.
  private readonly firstPage: (limit: number) => Promise<FeedRow[]>;
  private readonly pageAfter: (timestamp: Date, id: number, limit: number) => Promise<FeedRow[]>;

  constructor(private readonly db: Kysely<Database>) {
    this.firstPage = preparedQuery(db, 1, (limit: number) => this.pageQuery(null, limit));
    this.pageAfter = preparedQuery(db, 3, (timestamp: Date, id: number, limit: number) => this.pageQuery({ timestamp, id }, limit));
  }

  /** The query of one page, also used by bench/feed.ts to show its plan. */
  pageQuery(after: FeedPosition | null, limit: number) {
    const creates = this.db
      .selectFrom('cleanings')
      .selectAll()
      .select([sql<FeedEventType>`'is_create'`.as('event_type'), 'created_at as event_timestamp'])
      .$if(after !== null, (query) =>
        query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after!.timestamp, after!.id))),
      )
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit);
    const updates = this.db
      .selectFrom('cleanings')
      .selectAll()
      .select([sql<FeedEventType>`'is_update'`.as('event_type'), 'updated_at as event_timestamp'])
      // Spelled exactly as the partial index's condition, so both databases use that index.
      .whereRef('updated_at', '>', 'created_at')
      .$if(after !== null, (query) =>
        query.where((eb) => eb(eb.refTuple('updated_at', 'id'), '<', eb.tuple(after!.timestamp, after!.id))),
      )
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit);
    const events = this.db
      .selectFrom(creates.as('creates'))
      .selectAll()
      .unionAll(this.db.selectFrom(updates.as('updates')).selectAll());
    // A cross join with the key in WHERE is the same inner join, but SQLite keeps the tables in the order written:
    // the page's events first, each owner then found by primary key. Written as an inner join, SQLite scanned every
    // user and built a temporary index over the events on each execution (docs/benchmarks.md, sixth pass).
    // PostgreSQL and MySQL plan both spellings alike.
    return this.db
      .selectFrom(events.as('events'))
      .crossJoin('users')
      .whereRef('users.id', '=', 'events.owner_id')
      .selectAll('events')
      .select(['users.username as owner_username', 'users.email as owner_email'])
      .orderBy('events.event_timestamp', 'desc')
      .orderBy('events.id', 'desc')
      .limit(limit);
  }

  async page(after: FeedPosition | null, limit: number): Promise<FeedEvent[]> {
    const rows = after === null ? await this.firstPage(limit) : await this.pageAfter(after.timestamp, after.id, limit);
    // Inner join: the foreign key cascades, so only an owner deleted this very moment can drop an event.
    return rows.map((row) => {
      const createdAt = toIsoInstant(row.created_at);
      const updatedAt = toIsoInstant(row.updated_at);
      return {
        cleaning: {
          id: row.id,
          ownerId: row.owner_id,
          name: row.name,
          description: row.description,
          priceCents: toNumber(row.price_cents),
          cleaningType: row.cleaning_type,
          createdAt,
          updatedAt,
        },
        owner: { id: row.owner_id, username: row.owner_username, email: row.owner_email },
        eventType: row.event_type,
        // event_timestamp is created_at for a creation and updated_at for an update (pageQuery): the same text.
        eventTimestamp: row.event_type === 'is_create' ? createdAt : updatedAt,
      };
    });
  }
}
