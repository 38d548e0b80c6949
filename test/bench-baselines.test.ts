/**
 * The bench's baseline server (bench/baselines/bare-server.mjs) answers the same body in each of its forms, so a
 * ratio against any of them compares the same work: bare node:http, Fastify with only the route, and Fastify with
 * its own request logging; on PostgreSQL also with the statement named or unnamed. The form with Spruce's header
 * lines sends them beside its own.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startBare, temporaryDirectory, type Server } from '../bench/lib/spruce.js';

// Its own table name, so that another run on the same PostgreSQL database cannot collide with this one.
const table = `bench_rows_${process.pid}`;
const sql = (placeholder: string) => `select "id", "content" from "${table}" where "owner" = ${placeholder} order by "id"`;
const expected = { rows: [{ id: 1, content: 'first' }, { id: 2, content: 'second, with "quotes"' }] };

/** A SQLite file holding the rows the baseline answers (owner-a's two) and one of another owner. */
function sqliteRows(file: string): string {
  const database = new Database(file);
  database.exec(`create table ${table} (id integer primary key, owner text not null, content text not null);
    insert into ${table} (owner, content) values ('owner-a', 'first'), ('owner-a', 'second, with "quotes"'), ('owner-b', 'other');`);
  database.close();
  return file;
}

async function bodyOf(server: Server): Promise<{ contentType: string | null; body: unknown }> {
  const response = await fetch(`${server.url}/`);
  assert.equal(response.status, 200);
  return { contentType: response.headers.get('content-type'), body: await response.json() };
}

async function expectSameAnswers(database: string, placeholder: string, forms: Record<string, Record<string, string>>, logDirectory: string) {
  for (const [form, env] of Object.entries(forms)) {
    const server = await startBare(database, sql(placeholder), ['owner-a'], 'rows', env, logDirectory);
    try {
      const { contentType, body } = await bodyOf(server);
      assert.deepEqual(body, expected, form);
      assert.match(contentType ?? '', /^application\/json/, form);
    } finally {
      await server.stop();
    }
  }
}

const frontEnds = {
  'node:http': {},
  'Fastify alone': { BARE_FRAMEWORK: 'fastify' },
  'Fastify with its request logging': { BARE_FRAMEWORK: 'fastify', BARE_LOG: 'info' },
};

describe('bench baseline server', () => {
  const directory = temporaryDirectory();
  after(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('answers the same rows on SQLite through node:http and through Fastify, logging each request only in the logging form', async () => {
    const file = sqliteRows(path.join(directory, 'baseline.db'));
    await expectSameAnswers(file, '?', frontEnds, directory);

    const logs = fs.readdirSync(directory).filter((name) => name.startsWith('bare-'));
    const withLines = logs.filter((name) => fs.readFileSync(path.join(directory, name), 'utf8').includes('"msg":"request completed"'));
    assert.equal(logs.length, Object.keys(frontEnds).length);
    assert.equal(withLines.length, 1);
  });

  it('adds the header lines of BARE_HEADERS to every response, beside its own, with the same body', async () => {
    const file = sqliteRows(path.join(directory, 'headers.db'));
    const lines = { 'x-frame-options': 'SAMEORIGIN', 'x-request-id': 'a-request', 'content-security-policy': "default-src 'none'" };
    const plain = await startBare(file, sql('?'), ['owner-a'], 'rows');
    const withLines = await startBare(file, sql('?'), ['owner-a'], 'rows', { BARE_HEADERS: JSON.stringify(lines) });
    try {
      const [without, withThem] = await Promise.all([fetch(`${plain.url}/`), fetch(`${withLines.url}/`)]);
      assert.deepEqual(await withThem.json(), expected);
      assert.deepEqual(await without.json(), expected);
      for (const [name, value] of Object.entries(lines)) {
        assert.equal(withThem.headers.get(name), value, name);
        assert.equal(without.headers.get(name), null, name);
      }
      assert.match(withThem.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(withThem.headers.get('content-length'), without.headers.get('content-length'));
    } finally {
      await plain.stop();
      await withLines.stop();
    }
  });

  describe('on PostgreSQL', { skip: process.env.TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL is not set' }, () => {
    const url = process.env.TEST_DATABASE_URL!;
    let client: pg.Client;
    before(async () => {
      client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`create table ${table} (id integer primary key, owner text not null, content text not null);
        insert into ${table} values (1, 'owner-a', 'first'), (2, 'owner-a', 'second, with "quotes"'), (3, 'owner-b', 'other');`);
    });
    after(async () => {
      await client.query(`drop table if exists ${table}`);
      await client.end();
    });

    it('answers the same rows with the statement named or unnamed, through node:http and through Fastify', async () => {
      fs.mkdirSync(path.join(directory, 'postgres'));
      await expectSameAnswers(url, '$1', { ...frontEnds, 'node:http, unnamed statement': { BARE_NAMED: '0' } }, path.join(directory, 'postgres'));
    });
  });
});
