// The "limit" of a benchmark: bare node:http running one SQL query per request and answering its rows as JSON,
// with no framework, auth, validation or hooks. Plain JavaScript, run by node itself (no tsx).
//
//   PORT        port on 127.0.0.1
//   BARE_DB     a postgres:// URL, or the path of a SQLite file
//   BARE_SQL    the query; BARE_PARAMS its parameters as a JSON array
//   BARE_WRAP   the key the rows are answered under ({"<key>": rows}); unset, the rows are the body
//   BARE_POOL   PostgreSQL pool size (default 10)
//   BARE_NAMED  0: send the query unnamed (parsed and planned on every call), as `pool.query(text, values)` does
//   BARE_FRAMEWORK  fastify: serve the same query through Fastify with nothing but the route (no hooks, schemas or
//               plugins), to show what the framework alone costs against bare node:http
//   BARE_LOG    with BARE_FRAMEWORK=fastify, a pino level (info): Fastify's own request logging, to standard output
//   BARE_HEADERS  a JSON object of header lines node:http adds to every response, written as they are (the lines
//               Spruce sends on the same request: what writing them costs a server that does nothing else)
import http from 'node:http';

const { PORT, BARE_DB, BARE_SQL, BARE_WRAP } = process.env;
// Stopped with SIGTERM, the server ends through process.exit: pino's destination (asynchronous, with BARE_LOG) then
// writes the lines it still holds, which the default ending by the signal could lose; and `--cpu-prof` writes its
// profile.
process.once('SIGTERM', () => process.exit(0));
const params = JSON.parse(process.env.BARE_PARAMS ?? '[]');

let query;
if (BARE_DB.startsWith('postgres')) {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: BARE_DB, max: Number(process.env.BARE_POOL ?? 10) });
  // A named statement: parsed and planned once per connection, as a well-tuned bare client would run it.
  const statement = process.env.BARE_NAMED === '0' ? { text: BARE_SQL, values: params } : { name: 'bare', text: BARE_SQL, values: params };
  query = async () => (await pool.query(statement)).rows;
} else {
  const { default: Database } = await import('better-sqlite3');
  const database = new Database(BARE_DB, { readonly: true });
  const statement = database.prepare(BARE_SQL);
  query = async () => statement.all(...params);
}

const bodyOf = (rows) => (BARE_WRAP === undefined ? rows : { [BARE_WRAP]: rows });
// The response's header object, made by one object literal naming every line, as a hand-written server sending
// those lines would write it. (Spreading the extra lines into a new object on each request made V8 build and
// migrate the object's shape every time: about 25,000 instructions a request that were charged to the lines.)
const extraHeaders = Object.entries(JSON.parse(process.env.BARE_HEADERS ?? '{}'));
const headersOf = new Function(
  'contentLength',
  `return { ${extraHeaders.map(([name, value]) => `${JSON.stringify(name)}: ${JSON.stringify(value)}, `).join('')}` +
    `'content-type': 'application/json; charset=utf-8', 'content-length': contentLength };`,
);

if (process.env.BARE_FRAMEWORK === 'fastify') {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: process.env.BARE_LOG === undefined ? false : { level: process.env.BARE_LOG } });
  // No response schema: Fastify then writes the body with JSON.stringify, as the handler below does.
  app.get('/', async () => bodyOf(await query()));
  await app.listen({ port: Number(PORT), host: '127.0.0.1' });
  console.log(`listening on ${PORT}`);
} else {
  http
    .createServer((request, response) => {
      query().then(
        (rows) => {
          const body = JSON.stringify(bodyOf(rows));
          response.writeHead(200, headersOf(Buffer.byteLength(body)));
          response.end(body);
        },
        (error) => {
          response.writeHead(500).end(String(error));
        },
      );
    })
    .listen(Number(PORT), '127.0.0.1', () => console.log(`listening on ${PORT}`));
}
