import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, MysqlDialect, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type pg from 'pg';
import type { Config } from '../config/config.js';
import type { Database } from '../db/schema.js';
import { postgresTypeParsers } from './postgres-timestamps.js';
import { SqliteValuesPlugin } from './sqlite-values-plugin.js';

export type DialectName = 'sqlite' | 'postgres' | 'mysql';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Whether a trivial query succeeds within the timeout (used by /ready). */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
  /** Connections in use and idle, for metrics; SQLite has one. */
  poolStats(): { total: number; idle: number; waiting: number };
}

/**
 * Runs a compiled query's SQL straight on the driver, past Kysely's executor: for queries compiled once and run on
 * every request (src/db/prepared-query.ts). Kysely's way from a compiled query to its rows (the connection
 * provider, the SQLite connection's mutex, the plugins' result pass: eight promises or so) cost about 10 µs of a
 * GET /todos's CPU on SQLite, half as much again as the query itself.
 */
export interface DirectReads {
  /** Whether `text` may run here; otherwise it goes through Kysely (on SQLite: anything but a read). */
  accepts(text: string): boolean;
  rows(text: string, parameters: readonly unknown[]): unknown[] | Promise<unknown[]>;
}

const directReads = new WeakMap<Kysely<Database>, DirectReads>();

/** The direct way for queries on `db`, if it has one: never inside a transaction, which must see its own writes. */
export function directReadsOf(db: Kysely<any>): DirectReads | undefined {
  return db.isTransaction ? undefined : directReads.get(db);
}

/**
 * `make(text)` for each text, made once and remembered: up to `limit` texts, the oldest dropped first. For what is
 * worked out per SQL text on every query (a statement, a statement name), where the texts are few and repeat.
 */
function rememberedPerText<V>(limit: number, make: (text: string) => V): (text: string) => V {
  const remembered = new Map<string, V>();
  return (text) => {
    let value = remembered.get(text);
    if (value === undefined) {
      value = make(text);
      if (remembered.size >= limit) remembered.delete(remembered.keys().next().value as string);
      remembered.set(text, value);
    }
    return value;
  };
}

/**
 * A pg client that sends every query as a named prepared statement, so PostgreSQL parses and plans each
 * distinct statement once per connection instead of on every request. Kysely emits the same SQL text for the
 * same query shape, so the set of names stays small.
 */
function preparingClient(Client: typeof pg.Client, nameOf: (text: string) => string): typeof pg.Client {
  return class PreparingClient extends Client {
    override query(...args: any[]): any {
      const [text, values] = args;
      if (typeof text === 'string' && Array.isArray(values) && args.length === 2) {
        return super.query({ name: nameOf(text), text, values });
      }
      return (super.query as (...a: any[]) => any)(...args);
    }
  };
}

/**
 * better-sqlite3 compiles SQL on every `prepare`; caching statements by their text skips that on the hot path.
 * Kysely runs one statement at a time on a SQLite connection, so a cached statement is never used twice at once.
 */
function withStatementCache(database: SqliteDatabase.Database, limit = 500) {
  return { close: () => database.close(), prepare: rememberedPerText(limit, (text) => database.prepare(text)) };
}

