import type { Kysely, Transaction } from 'kysely';
import { hasReturning } from '../../db/dialect.js';
import type { Database, ImportedRecordsTable } from '../../db/schema.js';

export type RecordKind = ImportedRecordsTable['kind'];

export interface ImportedUser {
  id: string;
  username: string;
  email: string | null;
  hashedPassword: string;
  isActive: boolean;
  isSuperuser: boolean;
  isVerified: boolean;
}

/** The SQL an import runs against Spruce's own database. */
export class ImportsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** Source id → Spruce id, for the records of this source already imported. */
  async importedIds(source: string, kind: RecordKind, sourceIds: string[]): Promise<Map<string, string>> {
    if (sourceIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('imported_records')
      .select(['source_id', 'target_id'])
      .where('source', '=', source)
      .where('kind', '=', kind)
      .where('source_id', 'in', sourceIds)
      .execute();
    return new Map(rows.map((row) => [row.source_id, row.target_id]));
  }

  /** Of these lower-cased usernames, the ones a Spruce account already holds (in any letter case). */
  async takenUsernames(lowerCased: string[]): Promise<Set<string>> {
    if (lowerCased.length === 0) return new Set();
    const rows = await this.db.selectFrom('users').select('username').where((eb) => eb.fn('lower', ['username']), 'in', lowerCased).execute();
    return new Set(rows.map((row) => row.username.toLowerCase()));
  }

  async takenEmails(lowerCased: string[]): Promise<Set<string>> {
    if (lowerCased.length === 0) return new Set();
    const rows = await this.db.selectFrom('users').select('email').where('email', 'in', lowerCased).execute();
    return new Set(rows.map((row) => row.email as string));
  }

  async existingUserIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.selectFrom('users').select('id').where('id', 'in', ids).execute();
    return new Set(rows.map((row) => row.id));
  }

  /** The account and its empty profile, as a sign-up creates them. */
  async insertUser(trx: Kysely<Database>, user: ImportedUser): Promise<string> {
    const now = new Date();
    await trx
      .insertInto('users')
      .values({
        id: user.id,
        username: user.username,
        email: user.email,
        hashed_password: user.hashedPassword,
        is_active: user.isActive,
        is_superuser: user.isSuperuser,
        is_verified: user.isVerified,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await trx.insertInto('profiles').values({ user_id: user.id, created_at: now, updated_at: now }).execute();
    return user.id;
  }

  /** One todo; its new id (one row at a time, so each source todo knows its id on MySQL too). */
  async insertTodo(trx: Kysely<Database>, todo: { ownerId: string; content: string; isDone: boolean }): Promise<string> {
    const insert = trx.insertInto('todos').values({ user_id: todo.ownerId, content: todo.content, is_done: todo.isDone, created_at: new Date() });
    if (hasReturning(trx)) return String((await insert.returning('id').executeTakeFirstOrThrow()).id);
    return String((await insert.executeTakeFirstOrThrow()).insertId);
  }

  async recordImported(trx: Kysely<Database>, source: string, kind: RecordKind, records: { sourceId: string; targetId: string }[]): Promise<void> {
    if (records.length === 0) return;
    const now = new Date();
    await trx
      .insertInto('imported_records')
      .values(records.map((record) => ({ source, kind, source_id: record.sourceId, target_id: record.targetId, imported_at: now })))
      .execute();
  }
}
