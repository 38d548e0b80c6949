import type { Kysely } from 'kysely';
import { hasReturning, isMysql } from '../../db/dialect.js';
import { toDate, type Database, type ProfileRow } from '../../db/schema.js';

export interface Profile {
  userId: string;
  fullName: string | null;
  phoneNumber: string | null;
  bio: string | null;
  image: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProfileChanges {
  fullName?: string | null;
  phoneNumber?: string | null;
  bio?: string | null;
  image?: string | null;
}

function toProfile(row: ProfileRow): Profile {
  return {
    userId: row.user_id,
    fullName: row.full_name,
    phoneNumber: row.phone_number,
    bio: row.bio,
    image: row.image,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

function toColumns(changes: ProfileChanges) {
  return {
    ...(changes.fullName !== undefined ? { full_name: changes.fullName } : {}),
    ...(changes.phoneNumber !== undefined ? { phone_number: changes.phoneNumber } : {}),
    ...(changes.bio !== undefined ? { bio: changes.bio } : {}),
    ...(changes.image !== undefined ? { image: changes.image } : {}),
  };
}

export class ProfilesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** An empty profile for a new account; a second call for the same user changes nothing. */
  async createEmpty(userId: string): Promise<void> {
    const now = new Date();
    const insert = this.db.insertInto('profiles').values({ user_id: userId, created_at: now, updated_at: now });
    if (isMysql(this.db)) {
      // MySQL has no ON CONFLICT; assigning the key to itself is its "do nothing" (INSERT IGNORE would also hide
      // foreign-key errors).
      await insert.onDuplicateKeyUpdate((eb) => ({ user_id: eb.ref('profiles.user_id') })).execute();
      return;
    }
    await insert.onConflict((conflict) => conflict.column('user_id').doNothing()).execute();
  }

  async findByUserId(userId: string): Promise<Profile | null> {
    const row = await this.db.selectFrom('profiles').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return row === undefined ? null : toProfile(row);
  }

  /** Applies the changes, creating the row first if the account has none (one statement, so no race). */
  async upsert(userId: string, changes: ProfileChanges): Promise<Profile> {
    const now = new Date();
    const columns = toColumns(changes);
    const insert = (db: Kysely<Database>) => db.insertInto('profiles').values({ user_id: userId, ...columns, created_at: now, updated_at: now });
    if (hasReturning(this.db)) {
      const row = await insert(this.db)
        .onConflict((conflict) => conflict.column('user_id').doUpdateSet({ ...columns, updated_at: now }))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toProfile(row);
    }
    // MySQL: upsert, then read the row back under the lock the upsert holds until commit.
    return this.db.transaction().execute(async (trx) => {
      await insert(trx).onDuplicateKeyUpdate({ ...columns, updated_at: now }).execute();
      return (await new ProfilesRepository(trx).findByUserId(userId)) as Profile;
    });
  }
}
