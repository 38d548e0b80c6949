import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, dialects, newUser, type TestApp, type TestUser } from './helpers/test-app.js';

for (const dialect of dialects) {
  describe(`evaluations on ${dialect}`, () => {
    let t: TestApp;
    let owner: TestUser;

    before(async () => {
      t = await createTestApp(dialect);
      owner = await newUser(t);
    });
    after(() => t.close());

    /** A job of `jobOwner` with an accepted offer from `cleaner`. */
    const hired = async (cleaner: TestUser, jobOwner: TestUser = owner): Promise<number> => {
      const created = await t.inject({ method: 'POST', url: '/api/cleanings', headers: jobOwner.headers, payload: { new_cleaning: { name: 'job', price: 50 } } });
      const cleaningId = created.json().id as number;
      assert.equal((await t.inject({ method: 'POST', url: `/api/cleanings/${cleaningId}/offers`, headers: cleaner.headers })).statusCode, 201);
      const accepted = await t.inject({
        method: 'PUT',
        url: `/api/cleanings/${cleaningId}/offers/${cleaner.username}`,
        headers: jobOwner.headers,
        payload: { offer_update: { status: 'accepted' } },
      });
      assert.equal(accepted.statusCode, 200);
      return cleaningId;
    };
    const evaluate = (user: TestUser, cleanerUsername: string, cleaningId: number, evaluation: Record<string, unknown>) =>
      t.inject({
        method: 'POST',
        url: `/api/users/${cleanerUsername}/evaluations/${cleaningId}`,
        headers: user.headers,
        payload: { evaluation_create: evaluation },
      });
    const offerStatus = async (cleaningId: number, username: string) =>
      (await t.inject({ method: 'GET', url: `/api/cleanings/${cleaningId}/offers/${username}`, headers: owner.headers })).json().status;

    test('the owner rates the hired cleaner: 201, and the offer becomes completed', async () => {
      const cleaner = await newUser(t);
      const cleaningId = await hired(cleaner);
      const res = await evaluate(owner, cleaner.username, cleaningId, {
        professionalism: 5,
        completeness: 4,
        efficiency: 3,
        overall_rating: 4,
        headline: 'Great job',
        comment: 'Would hire again',
      });
      assert.equal(res.statusCode, 201);
      const body = res.json();
      assert.deepEqual({ ...body, created_at: undefined, updated_at: undefined }, {
        cleaning_id: cleaningId,
        cleaner_id: cleaner.id,
        professionalism: 5,
        completeness: 4,
        efficiency: 3,
        overall_rating: 4,
        headline: 'Great job',
        comment: 'Would hire again',
        no_show: false,
        created_at: undefined,
        updated_at: undefined,
      });
      assert.equal(await offerStatus(cleaningId, cleaner.username), 'completed');
      const read = await t.inject({ method: 'GET', url: `/api/users/${cleaner.username}/evaluations/${cleaningId}`, headers: cleaner.headers });
      assert.equal(read.statusCode, 200);
      assert.deepEqual(read.json(), body);
    });

    test('only once per job (400), and the offer stays completed', async () => {
      const cleaner = await newUser(t);
      const cleaningId = await hired(cleaner);
      assert.equal((await evaluate(owner, cleaner.username, cleaningId, { overall_rating: 5 })).statusCode, 201);
      const again = await evaluate(owner, cleaner.username, cleaningId, { overall_rating: 1 });
      assert.equal(again.statusCode, 400);
      assert.deepEqual(again.json(), { detail: 'This cleaner has already been evaluated for this cleaning job.' });
      const racing = await newUser(t);
      const raceJob = await hired(racing);
      const raced = await Promise.all([1, 2, 3].map((n) => evaluate(owner, racing.username, raceJob, { overall_rating: n })));
      assert.deepEqual(raced.map((r) => r.statusCode).sort(), [201, 400, 400]);
    });

    test('only the owner of the job may rate (403); only the accepted cleaner (400)', async () => {
      const cleaner = await newUser(t);
      const cleaningId = await hired(cleaner);
      for (const actor of [cleaner, await newUser(t)]) {
        const res = await evaluate(actor, cleaner.username, cleaningId, { overall_rating: 5 });
        assert.equal(res.statusCode, 403);
      }
      const pendingMaker = await newUser(t);
      const otherJob = (await t.inject({ method: 'POST', url: '/api/cleanings', headers: owner.headers, payload: { new_cleaning: { name: 'j', price: 1 } } })).json().id;
      await t.inject({ method: 'POST', url: `/api/cleanings/${otherJob}/offers`, headers: pendingMaker.headers });
      const pending = await evaluate(owner, pendingMaker.username, otherJob, { overall_rating: 5 });
      assert.equal(pending.statusCode, 400);
      assert.deepEqual(pending.json(), { detail: 'Only the cleaner whose offer was accepted can be evaluated for this job.' });
      const noOffer = await evaluate(owner, (await newUser(t)).username, cleaningId, { overall_rating: 5 });
      assert.equal(noOffer.statusCode, 400);
      assert.equal((await evaluate(owner, 'nobody_here', cleaningId, { overall_rating: 5 })).statusCode, 404);
      assert.equal((await evaluate(owner, cleaner.username, 999999, { overall_rating: 5 })).statusCode, 404);
      assert.equal(await offerStatus(cleaningId, cleaner.username), 'accepted');
    });

    test('a cancelled offer cannot be rated', async () => {
      const cleaner = await newUser(t);
      const cleaningId = await hired(cleaner);
      await t.inject({
        method: 'PUT',
        url: `/api/cleanings/${cleaningId}/offers/${cleaner.username}`,
        headers: cleaner.headers,
        payload: { offer_update: { status: 'cancelled' } },
      });
      assert.equal((await evaluate(owner, cleaner.username, cleaningId, { overall_rating: 5 })).statusCode, 400);
    });

    test('ratings outside 0 to 5, a missing overall rating and oversized text are 422 and write nothing', async () => {
      const cleaner = await newUser(t);
      const cleaningId = await hired(cleaner);
      const cases: [Record<string, unknown>, string][] = [
        [{}, 'overall_rating'],
        [{ overall_rating: 6 }, 'overall_rating'],
        [{ overall_rating: -1 }, 'overall_rating'],
        [{ overall_rating: 2.5 }, 'overall_rating'],
        [{ overall_rating: '5' }, 'overall_rating'],
        [{ overall_rating: 5, professionalism: 10 }, 'professionalism'],
        [{ overall_rating: 5, completeness: -2 }, 'completeness'],
        [{ overall_rating: 5, efficiency: 6 }, 'efficiency'],
        [{ overall_rating: 5, headline: 'h'.repeat(201) }, 'headline'],
        [{ overall_rating: 5, comment: 'c'.repeat(2001) }, 'comment'],
        [{ overall_rating: 5, no_show: 'yes' }, 'no_show'],
      ];
      for (const [evaluation, field] of cases) {
        const res = await evaluate(owner, cleaner.username, cleaningId, evaluation);
        assert.equal(res.statusCode, 422, JSON.stringify(evaluation));
        assert.deepEqual(res.json().detail[0].loc, ['body', 'evaluation_create', field]);
      }
      assert.equal(await offerStatus(cleaningId, cleaner.username), 'accepted');
      assert.equal((await evaluate(owner, cleaner.username, cleaningId, { overall_rating: 0, no_show: true })).statusCode, 201);
    });

    test("lists a cleaner's evaluations, newest first; unknown cleaner 404", async () => {
      const cleaner = await newUser(t);
      const jobs = [await hired(cleaner), await hired(cleaner)];
      for (const cleaningId of jobs) await evaluate(owner, cleaner.username, cleaningId, { overall_rating: 3 });
      const res = await t.inject({ method: 'GET', url: `/api/users/${cleaner.username}/evaluations`, headers: owner.headers });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json().map((e: { cleaning_id: number }) => e.cleaning_id), [...jobs].reverse());
      const none = await t.inject({ method: 'GET', url: `/api/users/${owner.username}/evaluations`, headers: owner.headers });
      assert.deepEqual(none.json(), []);
      const unknown = await t.inject({ method: 'GET', url: '/api/users/nobody_here/evaluations', headers: owner.headers });
      assert.equal(unknown.statusCode, 404);
      const missing = await t.inject({ method: 'GET', url: `/api/users/${cleaner.username}/evaluations/999999`, headers: owner.headers });
      assert.equal(missing.statusCode, 404);
    });

    test('stats: averages, min and max, star counts, totals and no-shows on known data', async () => {
      const cleaner = await newUser(t);
      const otherOwner = await newUser(t);
      const ratings = [
        { professionalism: 5, completeness: 5, efficiency: 4, overall_rating: 5 },
        { professionalism: 4, completeness: 3, overall_rating: 4 },
        { professionalism: 3, efficiency: 2, overall_rating: 4, no_show: false },
        { overall_rating: 1, no_show: true },
        { professionalism: 0, completeness: 1, efficiency: 0, overall_rating: 0, no_show: true },
        { professionalism: 2, completeness: 2, efficiency: 3, overall_rating: 2 },
      ];
      for (const [i, rating] of ratings.entries()) {
        const jobOwner = i % 2 === 0 ? owner : otherOwner;
        const cleaningId = await hired(cleaner, jobOwner);
        assert.equal((await evaluate(jobOwner, cleaner.username, cleaningId, rating)).statusCode, 201);
      }
      // Someone else's evaluation must not count.
      const bystander = await newUser(t);
      await evaluate(owner, bystander.username, await hired(bystander), { overall_rating: 5 });

      const res = await t.inject({ method: 'GET', url: `/api/users/${cleaner.username}/evaluations/stats`, headers: bystander.headers });
      assert.equal(res.statusCode, 200);
      const stats = res.json();
      const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} != ${expected}`);
      close(stats.avg_professionalism, (5 + 4 + 3 + 0 + 2) / 5);
      close(stats.avg_completeness, (5 + 3 + 1 + 2) / 4);
      close(stats.avg_efficiency, (4 + 2 + 0 + 3) / 4);
      close(stats.avg_overall_rating, (5 + 4 + 4 + 1 + 0 + 2) / 6);
      assert.deepEqual(
        { ...stats, avg_professionalism: 0, avg_completeness: 0, avg_efficiency: 0, avg_overall_rating: 0 },
        {
          avg_professionalism: 0,
          avg_completeness: 0,
          avg_efficiency: 0,
          avg_overall_rating: 0,
          min_overall_rating: 0,
          max_overall_rating: 5,
          one_stars: 1,
          two_stars: 1,
          three_stars: 0,
          four_stars: 2,
          five_stars: 1,
          total_evaluations: 6,
          total_no_show: 2,
        },
      );

      const empty = await t.inject({ method: 'GET', url: `/api/users/${otherOwner.username}/evaluations/stats`, headers: owner.headers });
      assert.deepEqual(empty.json(), {
        avg_professionalism: null,
        avg_completeness: null,
        avg_efficiency: null,
        avg_overall_rating: null,
        min_overall_rating: null,
        max_overall_rating: null,
        one_stars: 0,
        two_stars: 0,
        three_stars: 0,
        four_stars: 0,
        five_stars: 0,
        total_evaluations: 0,
        total_no_show: 0,
      });
      assert.equal((await t.inject({ method: 'GET', url: '/api/users/nobody_here/evaluations/stats', headers: owner.headers })).statusCode, 404);
    });

    test('every evaluation route needs a bearer token', async () => {
      for (const [method, url] of [
        ['POST', '/api/users/someone/evaluations/1'],
        ['GET', '/api/users/someone/evaluations'],
        ['GET', '/api/users/someone/evaluations/1'],
        ['GET', '/api/users/someone/evaluations/stats'],
      ] as const) {
        const res = await t.inject({ method, url });
        assert.equal(res.statusCode, 401, `${method} ${url}`);
        assert.deepEqual(res.json(), { detail: 'Not Authorized' });
      }
    });
  });
}
