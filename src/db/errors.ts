/**
 * What a driver error means, whatever the database: each driver names the same failure differently
 * (PostgreSQL's SQLSTATE, SQLite's result code, MySQL/MariaDB's symbolic error code from mysql2).
 */
function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

/** A unique constraint refused the write: PostgreSQL's 23505, SQLite's constraint error, MySQL's ER_DUP_ENTRY. */
export function isUniqueViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'ER_DUP_ENTRY';
}

/** A foreign key refused the write: the row referred to was deleted (PostgreSQL's 23503, or SQLite's or MySQL's error). */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === 'ER_NO_REFERENCED_ROW_2' || code === 'ER_ROW_IS_REFERENCED_2';
}

const unavailableCodes = new Set<unknown>([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  '57P01', // PostgreSQL admin_shutdown
  '57P03', // PostgreSQL cannot_connect_now
  '53300', // PostgreSQL too_many_connections
  'PROTOCOL_CONNECTION_LOST', // mysql2: the server closed the connection
  'ER_CON_COUNT_ERROR', // MySQL: too many connections
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED', // MariaDB: connection killed by the server
]);

/** Errors from a database driver that mean "the database is not there", as opposed to a bad query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (unavailableCodes.has(codeOf(error))) return true;
  const message = String((error as { message?: unknown } | null)?.message ?? '');
  return /timeout exceeded when trying to connect|Connection terminated|Can't add new command when connection is in closed state/i.test(message);
}
