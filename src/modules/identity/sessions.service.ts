import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Static } from 'typebox';
import type { Clock } from '../../core/clock.js';
import { isoStringOf } from '../../core/iso-instant.js';
import type { RequestContext } from '../../core/request-context.js';
import type { Database } from '../../db/schema.js';
import { NotAuthenticatedError, NotFoundError } from '../../core/errors.js';
import type { Logger } from '../../infra/logger.js';
import type { AuditLog } from '../audit/audit.service.js';
import { userAgentFamily } from './known-clients.js';
import { keepEndedSessionsMs } from './prune.js';
import type { Session, SessionsRepository } from './sessions.repository.js';
import type { SessionView } from './sessions.schemas.js';
import type { TokenCodec } from './token-codec.js';

export const refreshTokenInvalid = 'REFRESH_TOKEN_INVALID';

export interface SessionOptions {
  idleSeconds: number;
  maxSeconds: number;
  /** How long a spent refresh token still answers with the pair that replaced it (tabs refreshing at once). */
  reuseGraceSeconds: number;
}

/** Where a log-in or a refresh comes from, kept on the session for its owner to recognise it. */
export interface ClientInfo {
  userAgent?: string | undefined;
  ip: string;
}

/** What a log-in or a refresh answers. */
export interface TokenPair {
  sessionId: string;
  userId: string;
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token has left. */
  expiresIn: number;
}

/** Why a session ended, as stored on it. */
export type SessionEndReason =
  | 'logout'
  | 'revoked'
  | 'revoked-by-superuser'
  | 'refresh-reuse'
  | 'password-changed'
  | 'password-reset'
  | 'email-changed'
  | 'deactivated'
  | 'deleted';

export interface SessionsServiceDeps {
  repository: SessionsRepository;
  accessTokens: TokenCodec;
  /** Derives a child refresh token from its parent (see deriveChild); a key used for nothing else. */
  refreshKey: Buffer;
  options: SessionOptions;
  clock: Clock;
  audit: AuditLog;
  /** Tells every process that these sessions ended, so their access tokens are refused at once. */
  sessionsEnded: (ids: string[]) => Promise<void>;
  log: Pick<Logger, 'warn'>;
}

/** A session as its owner (or a superuser) sees it; `current` when it is the session of the token asking. */
export function toSessionView(session: Session, currentId: string | null): Static<typeof SessionView> {
  return {
    id: session.id,
    created_at: isoStringOf(session.createdAt),
    last_used_at: isoStringOf(session.lastUsedAt),
    user_agent: session.userAgent,
    client: userAgentFamily(session.userAgent),
    ip: session.ip,
    current: session.id === currentId,
  };
}

