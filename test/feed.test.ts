import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiUser } from './helpers/api-accounts.js';
import { createTestApp, dialects, newUser, type TestApp, type TestUser } from './helpers/test-app.js';

interface FeedItem {
  id: number;
  name: string;
  event_type: 'is_create' | 'is_update';
  event_timestamp: string;
  created_at: string;
  updated_at: string;
  row_number: number;
}

for (const dialect of dialects) {
  describe(`cleanings feed on ${dialect}`, () => {
    let t: TestApp;
    let users: TestUser[];
    const base = Date.now() - 60 * 60 * 1000;
    const at = (ms: number) => new Date(base + ms);

    before(async () => {
      t = await createTestApp(dialect);
      users = [await newUser(t), await newUser(t), await newUser(t)];
      const db = t.app.context.database.db;
      const ids: number[] = [];
      for (let i = 0; i < 50; i++) {
        const user = users[i % 3]!;
        const res = await t.inject({ method: 'POST', url: '/api/cleanings', headers: user.headers, payload: { new_cleaning: { name: `job ${i}`, price: 10 + i } } });
        ids.push(res.json().id);
      }
      // Five cleanings share each creation instant, to the millisecond.
      for (const [i, id] of ids.entries()) {
        await db.updateTable('cleanings').set({ created_at: at(Math.floor(i / 5) * 1000), updated_at: at(Math.floor(i / 5) * 1000) }).where('id', '=', id).execute();
      }
      // Every fourth cleaning is changed later through the API...
      for (const [i, id] of ids.entries()) {
        if (i % 4 !== 0) continue;
        const res = await t.inject({ method: 'PUT', url: `/api/cleanings/${id}`, headers: users[i % 3]!.headers, payload: { cleaning_update: { name: `job ${i} (changed)` } } });
        assert.equal(res.statusCode, 200);
      }
      // ...and some of those changes share one instant, which is also the creation instant of cleanings 45 to 49.
      for (const [i, id] of ids.entries()) {
        if (i % 8 === 0 && i < 45) await db.updateTable('cleanings').set({ updated_at: at(9000) }).where('id', '=', id).execute();
      }
    });
    after(() => t.close());

    /** Every event the feed should show, newest first, computed from the rows directly. */
    const expectedEvents = async () => {
      const rows = await t.app.context.database.db.selectFrom('cleanings').select(['id', 'created_at', 'updated_at']).execute();
      const events: [number, number, string][] = [];
      for (const row of rows) {
        const created = new Date(row.created_at).getTime();
        const updated = new Date(row.updated_at).getTime();
        events.push([created, row.id, 'is_create']);
        if (updated > created) events.push([updated, row.id, 'is_update']);
      }
      events.sort((a, b) => b[0] - a[0] || b[1] - a[1]);
      return events.map(([ms, id, type]) => `${new Date(ms).toISOString()} ${id} ${type}`);
    };
    const feed = (user: TestUser, query: string) => t.inject({ method: 'GET', url: `/api/feed/cleanings?${query}`, headers: user.headers });
    /** The next page's URL from the `Link: <…>; rel="next"` header, or null when there is none. */
    const nextLink = (res: { headers: Record<string, unknown> }): string | null => {
      const header = res.headers.link;
      if (header === undefined) return null;
      const match = /^<([^>]+)>; rel="next"$/.exec(String(header));
      assert.ok(match, `Link header ${String(header)}`);
      return match[1]!;
    };
    const walk = async (chunk: number, between?: (page: number) => Promise<void>) => {
      const seen: FeedItem[] = [];
      let url = `/api/feed/cleanings?page_chunk_size=${chunk}`;
      for (let page = 0; page < 200; page++) {
        const res = await t.inject({ method: 'GET', url, headers: users[0]!.headers });
        assert.equal(res.statusCode, 200, res.body);
        const items = res.json() as FeedItem[];
        assert.ok(Array.isArray(items));
        assert.ok(items.length <= chunk);
        assert.deepEqual(items.map((item) => item.row_number), items.map((_, index) => index + 1));
        seen.push(...items);
        const next = nextLink(res);
        if (next === null) return seen;
        assert.equal(items.length, chunk, 'only the last page may be short');
        assert.equal(new URL(next, 'http://x').searchParams.get('page_chunk_size'), String(chunk));
        url = next;
        await between?.(page);
      }
      throw new Error('the feed did not end');
    };
    const describeItem = (item: FeedItem) => `${item.event_timestamp} ${item.id} ${item.event_type}`;

    for (const chunk of [1, 7, 50]) {
      test(`walking every page with page_chunk_size=${chunk} shows each event exactly once, newest first`, async () => {
        const expected = await expectedEvents();
        assert.equal(expected.length, 50 + 13);
        const items = await walk(chunk);
        assert.deepEqual(items.map(describeItem), expected);
        for (const item of items) {
          assert.equal(item.event_timestamp, item.event_type === 'is_create' ? item.created_at : item.updated_at);
        }
      });
    }

    test('ties are real: the data has events sharing a timestamp, across both kinds', async () => {
      const expected = await expectedEvents();
      const atNine = expected.filter((e) => e.startsWith(at(9000).toISOString()));
      assert.equal(atNine.filter((e) => e.endsWith('is_create')).length, 5);
      assert.equal(atNine.filter((e) => e.endsWith('is_update')).length, 6);
    });

    test('cleanings created while walking appear before the cursor and never disturb the rest', async () => {
      const expected = await expectedEvents();
      const items = await walk(7, async (page) => {
        if (page < 3) {
          await t.inject({ method: 'POST', url: '/api/cleanings', headers: users[1]!.headers, payload: { new_cleaning: { name: `late ${page}`, price: 1 } } });
        }
      });
      const firstPage = items.slice(0, 7).map(describeItem);
      assert.deepEqual(firstPage, expected.slice(0, 7));
      assert.deepEqual(items.map(describeItem), expected);
      // Clean up so the other walks see the same data.
      await t.app.context.database.db.deleteFrom('cleanings').where('name', 'like', 'late %').execute();
    });

    test('the default chunk is 20 and items carry the cleaning fields', async () => {
      const res = await feed(users[2]!, '');
      assert.equal(res.statusCode, 200);
      const items = res.json();
      assert.ok(Array.isArray(items), 'a JSON array, as phresh answers');
      assert.equal(items.length, 20);
      assert.equal(typeof nextLink(res), 'string');
      const item = items[0];
      assert.deepEqual(Object.keys(item).sort(), [
        'cleaning_type', 'created_at', 'description', 'event_timestamp', 'event_type', 'id', 'name', 'owner', 'price', 'row_number', 'updated_at',
      ]);
      // The owner is a user object, as on GET /api/cleanings/{id}; every cleaning field, timestamps included,
      // prints as the detail route prints it (the feed passes SQLite's stored text through, the detail makes Dates).
      for (const { event_type: _type, event_timestamp: _timestamp, row_number: _row, ...cleaning } of items) {
        const detail = await t.inject({ method: 'GET', url: `/api/cleanings/${cleaning.id}`, headers: users[2]!.headers });
        assert.deepEqual(cleaning, detail.json());
        assert.match(cleaning.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      }
    });

    test('starting_date shows events strictly older than it', async () => {
      const expected = await expectedEvents();
      const res = await feed(users[0]!, `page_chunk_size=50&starting_date=${encodeURIComponent(at(9000).toISOString())}`);
      assert.equal(res.statusCode, 200);
      const older = expected.filter((e) => e.slice(0, 24) < at(9000).toISOString());
      assert.deepEqual(res.json().map(describeItem), older.slice(0, 50));
    });

    test('the cursor query parameter keeps working, and the Link header keeps the path the client called', async () => {
      const first = await feed(users[0]!, 'page_chunk_size=3');
      const next = nextLink(first)!;
      assert.ok(next.startsWith('/api/feed/cleanings?'), next);
      const cursor = new URL(next, 'http://x').searchParams.get('cursor')!;
      const second = await feed(users[0]!, `page_chunk_size=3&cursor=${encodeURIComponent(cursor)}`);
      const expected = await expectedEvents();
      assert.deepEqual([...first.json(), ...second.json()].map(describeItem), expected.slice(0, 6));
      const slashed = await t.inject({ method: 'GET', url: '/api/feed/cleanings/?page_chunk_size=3', headers: users[0]!.headers });
      assert.ok(nextLink(slashed)!.startsWith('/api/feed/cleanings/?'));
      const last = await feed(users[0]!, 'page_chunk_size=50&starting_date=' + encodeURIComponent(at(1000).toISOString()));
      assert.equal(last.json().length, 5);
      assert.equal(last.headers.link, undefined, 'no Link header on the last page');
    });

    // Phresh's tests send Python's str(datetime): a space, microseconds, no zone (read as UTC).
    const pythonDate = (date: Date) => date.toISOString().replace('T', ' ').replace('Z', '000');

    for (const slash of ['/', '']) {
      test(`phresh: GET /api/feed/cleanings${slash} pages by starting_date of the last item, strictly older, never repeating`, async () => {
        const expected = await expectedEvents();
        let startingDate = pythonDate(new Date(Date.now() + 10 * 60 * 1000));
        const pages: string[][] = [];
        for (const chunk of [25, 15, 10]) {
          const res = await t.inject({
            method: 'GET',
            url: `/api/feed/cleanings${slash}?${new URLSearchParams({ starting_date: startingDate, page_chunk_size: String(chunk) })}`,
            headers: users[1]!.headers,
          });
          assert.equal(res.statusCode, 200, res.body);
          const items = res.json() as FeedItem[];
          assert.equal(items.length, chunk);
          pages.push(items.map(describeItem));
          startingDate = items.at(-1)!.event_timestamp;
        }
        const all = pages.flat();
        assert.equal(new Set(all).size, all.length, 'no event on two pages');
        // Each page starts with the first event strictly older than the previous page's last one.
        for (const page of pages) {
          const first = expected.indexOf(page[0]!);
          assert.deepEqual(page, expected.slice(first, first + page.length));
          if (first > 0) assert.ok(expected[first - 1]!.slice(0, 24) > page[0]!.slice(0, 24));
        }
      });
    }

    test("phresh: a page's last updated_at works as the next starting_date", async () => {
      const page1 = (await feed(users[0]!, 'page_chunk_size=30')).json() as FeedItem[];
      const boundary = page1.at(-1)!.updated_at;
      const page2 = (await feed(users[0]!, `page_chunk_size=33&starting_date=${encodeURIComponent(boundary)}`)).json() as FeedItem[];
      const expected = (await expectedEvents()).filter((e) => e.slice(0, 24) < boundary);
      assert.deepEqual(page2.map(describeItem), expected.slice(0, 33));
    });

    test('starting_date takes the datetime forms pydantic takes, and rounds sub-millisecond digits up', async () => {
      const instant = at(9000);
      const iso = instant.toISOString();
      const reference = (await feed(users[0]!, `page_chunk_size=50&starting_date=${encodeURIComponent(iso)}`)).json().map(describeItem);
      const plusTwo = new Date(instant.getTime() + 2 * 3600 * 1000).toISOString().slice(0, 19);
      for (const form of [iso.replace('Z', '+00:00'), pythonDate(instant), `${plusTwo}+02:00`, `${plusTwo}+0200`, iso.slice(0, 19)]) {
        const res = await feed(users[0]!, `page_chunk_size=50&starting_date=${encodeURIComponent(form)}`);
        assert.equal(res.statusCode, 200, form);
        assert.deepEqual(res.json().map(describeItem), reference, form);
      }
      // 09.000001 is after 09.000, so the events at 09.000 are strictly older and now included.
      const later = (await feed(users[0]!, `page_chunk_size=50&starting_date=${encodeURIComponent(iso.replace('Z', '001Z'))}`)).json().map(describeItem);
      assert.deepEqual(later.slice(0, 11).map((e: string) => e.slice(0, 24)), Array(11).fill(iso));
      const dateOnly = await feed(users[0]!, `page_chunk_size=1&starting_date=2000-01-01`);
      assert.deepEqual(dateOnly.json(), []);
    });

    test('bad chunk sizes, cursors and dates are 422', async () => {
      const queries = [
        'page_chunk_size=0',
        'page_chunk_size=51',
        'page_chunk_size=abc',
        'cursor=not-a-cursor',
        `cursor=${Buffer.from('{"t":"yesterday","id":1}').toString('base64url')}`,
        `cursor=${Buffer.from('{"t":"2026-01-01T00:00:00.000Z","id":-1}').toString('base64url')}`,
        `cursor=${'a'.repeat(201)}`,
        'starting_date=tomorrow',
        'starting_date=2026-02-30T00:00:00Z',
        'starting_date=2026-01-01T24:00:00Z',
        'starting_date=2026-01-01T00:00:00%2B25:00',
        `starting_date=2026-01-01T00:00:00Z&cursor=${Buffer.from('{"t":"2026-01-01T00:00:00.000Z","id":1}').toString('base64url')}`,
      ];
      for (const query of queries) {
        const res = await feed(users[0]!, query);
        assert.equal(res.statusCode, 422, query);
        assert.equal(res.json().detail[0].loc[0], 'query', query);
      }
    });

    test('the feed needs a bearer token and accepts a trailing slash', async () => {
      const res = await t.inject({ method: 'GET', url: '/api/feed/cleanings' });
      assert.equal(res.statusCode, 401);
      assert.deepEqual(res.json(), { detail: 'Not Authorized' });
      assert.equal((await t.inject({ method: 'GET', url: '/api/feed/cleanings/?page_chunk_size=2', headers: users[0]!.headers })).statusCode, 200);
    });
  });

  describe(`the feed's owners on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    test("show their public part: the email only to the owner and to superusers, account flags to nobody", async () => {
      const owner = await apiUser(t);
      const stranger = await apiUser(t);
      const superuser = await apiUser(t, { superuser: true });
      await t.inject({ method: 'POST', url: '/api/cleanings', headers: owner.headers, payload: { new_cleaning: { name: 'job', price: 20 } } });
      const ownerSeenBy = async (headers: { authorization: string }) => {
        const res = await t.inject({ method: 'GET', url: '/api/feed/cleanings', headers });
        assert.equal(res.statusCode, 200, res.body);
        return res.json()[0].owner;
      };
      assert.deepEqual(await ownerSeenBy(stranger.headers), { id: owner.id, name: owner.name });
      assert.deepEqual(await ownerSeenBy(owner.headers), { id: owner.id, name: owner.name, email: owner.email });
      assert.deepEqual(await ownerSeenBy(superuser.headers), { id: owner.id, name: owner.name, email: owner.email });
    });
  });
}
