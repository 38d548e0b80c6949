import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { preparedQuery } from '../src/db/prepared-query.js';
import { createTestApp, dialects, newUser, type TestApp, type TestUser } from './helpers/test-app.js';

for (const dialect of dialects) {
  describe(`preparedQuery on ${dialect}`, () => {
    let t: TestApp;
    let alice: TestUser;
    let bob: TestUser;

    before(async () => {
      t = await createTestApp(dialect);
      alice = await newUser(t);
      bob = await newUser(t);
      for (const [user, contents] of [
        [alice, ['a1', 'a2', 'a3']],
        [bob, ['b1']],
      ] as const) {
        for (const content of contents) {
          const res = await t.inject({ method: 'POST', url: '/todos', headers: user.headers, payload: { content, is_done: content === 'a2' } });
          assert.equal(res.statusCode, 201);
        }
      }
    });
    after(() => t.close());

    const db = () => t.app.context.database.db;
    const userIdOf = async (user: TestUser) =>
      (await db().selectFrom('users').select('id').where('username', '=', user.username).executeTakeFirstOrThrow()).id;

    test('runs the compiled query with each call’s values, as building it each time would', async () => {
      const contentsOf = preparedQuery(db(), 2, (ownerId: string, limit: number) =>
        db().selectFrom('todos').select('content').where('user_id', '=', ownerId).orderBy('id').limit(limit),
      );
      const aliceId = await userIdOf(alice);
      const bobId = await userIdOf(bob);
      assert.deepEqual((await contentsOf(aliceId, 10)).map((row) => row.content), ['a1', 'a2', 'a3']);
      assert.deepEqual((await contentsOf(aliceId, 2)).map((row) => row.content), ['a1', 'a2']);
      assert.deepEqual((await contentsOf(bobId, 10)).map((row) => row.content), ['b1']);
      const built = await db().selectFrom('todos').select('content').where('user_id', '=', bobId).orderBy('id').limit(10).execute();
      assert.deepEqual(await contentsOf(bobId, 10), built);
    });

    test('answers each row with the properties the driver’s own rows have, whatever the column names', async () => {
      const aliceId = await userIdOf(alice);
      const build = (ownerId: string) =>
        db()
          .selectFrom('todos')
          .select([
            'content',
            sql<string>`content`.as('it\'s "quoted", \\ and spaced'),
            // mysql2 refuses a column named __proto__ whichever way the query runs.
            sql<string>`content`.as(dialect === 'mysql' ? 'proto' : '__proto__'),
            sql<number>`id`.as('content'),
            sql<string>`'ünï ✓'`.as('名前'),
          ])
          .where('user_id', '=', ownerId)
          .orderBy('id');
      const rows = await preparedQuery(db(), 1, build)(aliceId);
      const expected = await build(aliceId).execute();
      assert.equal(rows.length, 3);
      assert.deepEqual(rows, expected);
      for (const row of rows) {
        assert.deepEqual(Object.keys(row), Object.keys(expected[0]!));
        assert.equal(Object.getPrototypeOf(row), Object.prototype);
        assert.equal(typeof row.content, 'number');
      }
    });

    test('keeps values fixed at build time, such as a boolean the SQLite plugin converts', async () => {
      const doneContents = preparedQuery(db(), 1, (ownerId: string) =>
        db().selectFrom('todos').select('content').where('user_id', '=', ownerId).where('is_done', '=', true),
      );
      assert.deepEqual(await doneContents(await userIdOf(alice)), [{ content: 'a2' }]);
    });

    test('binds Dates and booleans given at call time the way each database stores them', async () => {
      const createdBefore = preparedQuery(db(), 3, (ownerId: string, before: Date, isDone: boolean) =>
        db().selectFrom('todos').select('content').where('user_id', '=', ownerId).where('created_at', '<', before).where('is_done', '=', isDone).orderBy('id'),
      );
      const aliceId = await userIdOf(alice);
      const future = new Date(Date.now() + 60_000);
      assert.deepEqual((await createdBefore(aliceId, future, false)).map((row) => row.content), ['a1', 'a3']);
      assert.deepEqual((await createdBefore(aliceId, future, true)).map((row) => row.content), ['a2']);
      assert.deepEqual(await createdBefore(aliceId, new Date('2000-01-01T00:00:00.000Z'), false), []);
    });

    test('reads only what is committed, beside a transaction still open, and in the transaction its own writes', async () => {
      const aliceId = await userIdOf(alice);
      const contentsOf = preparedQuery(db(), 1, (ownerId: string) => db().selectFrom('todos').select('content').where('user_id', '=', ownerId).orderBy('id'));
      const before = (await contentsOf(aliceId)).map((row) => row.content);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let inserted!: () => void;
      const insertedYet = new Promise<void>((resolve) => (inserted = resolve));
      const transaction = db()
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto('todos').values({ user_id: aliceId, content: 'uncommitted', is_done: false, created_at: new Date() }).execute();
          // A query built on the transaction runs in it and sees its own write.
          const inTransaction = preparedQuery(trx, 1, (ownerId: string) => trx.selectFrom('todos').select('content').where('user_id', '=', ownerId).orderBy('id'));
          assert.deepEqual((await inTransaction(aliceId)).map((row) => row.content), [...before, 'uncommitted']);
          inserted();
          await held;
          throw new Error('roll back');
        })
        .catch((error: unknown) => error);
      await insertedYet;
      // Outside it (on SQLite the one writing connection is held by the transaction): neither waits nor sees it.
      assert.deepEqual((await contentsOf(aliceId)).map((row) => row.content), before);
      release();
      assert.match(String(await transaction), /roll back/);
      assert.deepEqual((await contentsOf(aliceId)).map((row) => row.content), before);
    });

    test('refuses a build that does not bind every argument, rather than silently ignoring it', () => {
      assert.throws(
        () => preparedQuery(db(), 2, (ownerId: string, _unused: number) => db().selectFrom('todos').select('id').where('user_id', '=', ownerId)),
        /argument 1 is not a bound parameter/,
      );
    });
  });
}

if (dialects.includes('postgres')) {
  describe('preparedQuery on postgres with unnamed statements', () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp('postgres', { DATABASE_PREPARED_STATEMENTS: 'false' });
    });
    after(() => t.close());

    test('names the columns the result has now, should they change under the same SQL text', async () => {
      const db = t.app.context.database.db as unknown as Kysely<any>;
      await sql`create table scratch_rows (id integer, owner text)`.execute(db);
      await sql`insert into scratch_rows values (1, 'alice')`.execute(db);
      const rowsOf = preparedQuery(db, 1, (owner: string) => db.selectFrom('scratch_rows').selectAll().where('owner', '=', owner));
      assert.deepEqual(await rowsOf('alice'), [{ id: 1, owner: 'alice' }]);
      // What a newer version's migration does while this one still serves (named statements refuse it instead).
      await sql`alter table scratch_rows add column note text default 'n'`.execute(db);
      assert.deepEqual(await rowsOf('alice'), [{ id: 1, owner: 'alice', note: 'n' }]);
      await sql`alter table scratch_rows drop column owner`.execute(db);
      await sql`alter table scratch_rows add column owner text default 'alice'`.execute(db);
      assert.deepEqual(await rowsOf('alice'), [{ id: 1, note: 'n', owner: 'alice' }]);
    });
  });
}