const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A hash as a UUID-shaped string, for the jti of an access token minted from a refresh token. */
function jtiOf(hash: string): string {
  return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-${hash.slice(12, 16)}-${hash.slice(16, 20)}-${hash.slice(20, 32)}`;
}

/**
 * Log-in sessions with rotating refresh tokens.
 *
 * Refresh tokens are opaque and stored as SHA-256 hashes. The token that replaces a refresh token is derived
 * from it with a keyed HMAC, and the access token issued with it is signed with the child's creation time and
 * a jti taken from the child's hash. So the server can answer a spent token presented again within the grace
 * with the very same pair, without ever storing a token: several tabs refreshing at once all get one pair, and
 * the session never has two live children. A spent token presented after the grace, or any older ancestor,
 * means two parties hold the session's tokens: the session ends.
 */
export class SessionsService {
  constructor(private readonly deps: SessionsServiceDeps) {}

  private now(): Date {
    return new Date(this.deps.clock.now());
  }

  /**
   * Starts a session for an account whose credentials (and any second factor) were checked. `within` runs first
   * in the same transaction (spending the second factor's code), so the code and the session commit together.
   */
  async start(userId: string, client: ClientInfo, context: RequestContext | null, within?: (trx: Transaction<Database>) => Promise<void>): Promise<TokenPair> {
    const now = this.now();
    const { idleSeconds, maxSeconds } = this.deps.options;
    const session: Session = {
      id: randomUUID(),
      userId,
      createdAt: now,
      lastUsedAt: now,
      idleExpiresAt: new Date(now.getTime() + idleSeconds * 1000),
      absoluteExpiresAt: new Date(now.getTime() + maxSeconds * 1000),
      endedAt: null,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
      ip: client.ip.slice(0, 64),
    };
    const refreshToken = randomBytes(32).toString('base64url');
    await this.deps.repository.transaction(async (trx) => {
      await within?.(trx);
      await this.deps.repository.insert(session, sha256(refreshToken), trx);
      await this.deps.audit.record('login.succeeded', { subjectId: userId, sessionId: session.id }, context, trx);
    });
    return this.pair(session, refreshToken, now);
  }

  /** Spends a refresh token for a new pair; see the class comment for the grace and reuse rules. */
  async refresh(refreshToken: string, client: ClientInfo, context: RequestContext | null): Promise<TokenPair> {
    const { repository } = this.deps;
    const now = this.now();
    const tokenHash = sha256(refreshToken);
    const record = await repository.findToken(tokenHash);
    if (record === null) throw new NotAuthenticatedError(refreshTokenInvalid);
    const session = await repository.findById(record.sessionId);
    if (session === null || !this.isLive(session, now)) throw new NotAuthenticatedError(refreshTokenInvalid);

    const child = this.deriveChild(refreshToken);
    const childHash = sha256(child);
    if (record.spentAt === null) {
      const idleExpiresAt = new Date(Math.min(now.getTime() + this.deps.options.idleSeconds * 1000, session.absoluteExpiresAt.getTime()));
      const won = await repository.transaction(async (trx) => {
        if (!(await repository.spend(tokenHash, childHash, now, trx))) return false;
        await repository.touch(session.id, now, idleExpiresAt, trx);
        return true;
      });
      if (won) return this.pair({ ...session, lastUsedAt: now }, child, now);
    }
    // Spent, by an earlier request or by one racing this one: the same pair within the grace, while the child
    // is still the session's live token; anything else is a replay.
    const spent = await repository.findToken(tokenHash);
    const childRecord = await repository.findToken(childHash);
    const graceMs = this.deps.options.reuseGraceSeconds * 1000;
    if (
      spent?.spentAt != null &&
      spent.childHash === childHash &&
      childRecord !== null &&
      childRecord.spentAt === null &&
      now.getTime() - spent.spentAt.getTime() <= graceMs
    ) {
      return this.pair(session, child, childRecord.createdAt);
    }
    this.deps.log.warn({ sessionId: session.id, userId: session.userId, ip: client.ip }, 'refresh token reused; session ended');
    await this.end([session.id], 'refresh-reuse', context, { event: 'session.refresh_reused', bySystem: true });
    throw new NotAuthenticatedError(refreshTokenInvalid);
  }

  /** An account's live sessions, newest first; `currentId` is the session of the token asking. */
  async list(userId: string, currentId: string | null): Promise<Static<typeof SessionView>[]> {
    return (await this.deps.repository.listLive(userId, this.now())).map((session) => toSessionView(session, currentId));
  }

  /** Ends one of the account's sessions; a session of another account is as unknown as a missing one. */
  async endOwn(userId: string, sessionId: string, context: RequestContext | null, reason: SessionEndReason = 'revoked'): Promise<void> {
    const session = await this.deps.repository.findById(sessionId);
    if (session === null || session.userId !== userId || !this.isLive(session, this.now())) throw new NotFoundError();
    await this.end([sessionId], reason, context);
  }

  /** Ends every session of the account but `exceptId` (the caller's own, when it keeps it). */
  async endAll(userId: string, reason: SessionEndReason, context: RequestContext | null, exceptId: string | null = null): Promise<void> {
    const ended = await this.deps.repository.transaction((trx) => this.endAllIn(trx, userId, reason, context, exceptId));
    await this.announce(ended);
  }

  /**
   * Ends sessions, each with its audit event in the same transaction, then tells every process. With `trx`,
   * inside the caller's transaction (a password change and the sessions it ends commit together); the caller
   * then announces the returned ids once it has committed.
   */
  async end(
    ids: string[],
    reason: SessionEndReason,
    context: RequestContext | null,
    options: { event?: 'session.ended' | 'session.logout' | 'session.refresh_reused'; bySystem?: boolean } = {},
  ): Promise<void> {
    const ended = await this.deps.repository.transaction((trx) => this.endIn(trx, ids, reason, context, options));
    await this.announce(ended);
  }

  async endIn(
    trx: Transaction<Database>,
    ids: string[],
    reason: SessionEndReason,
    context: RequestContext | null,
    options: { event?: 'session.ended' | 'session.logout' | 'session.refresh_reused'; bySystem?: boolean } = {},
  ): Promise<string[]> {
    const ended = await this.deps.repository.end(ids, reason, this.now(), trx);
    const sessions = await Promise.all(ended.map((id) => this.deps.repository.findById(id, trx)));
    for (const session of sessions) {
      if (session === null) continue;
      await this.deps.audit.record(
        options.event ?? 'session.ended',
        { subjectId: session.userId, sessionId: session.id, detail: { reason }, ...(options.bySystem ? { bySystem: true } : {}) },
        context,
        trx,
      );
    }
    return ended;
  }

  /** Every open session of an account but `exceptId`, ended inside the caller's transaction. */
  async endAllIn(
    trx: Transaction<Database>,
    userId: string,
    reason: SessionEndReason,
    context: RequestContext | null,
    exceptId: string | null = null,
  ): Promise<string[]> {
    return this.endIn(trx, await this.deps.repository.openIdsOf(userId, exceptId, trx), reason, context);
  }

  /** After the transaction that ended them commits: every process refuses their access tokens. */
  async announce(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.deps.sessionsEnded(ids);
  }

  /** The session of the caller's token ends: log-out. */
  logOut(sessionId: string, context: RequestContext | null): Promise<void> {
    return this.end([sessionId], 'logout', context, { event: 'session.logout' });
  }

  /**
   * When the session's access tokens stop being honoured (epoch ms): 0 once it has ended or for an unknown
   * session. The authenticator caches this per session.
   */
  async liveUntil(sessionId: string): Promise<number> {
    const session = await this.deps.repository.findById(sessionId);
    if (session === null || session.endedAt !== null) return 0;
    return Math.min(session.idleExpiresAt.getTime(), session.absoluteExpiresAt.getTime());
  }

  /** Deletes sessions that ended or expired more than a day ago (kept that long to recognise replays). */
  prune(): Promise<number> {
    return this.deps.repository.prune(new Date(this.deps.clock.now() - keepEndedSessionsMs));
  }

  private isLive(session: Session, now: Date): boolean {
    return session.endedAt === null && session.idleExpiresAt > now && session.absoluteExpiresAt > now;
  }

  private deriveChild(refreshToken: string): string {
    return createHmac('sha256', this.deps.refreshKey).update(refreshToken).digest('base64url');
  }

  /** The access token of a refresh token, the same every time for the same token and issue time. */
  private pair(session: Session, refreshToken: string, issuedAt: Date): TokenPair {
    const issuedAtMs = issuedAt.getTime();
    const { token } = this.deps.accessTokens.issueAt(session.userId, issuedAtMs, { sid: session.id, jti: jtiOf(sha256(refreshToken)) });
    const lifetime = this.deps.accessTokens.options.lifetimeSeconds;
    const expiresIn = Math.max(0, Math.ceil((issuedAtMs + lifetime * 1000 - this.deps.clock.now()) / 1000));
    return { sessionId: session.id, userId: session.userId, accessToken: token, refreshToken, expiresIn };
  }
}
