import { Type } from 'typebox';
import { CleaningWithOwner } from '../cleanings/cleanings.schemas.js';
import { startingDatePattern } from './starting-date.js';

export const FeedQuery = Type.Object({
  page_chunk_size: Type.Integer({ minimum: 1, maximum: 50, default: 20, description: 'How many feed items to return' }),
  cursor: Type.Optional(
    Type.String({ maxLength: 200, description: 'Continue after the previous page: the cursor of its `Link: <…>; rel="next"` header' }),
  ),
  starting_date: Type.Optional(
    Type.String({
      pattern: startingDatePattern,
      description:
        'Start with events strictly older than this instant (phresh\'s paging: `2026-11-22T05:00:00Z`, `2026-11-22 05:00:00.123456`; no zone means UTC). Events sharing a timestamp can straddle pages this way; the `Link` header never skips or repeats one.',
    }),
  ),
});

/** Phresh's `CleaningFeedItem`: the cleaning with its owner, and where the event sits. */
export const FeedItem = Type.Object({
  ...CleaningWithOwner.properties,
  event_type: Type.Enum(['is_create', 'is_update']),
  event_timestamp: Type.String({ format: 'date-time', description: 'created_at for is_create, updated_at for is_update' }),
  row_number: Type.Integer({ description: 'Position in this page, from 1' }),
}, { title: 'CleaningFeedItem' });

export const FeedPage = Type.Array(FeedItem, { description: 'Newest event first' });

/** The 200 answer as documented: the page, and the header that leads to the next one. */
export const FeedResponse = {
  ...FeedPage,
  headers: {
    Link: Type.String({
      description: 'Present while more events follow: `</api/feed/cleanings?page_chunk_size=20&cursor=…>; rel="next"` (RFC 8288)',
    }),
  },
};
