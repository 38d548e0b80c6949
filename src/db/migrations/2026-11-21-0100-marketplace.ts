import { sql, type Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * The cleaning-jobs marketplace: profiles, cleanings, offers and evaluations. Money is integer cents (never a
 * binary float). PostgreSQL timestamps keep milliseconds only, the precision JavaScript Dates and the feed
 * cursor carry, so a value read back always compares equal to the one a cursor was made from.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  const timestamp = t.postgres ? ('timestamptz(3)' as const) : t.timestamp;

  await db.schema
    .createTable('profiles')
    .addColumn('user_id', t.uuid, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('full_name', 'varchar(100)')
    .addColumn('phone_number', 'varchar(30)')
    .addColumn('bio', 'varchar(2000)')
    .addColumn('image', 'varchar(2048)')
    .addColumn('created_at', timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('updated_at', timestamp, (c) => c.notNull().defaultTo(t.now))
    .execute();

  await db.schema
    .createTable('cleanings')
    .addColumn('id', t.postgres ? 'serial' : 'integer', (c) => (t.postgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('owner_id', t.uuid, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('description', 'varchar(2000)')
    .addColumn('price_cents', t.postgres || t.mysql ? 'bigint' : 'integer', (c) => c.notNull())
    .addColumn('cleaning_type', 'varchar(20)', (c) => c.notNull().defaultTo('spot_clean'))
    .addColumn('created_at', timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('updated_at', timestamp, (c) => c.notNull().defaultTo(t.now))
    .addCheckConstraint('cleanings_price_cents_range', sql`price_cents > 0 and price_cents <= 10000000000`)
    .addCheckConstraint('cleanings_cleaning_type_known', sql`cleaning_type in ('dust_up', 'spot_clean', 'full_clean')`)
    .addCheckConstraint('cleanings_updated_not_before_created', sql`updated_at >= created_at`)
    .execute();

  // "My cleanings" in id order.
  await db.schema.createIndex('cleanings_owner_id_id_idx').on('cleanings').columns(['owner_id', 'id']).execute();
  // The feed's creation events, newest first, with the id as tiebreak (scanned backwards).
  await db.schema.createIndex('cleanings_created_at_id_idx').on('cleanings').columns(['created_at', 'id']).execute();
  // The feed's update events: only cleanings changed after creation have one (MySQL has no partial index, so
  // there it indexes every cleaning).
  const updatesIndex = db.schema.createIndex('cleanings_updated_at_id_changed_idx').on('cleanings').columns(['updated_at', 'id']);
  await (t.mysql ? updatesIndex : updatesIndex.where(sql.ref('updated_at'), '>', sql.ref('created_at'))).execute();

  await db.schema
    .createTable('offers')
    .addColumn('cleaning_id', 'integer', (c) => c.notNull().references('cleanings.id').onDelete('cascade'))
    .addColumn('user_id', t.uuid, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'varchar(20)', (c) => c.notNull().defaultTo('pending'))
    .addColumn('created_at', timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('updated_at', timestamp, (c) => c.notNull().defaultTo(t.now))
    // One offer per user per job; also serves "the offers on this job".
    .addPrimaryKeyConstraint('offers_pkey', ['cleaning_id', 'user_id'])
    .addCheckConstraint('offers_status_known', sql`status in ('pending', 'accepted', 'rejected', 'cancelled', 'completed')`)
    .execute();
  // A job has at most one accepted offer, whatever the application does.
  if (t.mysql) {
    // No partial index on MySQL: a generated column holds the job's id only while the offer is accepted (NULL
    // otherwise, and a unique index allows any number of NULLs). Virtual, because a stored one may not sit on a
    // column whose foreign key cascades.
    await db.schema
      .alterTable('offers')
      .addColumn('accepted_cleaning_id', 'integer', (c) => c.generatedAlwaysAs(sql`case when status = 'accepted' then cleaning_id end`))
      .execute();
    await db.schema.createIndex('offers_one_accepted_per_cleaning').on('offers').column('accepted_cleaning_id').unique().execute();
  } else {
    await db.schema
      .createIndex('offers_one_accepted_per_cleaning')
      .on('offers')
      .column('cleaning_id')
      .unique()
      .where(sql.ref('status'), '=', 'accepted')
      .execute();
  }
  // Deleting a user cascades through offers.user_id.
  await db.schema.createIndex('offers_user_id_idx').on('offers').column('user_id').execute();

  await db.schema
    .createTable('evaluations')
    .addColumn('cleaning_id', 'integer', (c) => c.notNull().references('cleanings.id').onDelete('cascade'))
    .addColumn('cleaner_id', t.uuid, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('no_show', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('headline', 'varchar(200)')
    .addColumn('comment', 'varchar(2000)')
    .addColumn('professionalism', 'integer')
    .addColumn('completeness', 'integer')
    .addColumn('efficiency', 'integer')
    .addColumn('overall_rating', 'integer', (c) => c.notNull())
    .addColumn('created_at', timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('updated_at', timestamp, (c) => c.notNull().defaultTo(t.now))
    // A job's cleaner is rated once.
    .addPrimaryKeyConstraint('evaluations_pkey', ['cleaning_id', 'cleaner_id'])
    .addCheckConstraint(
      'evaluations_ratings_range',
      sql`overall_rating between 0 and 5
        and (professionalism is null or professionalism between 0 and 5)
        and (completeness is null or completeness between 0 and 5)
        and (efficiency is null or efficiency between 0 and 5)`,
    )
    .execute();
  // A cleaner's evaluations (list and stats).
  await db.schema.createIndex('evaluations_cleaner_id_created_at_idx').on('evaluations').columns(['cleaner_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('evaluations').execute();
  await db.schema.dropTable('offers').execute();
  await db.schema.dropTable('cleanings').execute();
  await db.schema.dropTable('profiles').execute();
}
