import type { Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../../db/schema.js';
import { followsUsernameRules, isEmailAddress, usernameRules } from '../users/account-rules.js';
import { ImportRun, type ImportOptions, type ImportSummary, type PlannedWrite } from './import-run.js';
import { describeHash, isArgon2Hash, isBcryptHash } from './password-hashes.js';
import { sourceName } from './source-name.js';

interface SourceUser {
  id: string;
  name: string;
  email: string;
  hashed_password: string;
  is_active: boolean;
  is_superuser: boolean;
  is_verified: boolean;
}

/**
 * Seed 002's FastAPI Users app on PostgreSQL: its `users` table. Accounts keep their UUID, email, name, flags
 * and password hash (bcrypt or argon2, as passlib and pwdlib write them).
 */
export async function importFastapiUsers(db: Kysely<Database>, fromUrl: string, options: ImportOptions, onTotal?: (total: number) => void): Promise<ImportSummary> {
  const source = new pg.Client({ connectionString: fromUrl, connectionTimeoutMillis: 5_000 });
  await source.connect();
  const run = new ImportRun(db, sourceName('fastapi-users', fromUrl), options);
  try {
    onTotal?.(Number((await source.query<{ n: string }>('select count(*) as n from users')).rows[0]?.n ?? 0));
    let after: string | null = null;
    while (!run.stopped) {
      const { rows: users }: { rows: SourceUser[] } = await source.query<SourceUser>(
        `select id::text as id, name, email, hashed_password, is_active, is_superuser, is_verified
           from users where $1::uuid is null or id > $1::uuid order by id limit $2`,
        [after, options.batchSize],
      );
      if (users.length === 0) break;
      after = users[users.length - 1]!.id;
      await importUsers(run, users);
    }
    return run.summary;
  } finally {
    await source.end();
  }
}

async function importUsers(run: ImportRun, users: SourceUser[]): Promise<void> {
  const ids = users.map((user) => user.id);
  const pending = await run.notYetImported('user', ids);
  const candidates = users.filter((user) => pending.has(user.id));
  const existingIds = await run.repository.existingUserIds(candidates.map((user) => user.id));
  const takenNames = await run.repository.takenUsernames(candidates.map((user) => user.name.toLowerCase()));
  const takenEmails = await run.repository.takenEmails(candidates.map((user) => user.email.toLowerCase()));
  const writes: PlannedWrite[] = [];
  for (const user of candidates) {
    const email = user.email.toLowerCase();
    const label = `${JSON.stringify(user.name)} <${user.email}>`;
    if (existingIds.has(user.id)) {
      run.skip('user', user.id, `a Spruce account already has the id of ${label}`);
    } else if (!followsUsernameRules(user.name)) {
      run.skip('user', user.id, `name ${JSON.stringify(user.name)} breaks Spruce's rules (${usernameRules}); rename it in the source, then import again`);
    } else if (!isEmailAddress(user.email)) {
      run.skip('user', user.id, `email ${JSON.stringify(user.email)} of ${JSON.stringify(user.name)} is not a valid address`);
    } else if (takenEmails.has(email)) {
      run.skip('user', user.id, `email of ${label} is already used by a Spruce account`);
    } else if (takenNames.has(user.name.toLowerCase())) {
      run.skip('user', user.id, `name of ${label} is already taken in Spruce (letter case aside)`);
    } else if (!isBcryptHash(user.hashed_password) && !isArgon2Hash(user.hashed_password)) {
      run.skip('user', user.id, `password of ${label} is neither bcrypt nor argon2 (${describeHash(user.hashed_password)})`);
    } else {
      takenEmails.add(email);
      takenNames.add(user.name.toLowerCase());
      const account = {
        id: user.id,
        username: user.name,
        email,
        hashedPassword: user.hashed_password,
        isActive: user.is_active,
        isSuperuser: user.is_superuser,
        isVerified: user.is_verified,
      };
      writes.push({ sourceId: user.id, write: (trx, repository) => repository.insertUser(trx, account) });
    }
  }
  await run.apply('user', ids, writes);
}
