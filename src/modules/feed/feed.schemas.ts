import { Type } from 'typebox';
import { Cleaning } from '../cleanings/cleanings.schemas.js';

export const FeedQuery = Type.Object({
  page_chunk_size: Type.Integer({ minimum: 1, maximum: 50, default: 20 }),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'next_cursor of the previous page' })),
  starting_date: Type.Optional(
    Type.String({ format: 'date-time', description: 'Start with events strictly older than this (phresh); use cursor to continue' }),
  ),
});

export const FeedItem = Type.Object({
  ...Cleaning.properties,
  event_type: Type.Enum(['is_create', 'is_update']),
  event_timestamp: Type.String({ format: 'date-time', description: 'created_at for is_create, updated_at for is_update' }),
  row_number: Type.Integer({ description: 'Position in this page, from 1' }),
});

export const FeedPage = Type.Object({
  items: Type.Array(FeedItem, { description: 'Newest event first' }),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor for the next page; null on the last page' }),
});
