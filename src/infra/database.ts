import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type pg from 'pg';
import type { Config } from '../config/config.js';
import type { Database } from '../db/schema.js';
import { SqliteValuesPlugin } from './sqlite-values-plugin.js';

export type DialectName = 'sqlite' | 'postgres';

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
 * A pg client that sends every query as a named prepared statement, so PostgreSQL parses and plans each
 * distinct statement once per connection instead of on every request. Kysely emits the same SQL text for the
 * same query shape, so the set of names stays small.
 */
function preparingClient(Client: typeof pg.Client): typeof pg.Client {
  return class PreparingClient extends Client {
    override query(...args: any[]): any {
      const [text, values] = args;
      if (typeof text === 'string' && Array.isArray(values) && args.length === 2) {
        const name = `k${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
        return super.query({ name, text, values });
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
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(text: string) {
      let statement = statements.get(text);
      if (statement === undefined) {
        statement = database.prepare(text);
        if (statements.size >= limit) statements.delete(statements.keys().next().value as string);
        statements.set(text, statement);
      }
      return statement;
    },
  };
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

/** PostgreSQL when DATABASE_URL is set, SQLite otherwise; only the chosen driver is loaded. */
export async function createDatabase(
  config: Pick<Config, 'databaseUrl' | 'sqlitePath' | 'databasePoolSize' | 'databasePreparedStatements'>,
): Promise<DatabaseHandle> {
  if (config.databaseUrl !== null) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: config.databasePoolSize,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      ...(config.databasePreparedStatements ? { Client: preparingClient(pg.Client) } : {}),
    });
    // An idle client losing its connection emits here; without a listener it would crash the process.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
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
  return {
    db,
    dialect: 'sqlite',
    ping: (timeoutMs = 2_000) => pingWithin(db, timeoutMs),
    close: () => db.destroy(),
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
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