async function openSqlite(file: string): Promise<SqliteDatabase.Database> {
  const { default: SqliteDatabase } = await import('better-sqlite3');
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new SqliteDatabase(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return database;
}

/**
 * Runs a read and answers its rows as objects keyed by column name, as `all()` does, but takes them from SQLite as
 * arrays (raw mode) and names their fields here: better-sqlite3 builds each row object through V8's C++ API, one
 * property at a time (a page of 20 todos: 14.7 µs a query with `all()`, 12.2 µs this way, in one process). Null for
 * a statement that is not a read.
 */
function rowsAsObjects(statement: SqliteDatabase.Statement): ((values: readonly unknown[]) => Record<string, unknown>[]) | null {
  if (!statement.reader) return null;
  const rowObject = rowObjectMaker(statement.columns().map((column) => column.name), 'sets-prototype');
  const raw = statement.raw(true);
  return (values) => objectsOf(raw.all(values) as unknown[][], rowObject);
}

function objectsOf(rows: unknown[][], rowObject: (fields: unknown[]) => Record<string, unknown>): Record<string, unknown>[] {
  const objects = new Array<Record<string, unknown>>(rows.length);
  for (let index = 0; index < rows.length; index++) objects[index] = rowObject(rows[index]!);
  return objects;
}

/**
 * Makes the object of one row from its fields, as one object literal naming every column: V8 gives each object
 * its final shape at once. Assigned one column at a time, an object outgrows its first four property slots and
 * its property store is grown and copied as it goes (a feed row has 12 columns: 200 ns and 269 bytes a row that
 * way, 20 to 28 ns and 141 bytes this way; docs/benchmarks.md, eighth pass). A repeated name keeps its last value,
 * as the drivers' rows do. A column named `__proto__` follows the driver stood in for: better-sqlite3 sets the
 * prototype with it (a string is ignored), as a literal's `"__proto__":` does; pg keeps it as an own property, as
 * a computed key does.
 */
function rowObjectMaker(names: string[], protoColumn: 'sets-prototype' | 'own-property'): (fields: unknown[]) => Record<string, unknown> {
  // The names are our own SQL's result columns; JSON.stringify quotes each as a property name, whatever it holds.
  const keyOf = (name: string) => (name === '__proto__' && protoColumn === 'own-property' ? `[${JSON.stringify(name)}]` : JSON.stringify(name));
  const properties = names.map((name, column) => `${keyOf(name)}: fields[${column}]`);
  return new Function('fields', `return { ${properties.join(', ')} };`) as (fields: unknown[]) => Record<string, unknown>;
}

/**
 * The rows of one SQL text as objects, from the arrays pg reads in `rowMode: 'array'`, made by rowObjectMaker for
 * the columns the result names (made again should they change, as a `select *` would after a migration). pg's own
 * object rows are made by copying an empty row of the result's shape and assigning each column by name; in a
 * server that runs dozens of statements, those copies and assignments see as many shapes and run V8's slowest
 * paths (docs/benchmarks.md, ninth pass).
 */
function pgRowObjects(): (fields: readonly { name: string }[], rows: unknown[][]) => Record<string, unknown>[] {
  let names: string[] = [];
  let rowObject = rowObjectMaker(names, 'own-property');
  return (fields, rows) => {
    if (!hasNames(fields, names)) {
      names = fields.map((field) => field.name);
      rowObject = rowObjectMaker(names, 'own-property');
    }
    return objectsOf(rows, rowObject);
  };
}

function hasNames(fields: readonly { name: string }[], names: readonly string[]): boolean {
  if (fields.length !== names.length) return false;
  for (let index = 0; index < names.length; index++) if (fields[index]!.name !== names[index]) return false;
  return true;
}

/**
 * A second, read-only connection for the compiled reads that run on every request (see DirectReads). Kysely keeps
 * the writing connection to one query at a time, a transaction holding it across awaits; reads on the same
 * connection could not skip that queue without seeing another request's uncommitted writes. In WAL mode this
 * connection reads the last committed state at each statement, beside the writer and never blocked by it.
 */
async function openSqliteReader(file: string): Promise<SqliteDatabase.Database> {
  const { default: SqliteDatabase } = await import('better-sqlite3');
  const reader = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 5000');
  return reader;
}

/**
 * PostgreSQL or MySQL/MariaDB as DATABASE_URL says, SQLite without it; only the chosen driver is loaded.
 * `connectTimeoutMs` bounds the wait for a server that does not answer (5 s; shorter where a person waits).
 */
export async function createDatabase(
  config: Pick<Config, 'databaseUrl' | 'sqlitePath' | 'databasePoolSize' | 'databasePreparedStatements'>,
  { connectTimeoutMs = 5_000 }: { connectTimeoutMs?: number } = {},
): Promise<DatabaseHandle> {
  if (config.databaseUrl !== null && isMysqlUrl(config.databaseUrl)) return createMysqlDatabase(config.databaseUrl, config.databasePoolSize, connectTimeoutMs);
  if (config.databaseUrl !== null) {
    const { default: pg } = await import('pg');
    // Hashing the text costs about 5 µs a query, as much as the rest of a compiled query's way through Kysely;
    // the names of recent texts are remembered instead (compiled-once queries even pass the same string).
    const nameOf = rememberedPerText(500, (text) => `k${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`);
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: config.databasePoolSize,
      connectionTimeoutMillis: connectTimeoutMs,
      idleTimeoutMillis: 30_000,
      types: postgresTypeParsers(pg.types),
      ...(config.databasePreparedStatements ? { Client: preparingClient(pg.Client, nameOf) } : {}),
    });
    // An idle client losing its connection emits here; without a listener it would crash the process.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    // pool.query takes a connection, runs the query and gives the connection back, as Kysely would.
    // What a direct read needs of its text, looked up once a query: the statement's name (null when statements
    // go unnamed) and the maker of its rows' objects.
    const statementOf = rememberedPerText(500, (text) => ({
      name: config.databasePreparedStatements ? nameOf(text) : null,
      rowObjects: pgRowObjects(),
    }));
    directReads.set(db, {
      accepts: () => true,
      rows: async (text, values) => {
        const { name, rowObjects } = statementOf(text);
        // Two literals rather than one spread into the other: pg copies the object by its property descriptors,
        // which took 2.7 µs longer a query for the spread's (in one process, 20 rows).
        const parameters = values as unknown[];
        const result = await pool.query(
          name !== null ? { name, text, values: parameters, rowMode: 'array' } : { text, values: parameters, rowMode: 'array' },
        );
        return rowObjects(result.fields, result.rows);
      },
    });
    return {
      db,
      dialect: 'postgres',
      ping: (timeoutMs = 2_000) => pingWithin(db, timeoutMs),
      close: () => db.destroy(),
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    };
  }

  const database = await openSqlite(config.sqlitePath);
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(database) as unknown as SqliteDatabase.Database }),
    plugins: [new SqliteValuesPlugin()],
  });
  const reader = config.sqlitePath === ':memory:' ? null : await openSqliteReader(config.sqlitePath);
  if (reader !== null) {
    const read = rememberedPerText(500, (text) => rowsAsObjects(reader.prepare(text)));
    directReads.set(db, { accepts: (text) => read(text) !== null, rows: (text, values) => read(text)!(values) });
  }
  return {
    db,
    dialect: 'sqlite',
    ping: (timeoutMs = 2_000) => pingWithin(db, timeoutMs),
    close: async () => {
      await db.destroy();
      reader?.close();
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
  };
}

