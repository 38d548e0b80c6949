import { SqliteAdapter, type CompiledQuery, type Compilable, type Kysely } from 'kysely';
import { directReadsOf } from '../infra/database.js';
import { toSqliteValue } from '../infra/sqlite-values-plugin.js';

/** The values a prepared query takes. */
export type PreparedValue = string | number | boolean | Date;

/** A stand-in for argument `index` while the query is built; no real value looks like it. */
const placeholderOf = (index: number) => `\u0000spruce-prepared-argument-${index}\u0000`;

/**
 * A query of fixed shape whose values change from call to call (an owner id, a cursor), built and compiled once.
 * Kysely otherwise rebuilds the operation tree, runs the plugins over it and compiles it to SQL text on every
 * call; on the embedded SQLite default that cost more than the query itself. The SQL text stays the same, so
 * the statement caches below Kysely (better-sqlite3's prepared statements, PostgreSQL's named ones) still hit.
 *
 * `build` is called once, with placeholders in place of the arguments; each placeholder must reach the query
 * as a bound value (a `where` operand, a `limit`), never decide its shape. Plugins do not see the arguments, so
 * the SQLite conversion of Dates and booleans (SqliteValuesPlugin's) is applied here; the other drivers bind
 * them as they are.
 */
export function preparedQuery<Args extends PreparedValue[], Row>(
  db: Kysely<any>,
  arity: Args['length'],
  build: (...args: Args) => Compilable<Row>,
): (...args: Args) => Promise<Row[]> {
  const placeholders = Array.from({ length: arity }, (_, index) => placeholderOf(index));
  const compiled = build(...(placeholders as Args)).compile();
  // For each bound parameter: which argument it takes (-1 keeps the value compiled in, e.g. a literal).
  const argumentOf = compiled.parameters.map((value) => (typeof value === 'string' ? placeholders.indexOf(value) : -1));
  for (let index = 0; index < arity; index++) {
    if (!argumentOf.includes(index)) throw new Error(`preparedQuery: argument ${index} is not a bound parameter of ${compiled.sql}`);
  }
  const bind = db.getExecutor().adapter instanceof SqliteAdapter ? toSqliteValue : (value: unknown) => value;
  // Straight to the driver where the database offers it (not in a transaction; on SQLite, reads only), decided
  // at the first call: the schema may not be migrated yet when the query is built.
  const direct = directReadsOf(db);
  let runsDirectly: boolean | undefined;
  return async (...args) => {
    const parameters = argumentOf.map((argument, position) => (argument === -1 ? compiled.parameters[position] : bind(args[argument])));
    runsDirectly ??= direct !== undefined && direct.accepts(compiled.sql);
    if (runsDirectly) return (await direct!.rows(compiled.sql, parameters)) as Row[];
    const query: CompiledQuery<Row> = { ...compiled, parameters };
    return (await db.executeQuery(query)).rows;
  };
}
