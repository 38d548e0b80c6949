import type { Kysely, Transaction } from 'kysely';
import { toNullableDate, type Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** An account's TOTP factor as stored: the secret still encrypted. */
export interface TotpFactor {
  userId: string;
  secretCiphertext: string;
  enabledAt: Date | null;
  lastStep: number | null;
}

/** The SQL of the second factor: TOTP factors, recovery codes, and the account's mfa_enabled flag. */
export class SecondFactorRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async findFactor(userId: string, db: Db = this.db): Promise<TotpFactor | null> {
    const row = await db.selectFrom('totp_factors').selectAll().where('user_id', '=', userId).executeTakeFirst();
    if (row === undefined) return null;
    return { userId: row.user_id, secretCiphertext: row.secret_ciphertext, enabledAt: toNullableDate(row.enabled_at), lastStep: row.last_step === null ? null : Number(row.last_step) };
  }

  /** A new, unconfirmed enrolment in place of any earlier unconfirmed one; false if a confirmed factor exists. */
  async replacePending(userId: string, secretCiphertext: string, at: Date, trx: Transaction<Database>): Promise<boolean> {
    await trx.deleteFrom('totp_factors').where('user_id', '=', userId).where('enabled_at', 'is', null).execute();
    const confirmed = await trx.selectFrom('totp_factors').select('user_id').where('user_id', '=', userId).executeTakeFirst();
    if (confirmed !== undefined) return false;
    await trx.insertInto('totp_factors').values({ user_id: userId, secret_ciphertext: secretCiphertext, created_at: at }).execute();
    return true;
  }

  /**
   * Turns on the pending factor whose secret the code was checked against, recording the code's step; false when
   * it is no longer that pending factor (confirmed or restarted by a request racing this one).
   */
  async confirm(userId: string, secretCiphertext: string, step: number, at: Date, trx: Transaction<Database>): Promise<boolean> {
    const result = await trx
      .updateTable('totp_factors')
      .set({ enabled_at: at, last_step: step })
      .where('user_id', '=', userId)
      .where('secret_ciphertext', '=', secretCiphertext)
      .where('enabled_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await trx.updateTable('users').set({ mfa_enabled: true, updated_at: at }).where('id', '=', userId).execute();
    return true;
  }

  /**
   * Records `step` as the last accepted one, only if it is later than the last accepted: a conditional UPDATE, so
   * of any number of requests presenting codes of one step at once exactly one gets true, on every database
   * (PostgreSQL and MySQL re-check the row once the first writer commits; SQLite has one writer at a time).
   */
  async acceptStep(userId: string, step: number, db: Db = this.db): Promise<boolean> {
    const result = await db
      .updateTable('totp_factors')
      .set({ last_step: step })
      .where('user_id', '=', userId)
      .where('enabled_at', 'is not', null)
      .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Removes the factor and its recovery codes; false when the account had no confirmed factor. */
  async disable(userId: string, at: Date, trx: Transaction<Database>): Promise<boolean> {
    const result = await trx.deleteFrom('totp_factors').where('user_id', '=', userId).where('enabled_at', 'is not', null).executeTakeFirst();
    await trx.deleteFrom('totp_factors').where('user_id', '=', userId).execute();
    await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    await trx.updateTable('users').set({ mfa_enabled: false, updated_at: at }).where('id', '=', userId).execute();
    return result.numDeletedRows > 0n;
  }

  /** Replaces every recovery code of the account by these hashes. */
  async replaceRecoveryCodes(userId: string, hashes: string[], at: Date, trx: Transaction<Database>): Promise<void> {
    await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    await trx.insertInto('recovery_codes').values(hashes.map((code_hash) => ({ user_id: userId, code_hash, created_at: at }))).execute();
  }

  /** Spends an unused recovery code, atomically (one of two parallel uses wins); false when there is none. */
  async spendRecoveryCode(userId: string, hash: string, at: Date, db: Db = this.db): Promise<boolean> {
    const result = await db
      .updateTable('recovery_codes')
      .set({ used_at: at })
      .where('user_id', '=', userId)
      .where('code_hash', '=', hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async countUnusedRecoveryCodes(userId: string, db: Db = this.db): Promise<number> {
    const row = await db
      .selectFrom('recovery_codes')
      .select((eb) => eb.fn.countAll().as('total'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.total);
  }
}
