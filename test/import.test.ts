import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { hash as argon2Hash } from '@node-rs/argon2';
import bcrypt from 'bcrypt';
import mysql from 'mysql2/promise';
import { sql } from 'kysely';
import pg from 'pg';
import { runImport } from '../src/cli/import.js';
import { createMysqlDatabase, createPostgresDatabase, createTestApp, dialects, type TestApp, type ThrowawayDatabase } from './helpers/test-app.js';

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
/** The statements of a .sql fixture, comments dropped. */
const statements = (sqlText: string) =>
  sqlText
    .split('\n')
    .filter((line) => !line.startsWith('--'))
    .join('\n')
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '');

const quiet = { isTTY: false, write: () => {} };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

async function rowCounts(t: TestApp) {
  const db = t.app.context.database.db;
  const count = async (table: 'users' | 'todos' | 'profiles' | 'imported_records') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { users: await count('users'), todos: await count('todos'), profiles: await count('profiles'), imported: await count('imported_records') };
}

// Seed 000's app: bcrypt.hashpw(password, bcrypt.gensalt()), here at bcrypt's lowest cost to keep the suite fast.
const todoAppUsers = [
  { username: 'alice', password: 'alice-password-1' },
  { username: 'Bob_2', password: 'bob-password-22' },
  { username: 'ab', password: 'too-short-name-1' },
];

