import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import { isoStringOf } from '../core/iso-instant.js';

/**
 * Table types, declared once. PostgreSQL returns booleans and Dates; SQLite returns 0/1 and ISO-8601 text, so
 * selected values are typed as either and normalised by the repositories with `toBool` and `toDate`.
 */
type Flag = ColumnType<boolean | number, boolean | undefined, boolean>;
type Timestamp = ColumnType<Date | string, Date | undefined, Date>;
type NullableTimestamp = ColumnType<Date | string | null, Date | null | undefined, Date | null>;

export interface UsersTable {
  id: string;
  username: string;
  email: string | null;
  hashed_password: string;
  is_active: Flag;
  is_superuser: Flag;
  is_verified: Flag;
  /** Tokens issued before this instant are refused: set on password change, reset and "log out everywhere". */
  tokens_valid_after: NullableTimestamp;
  /** A log-in needs a TOTP code: set with the account's confirmed totp_factors row, in one transaction. */
  mfa_enabled: Flag;
  /** Mail the owner when the account logs in from a client it has not used before. */
  login_notices: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TodosTable {
  id: Generated<number>;
  user_id: string;
  content: string;
  is_done: Flag;
  created_at: Timestamp;
}

/** A job on the marketplace. */
export interface CleaningsTable {
  id: Generated<number>;
  owner_id: string;
  name: string;
  description: string | null;
  /** Integer cents; PostgreSQL's bigint arrives as a string. */
  price_cents: ColumnType<number | string, number, number>;
  cleaning_type: 'dust_up' | 'spot_clean' | 'full_clean';
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type OfferStatus = 'pending' | 'accepted' | 'rejected' | 'cancelled' | 'completed';

export interface OffersTable {
  cleaning_id: number;
  user_id: string;
  status: OfferStatus;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EvaluationsTable {
  cleaning_id: number;
  cleaner_id: string;
  no_show: Flag;
  headline: string | null;
  comment: string | null;
  professionalism: number | null;
  completeness: number | null;
  efficiency: number | null;
  overall_rating: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One per user, keyed by the user; created with the account. */
export interface ProfilesTable {
  user_id: string;
  full_name: string | null;
  phone_number: string | null;
  bio: string | null;
  image: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** A log-in session; its refresh tokens live in refresh_tokens. */
export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: Timestamp;
  last_used_at: Timestamp;
  idle_expires_at: Timestamp;
  absolute_expires_at: Timestamp;
  ended_at: NullableTimestamp;
  end_reason: Nullable<string>;
  user_agent: Nullable<string>;
  ip: Nullable<string>;
}

/** A refresh token, by its SHA-256 hash only. */
export interface RefreshTokensTable {
  token_hash: string;
  session_id: string;
  created_at: Timestamp;
  spent_at: NullableTimestamp;
  child_hash: Nullable<string>;
}

export interface AuditEventsTable {
  id: string;
  created_at: Timestamp;
  event: string;
  actor_type: string;
  actor_id: Nullable<string>;
  subject_id: Nullable<string>;
  session_id: Nullable<string>;
  ip: Nullable<string>;
  user_agent: Nullable<string>;
  request_id: Nullable<string>;
  /** JSON text. */
  detail: Nullable<string>;
}

/** An account's TOTP secret, encrypted; `enabled_at` is null while the enrolment waits for its first code. */
export interface TotpFactorsTable {
  user_id: string;
  secret_ciphertext: string;
  created_at: Timestamp;
  enabled_at: NullableTimestamp;
  /** The last RFC 6238 time step accepted: a code of this step or an earlier one is refused. */
  last_step: Nullable<number>;
}

/** A single-use recovery code, by its SHA-256 hash only. */
export interface RecoveryCodesTable {
  user_id: string;
  code_hash: string;
  created_at: Timestamp;
  used_at: NullableTimestamp;
}

/** A client (user-agent family and address, hashed) an account has logged in from. */
export interface KnownClientsTable {
  user_id: string;
  client_hash: string;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
}

/** A record brought in by an import: which source row became which Spruce row. */
export interface ImportedRecordsTable {
  source: string;
  kind: 'user' | 'todo';
  source_id: string;
  target_id: string;
  imported_at: Timestamp;
}

export interface Database {
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  audit_events: AuditEventsTable;
  users: UsersTable;
  todos: TodosTable;
  cleanings: CleaningsTable;
  offers: OffersTable;
  evaluations: EvaluationsTable;
  profiles: ProfilesTable;
  imported_records: ImportedRecordsTable;
  totp_factors: TotpFactorsTable;
  recovery_codes: RecoveryCodesTable;
  known_clients: KnownClientsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type TodoRow = Selectable<TodosTable>;
export type CleaningRow = Selectable<CleaningsTable>;
export type CleaningUpdateRow = Updateable<CleaningsTable>;
export type OfferRow = Selectable<OffersTable>;
export type EvaluationRow = Selectable<EvaluationsTable>;
export type NewEvaluationRow = Insertable<EvaluationsTable>;
export type ProfileRow = Selectable<ProfilesTable>;
export type SessionRow = Selectable<SessionsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type NewAuditEventRow = Insertable<AuditEventsTable>;

export function toBool(value: boolean | number): boolean {
  return value === true || value === 1;
}

export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

/** The form Date#toISOString prints (years 0000 to 9999), which SQLite's timestamp columns hold. */
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * An instant as the API prints it (Date#toISOString). SQLite's columns already hold that text (Dates are bound
 * as toISOString, defaults use strftime('%Y-%m-%dT%H:%M:%fZ')), so it is passed through rather than parsed into
 * a Date and printed back; anything else, and the Dates of PostgreSQL and MySQL, is printed by isoStringOf.
 */
export function toIsoInstant(value: Date | string): string {
  if (typeof value === 'string' && isoInstant.test(value)) return value;
  return isoStringOf(toDate(value));
}

export function toNullableDate(value: Date | string | null): Date | null {
  return value === null ? null : toDate(value);
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether text can be a user id: PostgreSQL's uuid column fails the whole query on anything else. */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}
