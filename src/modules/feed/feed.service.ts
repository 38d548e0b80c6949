import type { Static } from 'typebox';
import { invalidInput } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { centsToAmount } from '../cleanings/money.js';
import { toUserSummary } from '../identity/index.js';
import { decodeCursor, encodeCursor, isSupportedInstant } from './feed-cursor.js';
import type { FeedPosition, FeedRepository } from './feed.repository.js';
import { parseStartingDate } from './starting-date.js';
import type { FeedItem } from './feed.schemas.js';

export interface FeedRequest {
  /** Who reads the feed: owners show to them as their public part, with an email only where the viewer may see it. */
  viewer: Pick<Principal, 'id' | 'isSuperuser'>;
  chunkSize: number;
  cursor?: string;
  /** phresh's parameter: events strictly older than this instant. */
  startingDate?: string;
}

export class FeedService {
  constructor(private readonly feed: FeedRepository) {}

  /** One page, newest first, and the cursor of the next page (null on the last one). */
  async cleanings(request: FeedRequest): Promise<{ items: Static<typeof FeedItem>[]; nextCursor: string | null }> {
    const after = this.startingPosition(request);
    // One row more than asked tells whether another page exists without a count.
    const events = await this.feed.page(after, request.chunkSize + 1);
    const page = events.slice(0, request.chunkSize);
    // One object literal per item, straight from its event: spreading the cleaning's view into a new object
    // with the feed's fields was the page's largest cost after the query.
    const items: Static<typeof FeedItem>[] = page.map(({ cleaning, owner, eventType, eventTimestamp }, index) => ({
      id: cleaning.id,
      name: cleaning.name,
      description: cleaning.description,
      price: centsToAmount(cleaning.priceCents),
      cleaning_type: cleaning.cleaningType,
      created_at: cleaning.createdAt,
      updated_at: cleaning.updatedAt,
      owner: toUserSummary(owner, request.viewer),
      event_type: eventType,
      event_timestamp: eventTimestamp,
      row_number: index + 1,
    }));
    const last = page.at(-1);
    const nextCursor =
      events.length > request.chunkSize && last !== undefined
        ? encodeCursor({ timestamp: new Date(last.eventTimestamp), id: last.cleaning.id })
        : null;
    return { items, nextCursor };
  }

  private startingPosition(request: FeedRequest): FeedPosition | null {
    if (request.cursor !== undefined && request.startingDate !== undefined) {
      throw invalidInput([{ loc: ['query', 'cursor'], msg: 'Give either cursor or starting_date, not both', type: 'value_error' }]);
    }
    if (request.cursor !== undefined) return decodeCursor(request.cursor);
    if (request.startingDate !== undefined) {
      const milliseconds = parseStartingDate(request.startingDate);
      if (milliseconds === null || Number.isNaN(new Date(milliseconds).getTime())) {
        throw invalidInput([{ loc: ['query', 'starting_date'], msg: 'Input should be a valid datetime', type: 'datetime_parsing' }]);
      }
      const timestamp = new Date(milliseconds);
      if (!isSupportedInstant(timestamp)) {
        throw invalidInput([{ loc: ['query', 'starting_date'], msg: 'Input should be a datetime from year 1000 to 9999', type: 'value_error' }]);
      }
      // Ids start at 1, so id 0 places the position after every event at exactly that instant.
      return { timestamp, id: 0 };
    }
    return null;
  }
}
