import { validationError } from '../../http/errors.js';
import { toCleaningPublic } from '../cleanings/cleanings.service.js';
import { decodeCursor, encodeCursor, isSupportedInstant } from './feed-cursor.js';
import type { FeedPosition, FeedRepository } from './feed.repository.js';

export interface FeedRequest {
  chunkSize: number;
  cursor?: string;
  /** phresh's parameter: events strictly older than this instant. */
  startingDate?: string;
}

export class FeedService {
  constructor(private readonly feed: FeedRepository) {}

  async cleanings(request: FeedRequest) {
    const after = this.startingPosition(request);
    // One row more than asked tells whether another page exists without a count.
    const events = await this.feed.page(after, request.chunkSize + 1);
    const page = events.slice(0, request.chunkSize);
    const last = page.at(-1);
    return {
      items: page.map((event, index) => ({
        ...toCleaningPublic(event.cleaning),
        event_type: event.eventType,
        event_timestamp: event.eventTimestamp.toISOString(),
        row_number: index + 1,
      })),
      next_cursor:
        events.length > request.chunkSize && last !== undefined
          ? encodeCursor({ timestamp: last.eventTimestamp, id: last.cleaning.id })
          : null,
    };
  }

  private startingPosition(request: FeedRequest): FeedPosition | null {
    if (request.cursor !== undefined && request.startingDate !== undefined) {
      throw validationError([{ loc: ['query', 'cursor'], msg: 'Give either cursor or starting_date, not both', type: 'value_error' }]);
    }
    if (request.cursor !== undefined) return decodeCursor(request.cursor);
    if (request.startingDate !== undefined) {
      const timestamp = new Date(request.startingDate);
      if (Number.isNaN(timestamp.getTime())) {
        throw validationError([{ loc: ['query', 'starting_date'], msg: 'Input should be a valid datetime', type: 'datetime_parsing' }]);
      }
      if (!isSupportedInstant(timestamp)) {
        throw validationError([{ loc: ['query', 'starting_date'], msg: 'Input should be a datetime from year 1000 to 9999', type: 'value_error' }]);
      }
      // Ids start at 1, so id 0 places the cursor after every event at exactly that instant.
      return { timestamp, id: 0 };
    }
    return null;
  }
}
