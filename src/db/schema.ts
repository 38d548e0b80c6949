import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

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

export interface Database {
  users: UsersTable;
  todos: TodosTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type TodoRow = Selectable<TodosTable>;

export function toBool(value: boolean | number): boolean {
  return value === true || value === 1;
}

export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

export function toNullableDate(value: Date | string | null): Date | null {
  return value === null ? null : toDate(value);
}
