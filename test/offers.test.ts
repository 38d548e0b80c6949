import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, dialects, newUser, type TestApp, type TestUser } from './helpers/test-app.js';

for (const dialect of dialects) {
  describe(`offers on ${dialect}`, () => {
    let t: TestApp;
    let owner: TestUser;

    before(async () => {
      t = await createTestApp(dialect);
      owner = await newUser(t);
    });
    after(() => t.close());

    const newCleaning = async (user: TestUser = owner): Promise<number> => {
      const res = await t.inject({ method: 'POST', url: '/api/cleanings', headers: user.headers, payload: { new_cleaning: { name: 'job', price: 20 } } });
      assert.equal(res.statusCode, 201);
      return res.json().id;
    };
    const offer = (user: TestUser, cleaningId: number) =>
      t.inject({ method: 'POST', url: `/api/cleanings/${cleaningId}/offers`, headers: user.headers });
    const readOffer = (user: TestUser, cleaningId: number, username: string) =>
      t.inject({ method: 'GET', url: `/api/cleanings/${cleaningId}/offers/${username}`, headers: user.headers });
    const setStatus = (user: TestUser, cleaningId: number, username: string, status: string) =>
      t.inject({ method: 'PUT', url: `/api/cleanings/${cleaningId}/offers/${username}`, headers: user.headers, payload: { offer_update: { status } } });
    const statuses = async (cleaningId: number) => {
      const res = await t.inject({ method: 'GET', url: `/api/cleanings/${cleaningId}/offers`, headers: owner.headers });
      assert.equal(res.statusCode, 200);
      return Object.fromEntries(res.json().map((o: { username: string; status: string }) => [o.username, o.status]));
    };
    /** A job with offers from `count` new users. */
    const jobWithOffers = async (count: number) => {
      const cleaningId = await newCleaning();
      const makers: TestUser[] = [];
      for (let i = 0; i < count; i++) {
        const maker = await newUser(t);
        assert.equal((await offer(maker, cleaningId)).statusCode, 201);
        makers.push(maker);
      }
      return { cleaningId, makers };
    };

    test('a user offers on a job: 201 with status pending', async () => {
      const cleaningId = await newCleaning();
      const cleaner = await newUser(t);
      const res = await offer(cleaner, cleaningId);
      assert.equal(res.statusCode, 201);
      const body = res.json();
      assert.deepEqual({ ...body, created_at: undefined, updated_at: undefined }, {
        cleaning_id: cleaningId,
        user_id: cleaner.id,
        username: cleaner.username,
        status: 'pending',
        created_at: undefined,
        updated_at: undefined,
      });
    });

    test('the owner cannot offer on their own job; nobody offers twice (400)', async () => {
      const cleaningId = await newCleaning();
      const own = await offer(owner, cleaningId);
      assert.equal(own.statusCode, 400);
      assert.deepEqual(own.json(), { detail: 'Users are unable to create offers for cleaning jobs they own.' });
      const cleaner = await newUser(t);
      assert.equal((await offer(cleaner, cleaningId)).statusCode, 201);
      const twice = await offer(cleaner, cleaningId);
      assert.equal(twice.statusCode, 400);
      assert.deepEqual(twice.json(), { detail: 'Users are not allowed to make more than one offer for a cleaning job.' });
      const racing = await newUser(t);
      const raced = await Promise.all([offer(racing, cleaningId), offer(racing, cleaningId), offer(racing, cleaningId)]);
      assert.deepEqual(raced.map((r) => r.statusCode).sort(), [201, 400, 400]);
    });

    test('offers on unknown jobs are 404, on bad ids 422', async () => {
      const cleaner = await newUser(t);
      assert.equal((await offer(cleaner, 999999)).statusCode, 404);
      const bad = await t.inject({ method: 'POST', url: '/api/cleanings/0/offers', headers: cleaner.headers });
      assert.equal(bad.statusCode, 422);
    });

    test('only the owner lists all offers; others get 403', async () => {
      const { cleaningId, makers } = await jobWithOffers(3);
      const res = await t.inject({ method: 'GET', url: `/api/cleanings/${cleaningId}/offers`, headers: owner.headers });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json().map((o: { user_id: string }) => o.user_id).sort(), makers.map((m) => m.id).sort());
      for (const other of [makers[0]!, await newUser(t)]) {
        const forbidden = await t.inject({ method: 'GET', url: `/api/cleanings/${cleaningId}/offers`, headers: other.headers });
        assert.equal(forbidden.statusCode, 403);
      }
    });

    test('the owner or the maker reads one offer; others get 403 whether it exists or not; missing is 404', async () => {
      const { cleaningId, makers } = await jobWithOffers(2);
      const [first, second] = makers as [TestUser, TestUser];
      for (const reader of [owner, first]) {
        const res = await readOffer(reader, cleaningId, first.username);
        assert.equal(res.statusCode, 200);
        assert.equal(res.json().user_id, first.id);
      }
      assert.equal((await readOffer(first, cleaningId, first.username.toUpperCase())).statusCode, 200);
      assert.equal((await readOffer(second, cleaningId, first.username)).statusCode, 403);
      assert.equal((await readOffer(await newUser(t), cleaningId, 'nobody_here')).statusCode, 403);
      const stranger = await newUser(t);
      const ownMissing = await readOffer(stranger, cleaningId, stranger.username);
      assert.equal(ownMissing.statusCode, 404);
      assert.equal((await readOffer(owner, cleaningId, 'nobody_here')).statusCode, 404);
      assert.equal((await readOffer(owner, cleaningId, 'x!')).statusCode, 422);
    });

    test('the owner accepts one offer: it becomes accepted and every other pending offer rejected', async () => {
      const { cleaningId, makers } = await jobWithOffers(4);
      const [chosen, ...others] = makers as [TestUser, ...TestUser[]];
      const res = await setStatus(owner, cleaningId, chosen.username, 'accepted');
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().status, 'accepted');
      assert.equal(res.json().user_id, chosen.id);
      const after = await statuses(cleaningId);
      assert.equal(after[chosen.username], 'accepted');
      for (const other of others) assert.equal(after[other.username], 'rejected');

      const second = await setStatus(owner, cleaningId, others[0]!.username, 'accepted');
      assert.equal(second.statusCode, 400);
      assert.deepEqual(second.json(), { detail: 'This cleaning job already has an accepted offer.' });
      const again = await setStatus(owner, cleaningId, chosen.username, 'accepted');
      assert.equal(again.statusCode, 400);
    });

    test('only the owner accepts (403); accepting a missing offer is 404; other statuses are 422', async () => {
      const { cleaningId, makers } = await jobWithOffers(2);
      const [first, second] = makers as [TestUser, TestUser];
      for (const actor of [first, second, await newUser(t)]) {
        const res = await setStatus(actor, cleaningId, first.username, 'accepted');
        assert.equal(res.statusCode, 403);
      }
      assert.equal((await setStatus(owner, cleaningId, 'nobody_here', 'accepted')).statusCode, 404);
      assert.equal((await setStatus(owner, cleaningId, owner.username, 'accepted')).statusCode, 404);
      for (const status of ['rejected', 'pending', 'completed', 'bogus']) {
        assert.equal((await setStatus(owner, cleaningId, first.username, status)).statusCode, 422, status);
      }
      assert.equal((await setStatus(owner, 999999, first.username, 'accepted')).statusCode, 404);
      assert.deepEqual(await statuses(cleaningId), { [first.username]: 'pending', [second.username]: 'pending' });
    });

    test('the maker cancels an accepted offer: cancelled, and the rejected ones are pending again', async () => {
      const { cleaningId, makers } = await jobWithOffers(3);
      const [chosen, ...others] = makers as [TestUser, ...TestUser[]];
      assert.equal((await setStatus(owner, cleaningId, chosen.username, 'accepted')).statusCode, 200);

      // Neither the owner nor another maker may cancel it.
      assert.equal((await setStatus(owner, cleaningId, chosen.username, 'cancelled')).statusCode, 403);
      assert.equal((await setStatus(others[0]!, cleaningId, chosen.username, 'cancelled')).statusCode, 403);
      // A pending (here rejected) offer cannot be cancelled.
      assert.equal((await setStatus(others[0]!, cleaningId, others[0]!.username, 'cancelled')).statusCode, 400);

      const res = await setStatus(chosen, cleaningId, chosen.username, 'cancelled');
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().status, 'cancelled');
      const after = await statuses(cleaningId);
      assert.equal(after[chosen.username], 'cancelled');
      for (const other of others) assert.equal(after[other.username], 'pending');
      assert.equal((await setStatus(chosen, cleaningId, chosen.username, 'cancelled')).statusCode, 400);

      // The job is open again: the owner may accept another offer, but not the cancelled one.
      assert.equal((await setStatus(owner, cleaningId, chosen.username, 'accepted')).statusCode, 400);
      assert.equal((await setStatus(owner, cleaningId, others[1]!.username, 'accepted')).statusCode, 200);
    });

    test('the maker rescinds a pending offer (200 with the job id, deleted); not an accepted one, not someone else’s', async () => {
      const { cleaningId, makers } = await jobWithOffers(3);
      const [first, second, third] = makers as [TestUser, TestUser, TestUser];
      const rescind = (user: TestUser, username: string) =>
        t.inject({ method: 'DELETE', url: `/api/cleanings/${cleaningId}/offers/${username}`, headers: user.headers });
      assert.equal((await rescind(owner, first.username)).statusCode, 403);
      assert.equal((await rescind(second, first.username)).statusCode, 403);
      const res = await rescind(first, first.username);
      assert.equal(res.statusCode, 200);
      assert.equal(res.json(), cleaningId);
      assert.equal((await readOffer(owner, cleaningId, first.username)).statusCode, 404);
      assert.equal((await rescind(first, first.username)).statusCode, 404);
      // Having rescinded, the user may offer again.
      assert.equal((await offer(first, cleaningId)).statusCode, 201);

      assert.equal((await setStatus(owner, cleaningId, second.username, 'accepted')).statusCode, 200);
      const accepted = await rescind(second, second.username);
      assert.equal(accepted.statusCode, 400);
      const rejected = await rescind(third, third.username);
      assert.equal(rejected.statusCode, 400);
      assert.equal((await statuses(cleaningId))[second.username], 'accepted');
    });

    // Phresh's own client (its tests and front-end) sends these with no body and with trailing slashes.
    for (const slash of ['/', '']) {
      const phresh = (method: 'PUT' | 'DELETE', user: TestUser, path: string) =>
        t.inject({ method, url: `/api/cleanings/${path}${slash}`, headers: user.headers });

      test(`phresh: PUT /cleanings/{id}/offers/{username}${slash} with no body accepts (owner only)`, async () => {
        const { cleaningId, makers } = await jobWithOffers(3);
        const [chosen, ...others] = makers as [TestUser, ...TestUser[]];
        assert.equal((await phresh('PUT', chosen, `${cleaningId}/offers/${chosen.username}`)).statusCode, 403);
        const res = await phresh('PUT', owner, `${cleaningId}/offers/${chosen.username}`);
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().status, 'accepted');
        assert.equal(res.json().user_id, chosen.id);
        assert.equal(res.json().cleaning_id, cleaningId);
        const after = await statuses(cleaningId);
        for (const other of others) assert.equal(after[other.username], 'rejected');
        assert.equal((await phresh('PUT', owner, `${cleaningId}/offers/${others[0]!.username}`)).statusCode, 400);
      });

      test(`phresh: PUT /cleanings/{id}/offers${slash} with no body cancels the caller's own accepted offer`, async () => {
        const { cleaningId, makers } = await jobWithOffers(3);
        const [chosen, ...others] = makers as [TestUser, ...TestUser[]];
        // Nothing accepted yet: the caller's pending offer cannot be cancelled; without an offer it is 404.
        assert.equal((await phresh('PUT', chosen, `${cleaningId}/offers`)).statusCode, 400);
        assert.equal((await phresh('PUT', owner, `${cleaningId}/offers`)).statusCode, 404);
        assert.equal((await phresh('PUT', owner, `${cleaningId}/offers/${chosen.username}`)).statusCode, 200);
        assert.equal((await phresh('PUT', others[0]!, `${cleaningId}/offers`)).statusCode, 400);
        const res = await phresh('PUT', chosen, `${cleaningId}/offers`);
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().status, 'cancelled');
        assert.equal(res.json().user_id, chosen.id);
        const after = await statuses(cleaningId);
        for (const other of others) assert.equal(after[other.username], 'pending');
        assert.equal((await phresh('PUT', chosen, `${cleaningId}/offers`)).statusCode, 400);
        assert.equal((await phresh('PUT', chosen, '999999/offers')).statusCode, 404);
      });

      test(`phresh: DELETE /cleanings/{id}/offers${slash} rescinds the caller's own pending offer and answers 200 with an id`, async () => {
        const { cleaningId, makers } = await jobWithOffers(3);
        const [pending, chosen, rejected] = makers as [TestUser, TestUser, TestUser];
        const res = await phresh('DELETE', pending, `${cleaningId}/offers`);
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json(), cleaningId);
        assert.equal(Object.hasOwn(await statuses(cleaningId), pending.username), false);
        assert.equal((await phresh('DELETE', pending, `${cleaningId}/offers`)).statusCode, 404);
        assert.equal((await phresh('PUT', owner, `${cleaningId}/offers/${chosen.username}`)).statusCode, 200);
        // Accepted, rejected and cancelled offers cannot be rescinded.
        assert.equal((await phresh('DELETE', chosen, `${cleaningId}/offers`)).statusCode, 400);
        assert.equal((await phresh('DELETE', rejected, `${cleaningId}/offers`)).statusCode, 400);
        assert.equal((await phresh('PUT', chosen, `${cleaningId}/offers`)).statusCode, 200);
        assert.equal((await phresh('DELETE', chosen, `${cleaningId}/offers`)).statusCode, 400);
        assert.deepEqual(await statuses(cleaningId), { [chosen.username]: 'cancelled', [rejected.username]: 'pending' });
      });

      test(`phresh: DELETE /cleanings/{id}${slash} answers 200 with the deleted id`, async () => {
        const cleaningId = await newCleaning();
        const res = await phresh('DELETE', owner, String(cleaningId));
        assert.equal(res.statusCode, 200);
        assert.equal(res.json(), cleaningId);
        assert.equal((await phresh('DELETE', owner, String(cleaningId))).statusCode, 404);
      });
    }

    test('an empty body {} accepts as no body does; a chosen status still decides', async () => {
      const { cleaningId, makers } = await jobWithOffers(1);
      const res = await t.inject({ method: 'PUT', url: `/api/cleanings/${cleaningId}/offers/${makers[0]!.username}`, headers: owner.headers, payload: {} });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().status, 'accepted');
      const bad = await t.inject({ method: 'PUT', url: `/api/cleanings/${cleaningId}/offers/${makers[0]!.username}`, headers: owner.headers, payload: { offer_update: {} } });
      assert.equal(bad.statusCode, 422);
      assert.deepEqual(bad.json().detail[0].loc, ['body', 'offer_update', 'status']);
    });

    test('deleting a job deletes its offers', async () => {
      const { cleaningId, makers } = await jobWithOffers(2);
      assert.equal((await t.inject({ method: 'DELETE', url: `/api/cleanings/${cleaningId}`, headers: owner.headers })).statusCode, 200);
      const rows = await t.app.context.database.db.selectFrom('offers').selectAll().where('cleaning_id', '=', cleaningId).execute();
      assert.deepEqual(rows, []);
      assert.equal((await readOffer(makers[0]!, cleaningId, makers[0]!.username)).statusCode, 404);
    });

    test('ten concurrent acceptances of different offers: exactly one succeeds, one accepted offer in the database', async () => {
      const { cleaningId, makers } = await jobWithOffers(10);
      const results = await Promise.all(makers.map((maker) => setStatus(owner, cleaningId, maker.username, 'accepted')));
      const codes = results.map((r) => r.statusCode);
      assert.equal(codes.filter((c) => c === 200).length, 1, codes.join(','));
      assert.ok(codes.every((c) => c === 200 || c === 400), codes.join(','));
      const rows = await t.app.context.database.db.selectFrom('offers').select(['user_id', 'status']).where('cleaning_id', '=', cleaningId).execute();
      assert.equal(rows.filter((r) => r.status === 'accepted').length, 1);
      assert.equal(rows.filter((r) => r.status === 'rejected').length, 9);
      const winner = results.find((r) => r.statusCode === 200)!.json().user_id;
      assert.equal(rows.find((r) => r.status === 'accepted')!.user_id, winner);
    });

    test('the partial unique index refuses a second accepted offer even written directly', async () => {
      const { cleaningId, makers } = await jobWithOffers(2);
      const db = t.app.context.database.db;
      await db.updateTable('offers').set({ status: 'accepted' }).where('cleaning_id', '=', cleaningId).where('user_id', '=', makers[0]!.id).execute();
      await assert.rejects(
        db.updateTable('offers').set({ status: 'accepted' }).where('cleaning_id', '=', cleaningId).where('user_id', '=', makers[1]!.id).execute(),
      );
    });

    test('every offer route needs a bearer token', async () => {
      const routes: [string, string][] = [
        ['POST', '/api/cleanings/1/offers'],
        ['GET', '/api/cleanings/1/offers'],
        ['GET', '/api/cleanings/1/offers/someone'],
        ['PUT', '/api/cleanings/1/offers/someone'],
        ['DELETE', '/api/cleanings/1/offers/someone'],
        ['PUT', '/api/cleanings/1/offers'],
        ['DELETE', '/api/cleanings/1/offers'],
      ];
      for (const [method, url] of routes) {
        const res = await t.inject({ method: method as 'GET', url });
        assert.equal(res.statusCode, 401, `${method} ${url}`);
        assert.deepEqual(res.json(), { detail: 'Not Authorized' });
      }
    });
  });
}