describe('import todo-app (seed 000, MySQL)', { skip: process.env.TEST_MYSQL_URL ? false : 'TEST_MYSQL_URL is not set' }, () => {
  let source: ThrowawayDatabase;
  let sourceIds: Record<string, number>;

  before(async () => {
    source = await createMysqlDatabase();
    const connection = await mysql.createConnection({ uri: source.url, charset: 'UTF8MB4_GENERAL_CI' });
    try {
      for (const statement of statements(fixture('seed-000-todo-app.sql'))) await connection.query(statement);
      sourceIds = {};
      for (const user of todoAppUsers) {
        const [result] = await connection.query<mysql.ResultSetHeader>('INSERT INTO user (username, password) VALUES (?, ?)', [user.username, await bcrypt.hash(user.password, 4)]);
        sourceIds[user.username] = result.insertId;
      }
      // The seed's own first account: its INSERT stores the word "password" itself, not a hash.
      const [admin] = await connection.query<mysql.ResultSetHeader>("INSERT INTO user (username, password) VALUES ('admin', 'password')");
      sourceIds.admin = admin.insertId;
      const todos: [string, boolean, number | null][] = [
        ['FastAPI Section 0', true, sourceIds.alice!],
        ['장보기 🛒', false, sourceIds.Bob_2!],
        ['FastAPI Section 1', false, sourceIds.alice!],
        ['orphan of a bad name', false, sourceIds.ab!],
        ['nobody owns this', false, null],
      ];
      for (const [content, isDone, userId] of todos) await connection.query('INSERT INTO todo (content, is_done, user_id) VALUES (?, ?, ?)', [content, isDone, userId]);
    } finally {
      await connection.end();
    }
  });
  after(() => source.drop());

  for (const dialect of dialects) {
    describe(`into ${dialect}`, () => {
      let t: TestApp;
      before(async () => {
        t = await createTestApp(dialect);
      });
      after(() => t.close());

      test('--dry-run reports what would happen and writes nothing', async () => {
        const before = await rowCounts(t);
        const summary = await runImport(t.config, ['todo-app', '--from', source.url, '--dry-run'], quiet);
        assert.equal(summary.dryRun, true);
        assert.deepEqual(summary.imported, { user: 2, todo: 3 });
        assert.equal(summary.failed, null);
        assert.deepEqual(await rowCounts(t), before);
      });

      test('imports users and todos; bcrypt hashes log in with the original passwords and are upgraded; bad names are reported', async () => {
        const before = await rowCounts(t);
        let printed = '';
        const summary = await runImport(t.config, ['todo-app', '--from', source.url], { isTTY: false, write: (text) => (printed += text) });
        assert.deepEqual(summary.imported, { user: 2, todo: 3 });
        assert.deepEqual(summary.alreadyImported, { user: 0, todo: 0 });
        assert.equal(summary.failed, null);
        const reasons = Object.fromEntries(summary.skipped.map((s) => [`${s.kind} ${s.sourceId}`, s.reason]));
        assert.match(reasons[`user ${sourceIds.ab}`]!, /username "ab" breaks Spruce's rules/);
        assert.match(reasons[`user ${sourceIds.admin}`]!, /not a bcrypt hash \(it looks like plain text\)/);
        assert.equal(Object.keys(reasons).length, 4);
        assert.match(printed, /users: imported 2, already imported 0, skipped 2/);
        assert.match(printed, /username "ab" breaks Spruce's rules/);
        assert.match(printed, /its owner \(user \d+\) was not imported/);
        assert.match(printed, /has no owner/);
        assert.match(printed, /Failed: none/);
        assert.doesNotMatch(printed, /\$2b\$/, 'hashes never reach the output');
        const afterImport = await rowCounts(t);
        assert.equal(afterImport.users, before.users + 2);
        assert.equal(afterImport.profiles, before.profiles + 2);
        assert.equal(afterImport.todos, before.todos + 3);

        const users = t.app.context.usersRepository;
        assert.match((await users.findByUsername('alice'))!.hashedPassword, /^\$2b\$04\$/, 'kept as it was');
        const logIn = await t.inject({ method: 'POST', url: '/users/log-in', payload: { username: 'alice', password: 'alice-password-1' } });
        assert.equal(logIn.statusCode, 200, logIn.body);
        assert.match((await users.findByUsername('alice'))!.hashedPassword, /^\$argon2id\$/, 'upgraded at log-in');
        const wrong = await t.inject({ method: 'POST', url: '/users/log-in', payload: { username: 'Bob_2', password: 'alice-password-1' } });
        assert.equal(wrong.statusCode, 401);
        assert.equal(await users.findByUsername('ab'), null);
        assert.equal(await users.findByUsername('admin'), null);

        // Todos keep their owner, content, state and order.
        const todos = await t.inject({ method: 'GET', url: '/todos', headers: { authorization: `Bearer ${logIn.json().access_token}` } });
        assert.deepEqual(
          todos.json().todos.map((todo: { content: string; is_done: boolean }) => [todo.content, todo.is_done]),
          [['FastAPI Section 0', true], ['FastAPI Section 1', false]],
        );
        const bob = await t.inject({ method: 'POST', url: '/users/log-in', payload: { username: 'bob_2', password: 'bob-password-22' } });
        assert.equal(bob.statusCode, 200);
        const bobTodos = await t.inject({ method: 'GET', url: '/todos', headers: { authorization: `Bearer ${bob.json().access_token}` } });
        assert.deepEqual(bobTodos.json().todos.map((todo: { content: string }) => todo.content), ['장보기 🛒']);
      });

      test('running it again changes nothing', async () => {
        const before = await rowCounts(t);
        const summary = await runImport(t.config, ['todo-app', '--from', source.url], quiet);
        assert.deepEqual(summary.imported, { user: 0, todo: 0 });
        assert.deepEqual(summary.alreadyImported, { user: 2, todo: 3 });
        assert.equal(summary.failed, null);
        assert.deepEqual(await rowCounts(t), before);
      });
    });
  }

  test('a failing batch is rolled back whole, reported with how to resume, and the rerun finishes the job', async () => {
    const t = await createTestApp('sqlite');
    try {
      // Spruce refuses one todo mid-run, in the second batch of two.
      const db = t.app.context.database.db;
      await sql`create trigger refuse_one before insert on todos when new.content = 'FastAPI Section 1' begin select raise(abort, 'refused by test trigger'); end`.execute(db);
      let printed = '';
      const summary = await runImport(t.config, ['todo-app', '--from', source.url, '--batch-size', '2'], { isTTY: false, write: (text) => (printed += text) });
      assert.deepEqual(summary.imported, { user: 2, todo: 2 });
      assert.equal(summary.failed?.kind, 'todo');
      assert.equal(summary.failed?.size, 2);
      assert.match(printed, /was rolled back: .*refused by test trigger/);
      assert.match(printed, /run the same command again/);
      assert.match(printed, /npm run cli -- import todo-app --from '.*' --batch-size 2/);
      // The first todo batch is in; of the failed batch ("FastAPI Section 1" and a skipped one), nothing is.
      const contents = (await db.selectFrom('todos').select('content').orderBy('id').execute()).map((row) => row.content);
      assert.deepEqual(contents, ['FastAPI Section 0', '장보기 🛒']);
      assert.equal((await rowCounts(t)).imported, 4);

      await sql`drop trigger refuse_one`.execute(db);
      const resumed = await runImport(t.config, ['todo-app', '--from', source.url, '--batch-size', '2'], quiet);
      assert.equal(resumed.failed, null);
      assert.deepEqual(resumed.imported, { user: 0, todo: 1 });
      assert.deepEqual(resumed.alreadyImported, { user: 2, todo: 2 });
      assert.equal((await rowCounts(t)).todos, 3);
    } finally {
      await t.close();
    }
  });

  test('the command line: no progress bar off a terminal, the summary on stdout, exit code 0', { timeout: 60_000 }, async () => {
    const t = await createTestApp('sqlite');
    try {
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'import', 'todo-app', '--from', source.url, '--dry-run'], {
        cwd: path.join(import.meta.dirname, '..'),
        env: { ...process.env, ...t.env },
        encoding: 'utf8',
      });
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /dry run: nothing was written/);
      assert.match(result.stdout, /users: would import 2/);
      assert.doesNotMatch(result.stderr + result.stdout, /\u001b\[|░|█/, 'no progress bar when not on a terminal');
    } finally {
      await t.close();
    }
  });
});

