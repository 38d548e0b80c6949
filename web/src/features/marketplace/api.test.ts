import { describe, expect, test } from 'vitest';
import { nextCursor } from './api';

describe('nextCursor', () => {
  test('reads the cursor from the Link header\'s rel="next" target', () => {
    expect(nextCursor('</api/feed/cleanings?page_chunk_size=20&cursor=MjAyNi0xMS0yMl8x>; rel="next"')).toBe('MjAyNi0xMS0yMl8x');
    expect(nextCursor('<https://spruce.example/api/feed/cleanings?cursor=a%2Bb>; rel=next')).toBe('a+b');
    expect(nextCursor('</x?cursor=first>; rel="prev", </x?cursor=second>; rel="next"')).toBe('second');
  });

  test('no header, or no next link: the last page', () => {
    expect(nextCursor(null)).toBeNull();
    expect(nextCursor('</x?cursor=first>; rel="prev"')).toBeNull();
  });
});
