import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import { isMysql } from '../../db/dialect.js';
import { toBool, toDate, toNullableDate, type Database, type NewUserRow, type UserRow, type UserUpdate } from '../../db/schema.js';
import type { Principal } from '../../core/principal.js';

/** A user as the rest of the app sees it: booleans and Dates whatever the dialect. */
export interface User {
  id: string;
  username: string;
  email: string | null;
  hashedPassword: string;
  isActive: boolean;
  isSuperuser: boolean;
  isVerified: boolean;
  tokensValidAfter: Date | null;
  /** A log-in needs a TOTP code (see second-factor.service.ts). */
  mfaEnabled: boolean;
  /** Mail the owner about a log-in from a client the account has not used before. */
  loginNotices: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    hashedPassword: row.hashed_password,
    isActive: toBool(row.is_active),
    isSuperuser: toBool(row.is_superuser),
    isVerified: toBool(row.is_verified),
    tokensValidAfter: toNullableDate(row.tokens_valid_after),
    mfaEnabled: toBool(row.mfa_enabled),
    loginNotices: toBool(row.login_notices),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

export function toPrincipal(user: User): Principal {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    isActive: user.isActive,
    isSuperuser: user.isSuperuser,
    isVerified: user.isVerified,
    tokensValidAfter: user.tokensValidAfter?.getTime() ?? null,
  };
}

export class UsersRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Runs `work` in one transaction: a change to an account and its audit event are written together. */
  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async findById(id: string): Promise<User | null> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : toUser(row);
  }

  /** Several users in one query (a feed page's owners, for example); unknown ids are simply absent. */
  /** Usernames are unique without regard to case (see the lower(username) index). */
  async findByUsername(username: string): Promise<User | null> {
    // MySQL indexes lower(username) as the generated column username_lower; MariaDB only uses it by that name.
    const key = isMysql(this.db) ? sql<string>`username_lower` : sql<string>`lower(username)`;
    const row = await this.db.selectFrom('users').selectAll().where(key, '=', username.toLowerCase()).executeTakeFirst();
    return row === undefined ? null : toUser(row);
  }

  async findByEmail(email: string): Promise<User | null> {
    const row = await this.db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    return row === undefined ? null : toUser(row);
  }

  /** In the transaction that also writes the account's 'user.registered' event. */
  async insert(user: NewUserRow, trx: Transaction<Database>): Promise<User> {
    const now = new Date();
    const row = { created_at: now, updated_at: now, ...user, email: user.email?.toLowerCase() ?? null };
    await trx.insertInto('users').values(row).execute();
    const created = await trx.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    return toUser(created);
  }

  /**
   * Applies the changes and returns the user as stored, or null when no row was changed: the user is gone, or
   * `ifHashedPassword` was given and the password hash is no longer that one (a compare-and-set, so a reset
   * token cannot be spent twice by two requests racing each other).
   */
  async update(id: string, changes: UserUpdate, options: { ifHashedPassword?: string; trx?: Transaction<Database> } = {}): Promise<User | null> {
    const db = options.trx ?? this.db;
    const values: UserUpdate = { ...changes, updated_at: new Date() };
    if (typeof values.email === 'string') values.email = values.email.toLowerCase();
    let query = db.updateTable('users').set(values).where('id', '=', id);
    if (options.ifHashedPassword !== undefined) query = query.where('hashed_password', '=', options.ifHashedPassword);
    const result = await query.executeTakeFirst();
    if (result.numUpdatedRows === 0n) return null;
    const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : toUser(row);
  }

  /** One page of every user (or those matching `search`), oldest first; id breaks ties so pages never overlap or skip. */
  async list(page: { offset: number; limit: number }, search?: string): Promise<User[]> {
    const rows = await this.db
      .selectFrom('users')
      .selectAll()
      .where((eb) => matching(eb, search))
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return rows.map(toUser);
  }

  async count(search?: string): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .where((eb) => matching(eb, search))
      .select((eb) => eb.fn.countAll().as('total'))
      .executeTakeFirstOrThrow();
    return Number(row.total);
  }

  async delete(id: string, trx: Kysely<Database> | Transaction<Database> = this.db): Promise<boolean> {
    const result = await trx.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

/**
 * Accounts whose name or email contains `search`, without regard to case, on every dialect: both sides lower-cased
 * (MySQL's binary collation would otherwise compare case), and LIKE's wildcards escaped with `!` (a backslash
 * means different things in PostgreSQL's and MySQL's string literals), so `_` in a name matches only `_`.
 */
function matching(eb: ExpressionBuilder<Database, 'users'>, search: string | undefined) {
  if (search === undefined || search === '') return eb.lit(true);
  const pattern = `%${search.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
  return eb.or([sql<boolean>`lower(username) like ${pattern} escape '!'`, sql<boolean>`email like ${pattern} escape '!'`]);
}