export function isMysqlUrl(url: string): boolean {
  return /^(mysql|mariadb):/i.test(url);
}

/**
 * Every session is set up to behave as the other two databases do: UTC timestamps, strict mode (a value that
 * does not fit is an error, never silently cut), READ COMMITTED as on PostgreSQL (so a transaction that waited
 * for a row lock then sees what the holder committed), and binary comparison of string literals.
 */
const mysqlSessionSetup = [
  "set time_zone = '+00:00'",
  "set sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,ONLY_FULL_GROUP_BY'",
  'set session transaction isolation level read committed',
  // AVG of integers is DECIMAL with 4 more digits by default; 30 makes it as exact as a double, as elsewhere.
  'set div_precision_increment = 30',
];

/** mysql2 options shared by the app's pool, the import command's source connection and the test helpers. */
export function mysqlConnectionOptions(url: string) {
  const parsed = new URL(url);
  parsed.protocol = 'mysql:';
  return {
    uri: parsed.toString(),
    // utf8mb4 holds every Unicode character (emoji included); _bin compares code points, as PostgreSQL and SQLite do.
    charset: 'UTF8MB4_BIN',
    // Dates are written and read as UTC whatever the server's or the process's zone.
    timezone: 'Z' as const,
    connectTimeout: 5_000,
    supportBigNumbers: true,
  };
}

async function createMysqlDatabase(url: string, poolSize: number, connectTimeoutMs: number): Promise<DatabaseHandle> {
  const { createPool: createMysqlPool } = await import('mysql2');
  const pool = createMysqlPool({
    ...mysqlConnectionOptions(url),
    connectTimeout: connectTimeoutMs,
    connectionLimit: poolSize,
    maxIdle: poolSize,
    idleTimeout: 30_000,
  });
  const db = new Kysely<Database>({
    dialect: new MysqlDialect({
      pool,
      onCreateConnection: async (connection) => {
        for (const statement of mysqlSessionSetup) await connection.executeQuery(CompiledQuery.raw(statement));
      },
    }),
  });
  // mysql2 keeps its pool's bookkeeping in these arrays; read them for the pool metrics only.
  const internals = pool as unknown as { _allConnections?: { length: number }; _freeConnections?: { length: number }; _connectionQueue?: { length: number } };
  return {
    db,
    dialect: 'mysql',
    ping: (timeoutMs = 2_000) => pingWithin(db, timeoutMs),
    close: () => db.destroy(),
    poolStats: () => ({
      total: internals._allConnections?.length ?? 0,
      idle: internals._freeConnections?.length ?? 0,
      waiting: internals._connectionQueue?.length ?? 0,
    }),
  };
}

async function pingWithin(db: Kysely<Database>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([sql`select 1`.execute(db).then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
