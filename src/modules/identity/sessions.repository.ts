import type { Kysely, Transaction } from 'kysely';
import { toDate, toNullableDate, type Database, type SessionRow } from '../../db/schema.js';

/** A log-in session as the rest of the identity module sees it. */
export interface Session {
  id: string;
  userId: string;
  createdAt: Date;
  lastUsedAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  endedAt: Date | null;
  userAgent: string | null;
  ip: string | null;
}

/** A refresh token as stored: its hash, never the token. */
export interface RefreshTokenRecord {
  tokenHash: string;
  sessionId: string;
  createdAt: Date;
  spentAt: Date | null;
  childHash: string | null;
}

function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    userId: row.user_id,
    createdAt: toDate(row.created_at),
    lastUsedAt: toDate(row.last_used_at),
    idleExpiresAt: toDate(row.idle_expires_at),
    absoluteExpiresAt: toDate(row.absolute_expires_at),
    endedAt: toNullableDate(row.ended_at),
    userAgent: row.user_agent,
    ip: row.ip,
  };
}

type Db = Kysely<Database> | Transaction<Database>;

export class SessionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Runs `work` in one transaction: rotating a refresh token spends one row and adds another, or neither. */
  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** The session and its first refresh token: two rows that exist together or not at all. */
  async insert(session: Session, firstTokenHash: string, trx: Transaction<Database>): Promise<void> {
    await trx
      .insertInto('sessions')
      .values({
        id: session.id,
        user_id: session.userId,
        created_at: session.createdAt,
        last_used_at: session.lastUsedAt,
        idle_expires_at: session.idleExpiresAt,
        absolute_expires_at: session.absoluteExpiresAt,
        user_agent: session.userAgent,
        ip: session.ip,
      })
      .execute();
    await trx.insertInto('refresh_tokens').values({ token_hash: firstTokenHash, session_id: session.id, created_at: session.createdAt }).execute();
  }

  async findById(id: string, trx: Db = this.db): Promise<Session | null> {
    const row = await trx.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : toSession(row);
  }

  async findToken(tokenHash: string, trx: Db = this.db): Promise<RefreshTokenRecord | null> {
    const row = await trx.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    if (row === undefined) return null;
    return {
      tokenHash: row.token_hash,
      sessionId: row.session_id,
      createdAt: toDate(row.created_at),
      spentAt: toNullableDate(row.spent_at),
      childHash: row.child_hash,
    };
  }

  /**
   * Spends a token in favour of its child, only if nobody spent it first: of any number of concurrent refreshes
   * of one token exactly one gets true (PostgreSQL re-checks the row after the winner commits; SQLite runs one
   * writer at a time). The winner then adds the child in the same transaction.
   */
  async spend(tokenHash: string, childHash: string, at: Date, trx: Transaction<Database>): Promise<boolean> {
    const result = await trx
      .updateTable('refresh_tokens')
      .set({ spent_at: at, child_hash: childHash })
      .where('token_hash', '=', tokenHash)
      .where('spent_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    const { session_id } = await trx.selectFrom('refresh_tokens').select('session_id').where('token_hash', '=', tokenHash).executeTakeFirstOrThrow();
    await trx.insertInto('refresh_tokens').values({ token_hash: childHash, session_id, created_at: at }).execute();
    return true;
  }

  /** Part of a rotation (see spend): the session's idle expiry moves with the token that was spent. */
  async touch(sessionId: string, at: Date, idleExpiresAt: Date, trx: Transaction<Database>): Promise<void> {
    await trx.updateTable('sessions').set({ last_used_at: at, idle_expires_at: idleExpiresAt }).where('id', '=', sessionId).execute();
  }

  /** The account's sessions not ended and not expired at `now`, newest first. */
  async listLive(userId: string, now: Date): Promise<Session[]> {
    const rows = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('ended_at', 'is', null)
      .where('idle_expires_at', '>', now)
      .where('absolute_expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toSession);
  }

  /** Ends the given sessions (those not ended yet); returns the ids it ended. Their audit events go in the same transaction. */
  async end(ids: string[], reason: string, at: Date, trx: Transaction<Database>): Promise<string[]> {
    if (ids.length === 0) return [];
    const open = await trx.selectFrom('sessions').select('id').where('id', 'in', ids).where('ended_at', 'is', null).execute();
    const openIds = open.map((row) => row.id);
    if (openIds.length === 0) return [];
    await trx.updateTable('sessions').set({ ended_at: at, end_reason: reason }).where('id', 'in', openIds).where('ended_at', 'is', null).execute();
    return openIds;
  }

  /** Every open session of an account, but `exceptId`: the ids to end. */
  async openIdsOf(userId: string, exceptId: string | null = null, trx: Db = this.db): Promise<string[]> {
    let query = trx.selectFrom('sessions').select('id').where('user_id', '=', userId).where('ended_at', 'is', null);
    if (exceptId !== null) query = query.where('id', '!=', exceptId);
    return (await query.execute()).map((row) => row.id);
  }

  /** Deletes sessions ended or expired before `before`, with their tokens (ON DELETE CASCADE). */
  async prune(before: Date): Promise<number> {
    const result = await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('ended_at', '<', before), eb('idle_expires_at', '<', before), eb('absolute_expires_at', '<', before)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
