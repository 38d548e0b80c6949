import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { isUniqueViolation } from '../../db/errors.js';

/** The SQL of the clients each account has logged in from (by hash only). */
export class KnownClientsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Records a log-in from the client. Returns whether the client was new to the account, and whether the account
   * knew any client before (the first log-in ever is nothing to warn about). Two log-ins from one new client at
   * once: the primary key lets one insert, and the other sees a known client.
   */
  async remember(userId: string, clientHash: string, at: Date): Promise<{ isNew: boolean; knewOthers: boolean }> {
    const updated = await this.db
      .updateTable('known_clients')
      .set({ last_seen_at: at })
      .where('user_id', '=', userId)
      .where('client_hash', '=', clientHash)
      .executeTakeFirst();
    if (updated.numUpdatedRows > 0n) return { isNew: false, knewOthers: true };
    const other = await this.db.selectFrom('known_clients').select('client_hash').where('user_id', '=', userId).limit(1).executeTakeFirst();
    try {
      await this.db.insertInto('known_clients').values({ user_id: userId, client_hash: clientHash, first_seen_at: at, last_seen_at: at }).execute();
    } catch (error) {
      if (isUniqueViolation(error)) return { isNew: false, knewOthers: true };
      throw error;
    }
    return { isNew: true, knewOthers: other !== undefined };
  }
}