describe('import fastapi-users (seed 002, PostgreSQL)', { skip: process.env.TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL is not set' }, () => {
  let source: ThrowawayDatabase;
  const ids = { passlib: randomUUID(), pwdlib: randomUUID(), inactive: randomUUID(), badName: randomUUID(), unknownHash: randomUUID() };

  before(async () => {
    source = await createPostgresDatabase();
    const client = new pg.Client({ connectionString: source.url });
    await client.connect();
    try {
      for (const statement of statements(fixture('seed-002-fastapi-users.sql'))) await client.query(statement);
      const insert = (id: string, name: string, email: string, hashed: string, flags: [boolean, boolean, boolean]) =>
        client.query('INSERT INTO users (id, name, email, hashed_password, is_active, is_superuser, is_verified) VALUES ($1, $2, $3, $4, $5, $6, $7)', [id, name, email, hashed, ...flags]);
      // passlib's CryptContext(schemes=["bcrypt"]) writes $2b$; pwdlib's Argon2Hasher writes argon2-cffi's defaults.
      await insert(ids.passlib, 'carol', 'Carol@Example.com', await bcrypt.hash('carol-password-1', 4), [true, true, true]);
      await insert(ids.pwdlib, 'dave_d', 'dave@example.com', await argon2Hash('dave-password-12', { algorithm: 2, memoryCost: 65536, timeCost: 3, parallelism: 4 }), [true, false, true]);
      await insert(ids.inactive, 'erin', 'erin@example.com', await bcrypt.hash('erin-password-1', 4), [false, false, false]);
      await insert(ids.badName, 'Frank Smith', 'frank@example.com', await bcrypt.hash('frank-password-1', 4), [true, false, true]);
      await insert(ids.unknownHash, 'grace', 'grace@example.com', '$bcrypt-sha256$v=2,t=2b,r=12$n79VH.0Q2TMWmt3Oqt9uku$Kq4Noyk3094Y2QlB8NdRT8SvGiI4ft2', [true, false, true]);
    } finally {
      await client.end();
    }
  });
  after(() => source.drop());

  for (const dialect of dialects) {
    describe(`into ${dialect}`, () => {
      let t: TestApp;
      before(async () => {
        t = await createTestApp(dialect);
      });
      after(() => t.close());

      test('imports ids, emails, names, hashes and flags; bcrypt and argon2 users log in with their passwords; a bad name is reported', async () => {
        const dry = await runImport(t.config, ['fastapi-users', '--from', source.url, '--dry-run'], quiet);
        assert.deepEqual(dry.imported, { user: 3, todo: 0 });
        assert.equal((await rowCounts(t)).users, 0);

        const summary = await runImport(t.config, ['fastapi-users', '--from', source.url], quiet);
        assert.deepEqual(summary.imported, { user: 3, todo: 0 });
        const reasons = Object.fromEntries(summary.skipped.map((s) => [s.sourceId, s.reason]));
        assert.match(reasons[ids.badName]!, /name "Frank Smith" breaks Spruce's rules/);
        assert.match(reasons[ids.unknownHash]!, /neither bcrypt nor argon2 \(it is a "bcrypt-sha256" hash\)/);
        assert.equal(summary.skipped.length, 2);

        const users = t.app.context.usersRepository;
        const carol = (await users.findById(ids.passlib))!;
        assert.deepEqual(
          [carol.username, carol.email, carol.isActive, carol.isSuperuser, carol.isVerified],
          ['carol', 'carol@example.com', true, true, true],
        );
        const erin = (await users.findById(ids.inactive))!;
        assert.deepEqual([erin.isActive, erin.isSuperuser, erin.isVerified], [false, false, false]);
        assert.equal(await users.findById(ids.badName), null);

        for (const [email, password] of [['carol@example.com', 'carol-password-1'], ['dave@example.com', 'dave-password-12']]) {
          const res = await t.inject({ method: 'POST', url: '/api/token', headers: form, payload: `username=${encodeURIComponent(email!)}&password=${encodeURIComponent(password!)}` });
          assert.equal(res.statusCode, 200, `${email}: ${res.body}`);
        }
        assert.match((await users.findById(ids.pwdlib))!.hashedPassword, new RegExp(`^\\$argon2id\\$v=19\\$m=${t.config.argon2MemoryKib},`), 'argon2 re-hashed with Spruce parameters');
        const me = await t.inject({ method: 'POST', url: '/users/log-in', payload: { username: 'Carol', password: 'carol-password-1' } });
        assert.equal(me.statusCode, 200);
      });

      test('running it again changes nothing', async () => {
        const before = await rowCounts(t);
        const summary = await runImport(t.config, ['fastapi-users', '--from', source.url], quiet);
        assert.deepEqual(summary.imported, { user: 0, todo: 0 });
        assert.deepEqual(summary.alreadyImported, { user: 3, todo: 0 });
        assert.deepEqual(await rowCounts(t), before);
      });
    });
  }
});
