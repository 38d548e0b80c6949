import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import mysql from 'mysql2/promise';
import type { Database } from '../../db/schema.js';
import { followsUsernameRules, usernameRules } from '../users/account-rules.js';
import { ImportRun, type ImportOptions, type ImportSummary, type PlannedWrite } from './import-run.js';
import { describeHash, isBcryptHash } from './password-hashes.js';
import { sourceName } from './source-name.js';

interface SourceUser {
  id: number;
  username: string;
  password: string;
}

interface SourceTodo {
  id: number;
  content: string;
  is_done: number | boolean;
  user_id: number | null;
}

const maxContentLength = 256;

/**
 * Seed 000's ToDo app on MySQL: its `user` table (bcrypt hashes in `password`) and its `todo` table. Users get
 * new UUIDs and keep their bcrypt hash; todos get new ids under their owner's new id, in the source's order.
 */
export async function importTodoApp(db: Kysely<Database>, fromUrl: string, options: ImportOptions, onTotal?: (total: number) => void): Promise<ImportSummary> {
  const source = await mysql.createConnection({ uri: fromUrl.replace(/^mariadb:/i, 'mysql:'), charset: 'UTF8MB4_GENERAL_CI', connectTimeout: 5_000 });
  const run = new ImportRun(db, sourceName('todo-app', fromUrl), options);
  try {
    const count = async (table: string) => Number(((await source.query<mysql.RowDataPacket[]>(`select count(*) as n from \`${table}\``))[0][0] as { n: number }).n);
    onTotal?.((await count('user')) + (await count('todo')));

    let after = 0;
    while (!run.stopped) {
      const [rows] = await source.query<mysql.RowDataPacket[]>('select id, username, password from `user` where id > ? order by id limit ?', [after, options.batchSize]);
      const users = rows as SourceUser[];
      if (users.length === 0) break;
      after = users[users.length - 1]!.id;
      await importUsers(run, users);
    }

    after = 0;
    while (!run.stopped) {
      const [rows] = await source.query<mysql.RowDataPacket[]>('select id, content, is_done, user_id from todo where id > ? order by id limit ?', [after, options.batchSize]);
      const todos = rows as SourceTodo[];
      if (todos.length === 0) break;
      after = todos[todos.length - 1]!.id;
      await importTodos(run, todos);
    }
    return run.summary;
  } finally {
    await source.end();
  }
}

async function importUsers(run: ImportRun, users: SourceUser[]): Promise<void> {
  const ids = users.map((user) => String(user.id));
  const pending = await run.notYetImported('user', ids);
  const taken = await run.repository.takenUsernames(users.filter((u) => pending.has(String(u.id))).map((u) => u.username.toLowerCase()));
  const writes: PlannedWrite[] = [];
  for (const user of users) {
    const sourceId = String(user.id);
    if (!pending.has(sourceId)) continue;
    if (!followsUsernameRules(user.username)) {
      run.skip('user', sourceId, `username ${JSON.stringify(user.username)} breaks Spruce's rules (${usernameRules}); rename it in the source, then import again`);
    } else if (taken.has(user.username.toLowerCase())) {
      run.skip('user', sourceId, `username ${JSON.stringify(user.username)} is already taken in Spruce (letter case aside)`);
    } else if (!isBcryptHash(user.password)) {
      run.skip('user', sourceId, `password of ${JSON.stringify(user.username)} is not a bcrypt hash (${describeHash(user.password)})`);
    } else {
      // Two source users differing only in case: the first keeps the name, the second is reported.
      taken.add(user.username.toLowerCase());
      const account = { id: randomUUID(), username: user.username, email: null, hashedPassword: user.password, isActive: true, isSuperuser: false, isVerified: false };
      writes.push({ sourceId, write: (trx, repository) => repository.insertUser(trx, account) });
    }
  }
  await run.apply('user', ids, writes);
}

async function importTodos(run: ImportRun, todos: SourceTodo[]): Promise<void> {
  const ids = todos.map((todo) => String(todo.id));
  const pending = await run.notYetImported('todo', ids);
  // Owners imported by an earlier run.
  await run.load('user', [...new Set(todos.filter((todo) => todo.user_id !== null).map((todo) => String(todo.user_id)))]);
  const writes: PlannedWrite[] = [];
  for (const todo of todos) {
    const sourceId = String(todo.id);
    if (!pending.has(sourceId)) continue;
    const ownerId = todo.user_id === null ? undefined : run.targetOf('user', String(todo.user_id));
    if (todo.user_id === null) {
      run.skip('todo', sourceId, 'has no owner (user_id is NULL)');
    } else if (ownerId === undefined) {
      run.skip('todo', sourceId, `its owner (user ${todo.user_id}) was not imported`);
    } else if (todo.content.length === 0 || [...todo.content].length > maxContentLength) {
      run.skip('todo', sourceId, `content must be 1 to ${maxContentLength} characters`);
    } else if (todo.content.includes('\u0000')) {
      run.skip('todo', sourceId, 'content contains a NUL character, which PostgreSQL cannot store');
    } else {
      const values = { ownerId, content: todo.content, isDone: todo.is_done === true || todo.is_done === 1 };
      writes.push({ sourceId, write: (trx, repository) => repository.insertTodo(trx, values) });
    }
  }
  await run.apply('todo', ids, writes);
}
