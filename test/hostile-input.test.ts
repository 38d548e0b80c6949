import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { apiUser, logIn, type ApiUser } from './helpers/api-accounts.js';
import { createTestApp, dialects, newUser, type TestApp, type TestUser } from './helpers/test-app.js';

const nul = 'a\u0000b';
const nulIssue = (loc: (string | number)[]) => ({ detail: [{ loc, msg: 'String should not contain the NUL character', type: 'value_error' }] });

for (const dialect of dialects) {
  describe(`NUL characters in text on ${dialect}`, () => {
    let t: TestApp;
    let todoUser: TestUser;
    let apiAccount: ApiUser;
    let cleaningId: number;

    before(async () => {
      t = await createTestApp(dialect);
      todoUser = await newUser(t);
      apiAccount = await apiUser(t);
      const created = await t.inject({
        method: 'POST',
        url: '/api/cleanings',
        headers: apiAccount.headers,
        payload: { new_cleaning: { name: 'clean', price: 10 } },
      });
      cleaningId = created.json().id;
    });
    after(() => t.close());

    test('are refused with 422 naming the field, before any query, on every route that takes text', async () => {
      const cases: { method: 'POST' | 'PUT' | 'PATCH'; url: string; payload: Record<string, unknown>; loc: (string | number)[]; auth?: 'todo' | 'api' }[] = [
        { method: 'POST', url: '/users/log-in', payload: { username: nul, password: 'whatever-1' }, loc: ['body', 'username'] },
        { method: 'POST', url: '/users/sign-up', payload: { username: 'name', password: `pass${nul}word-1` }, loc: ['body', 'password'] },
        { method: 'POST', url: '/api/users', payload: { new_user: { email: 'x@example.com', name: 'some_name', password: `long-${nul}-pw1` } }, loc: ['body', 'new_user', 'password'] },
        { method: 'POST', url: '/todos', payload: { content: nul, is_done: false }, loc: ['body', 'content'], auth: 'todo' },
        { method: 'POST', url: '/api/cleanings', payload: { new_cleaning: { name: nul, price: 1 } }, loc: ['body', 'new_cleaning', 'name'], auth: 'api' },
        { method: 'POST', url: '/api/cleanings', payload: { new_cleaning: { name: 'n', description: nul, price: 1 } }, loc: ['body', 'new_cleaning', 'description'], auth: 'api' },
        { method: 'PUT', url: `/api/cleanings/${cleaningId}`, payload: { cleaning_update: { price: `1${nul}` } }, loc: ['body', 'cleaning_update', 'price'], auth: 'api' },
        { method: 'PUT', url: '/api/profiles/me', payload: { profile_update: { full_name: nul } }, loc: ['body', 'profile_update', 'full_name'], auth: 'api' },
        { method: 'PUT', url: '/api/profiles/me', payload: { profile_update: { bio: nul } }, loc: ['body', 'profile_update', 'bio'], auth: 'api' },
        {
          method: 'POST',
          url: `/api/users/${todoUser.username}/evaluations/${cleaningId}`,
          payload: { evaluation_create: { overall_rating: 3, headline: nul } },
          loc: ['body', 'evaluation_create', 'headline'],
          auth: 'api',
        },
        { method: 'PATCH', url: '/api/users/me', payload: { current_password: nul }, loc: ['body', 'current_password'], auth: 'api' },
      ];
      for (const { method, url, payload, loc, auth } of cases) {
        const headers = auth === 'todo' ? todoUser.headers : auth === 'api' ? apiAccount.headers : {};
        const res = await t.inject({ method, url, headers, payload });
        assert.equal(res.statusCode, 422, `${method} ${url} ${res.body}`);
        assert.deepEqual(res.json(), nulIssue(loc), `${method} ${url}`);
      }
    });

    test('in the /api/token form and in query strings too', async () => {
      const form = await logIn(t, nul, 'whatever-1');
      assert.equal(form.statusCode, 422, form.body);
      // /api/token adds OAuth2's error fields to FastAPI's 422 (RFC 6749, section 5.2).
      assert.deepEqual(form.json(), { ...nulIssue(['body', 'username']), error: 'invalid_request', error_description: 'username: String should not contain the NUL character' });
      const query = await t.inject({ method: 'GET', url: '/api/feed/cleanings?cursor=a%00b', headers: apiAccount.headers });
      assert.equal(query.statusCode, 422, query.body);
      assert.deepEqual(query.json(), nulIssue(['query', 'cursor']));
    });

    test('text without NUL still goes through, and nothing was written by the refused requests', async () => {
      const res = await t.inject({ method: 'POST', url: '/todos', headers: todoUser.headers, payload: { content: 'tab\there', is_done: false } });
      assert.equal(res.statusCode, 201, res.body);
      const todos = await t.inject({ method: 'GET', url: '/todos', headers: todoUser.headers });
      assert.deepEqual(todos.json().todos.map((todo: { content: string }) => todo.content), ['tab\there']);
    });
  });
}

for (const dialect of dialects) {
  describe(`values decoded from client strings on ${dialect}`, () => {
    let t: TestApp;
    let account: ApiUser;
    const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const feed = (query: string) => t.inject({ method: 'GET', url: `/api/feed/cleanings?${query}`, headers: account.headers });

    before(async () => {
      t = await createTestApp(dialect);
      account = await apiUser(t);
      await t.inject({ method: 'POST', url: '/api/cleanings', headers: account.headers, payload: { new_cleaning: { name: 'c', price: 1 } } });
    });
    after(() => t.close());

    test('a feed cursor whose id is past the integer column or whose instant no database stores is a 422', async () => {
      const now = new Date().toISOString();
      for (const cursor of [
        { t: now, id: 2_147_483_648 },
        { t: now, id: 2 ** 40 },
        { t: '-271821-04-20T00:00:00.000Z', id: 1 },
        { t: '0000-01-01T00:00:00.000Z', id: 1 },
        { t: '+275760-09-13T00:00:00.000Z', id: 1 },
      ]) {
        const res = await feed(`cursor=${cursorOf(cursor)}`);
        assert.equal(res.statusCode, 422, `${JSON.stringify(cursor)} ${res.body}`);
        assert.deepEqual(res.json(), { detail: [{ loc: ['query', 'cursor'], msg: 'Invalid cursor', type: 'value_error' }] });
      }
      const edge = await feed(`cursor=${cursorOf({ t: now, id: 2_147_483_647 })}`);
      assert.equal(edge.statusCode, 200, edge.body);
    });

    test('a starting_date outside the years 1000 to 9999 is a 422', async () => {
      for (const date of ['0000-01-01T00:00:00Z', '0999-12-31T23:59:59Z']) {
        const res = await feed(`starting_date=${encodeURIComponent(date)}`);
        assert.equal(res.statusCode, 422, `${date} ${res.body}`);
        assert.deepEqual(res.json().detail[0].loc, ['query', 'starting_date']);
      }
      const inRange = await feed(`starting_date=${encodeURIComponent('1000-01-01T00:00:00Z')}`);
      assert.equal(inRange.statusCode, 200, inRange.body);
    });

    test('a correctly signed access token whose sub is not a user id is a 401, on every route that takes a token', async () => {
      for (const subject of ['not-a-uuid', '1', "x' OR '1'='1", '00000000-0000-0000-0000-00000000000g']) {
        const { token } = t.app.context.accessTokens.issue(subject);
        for (const url of ['/todos', '/api/users/me', '/api/feed/cleanings']) {
          const res = await t.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
          assert.equal(res.statusCode, 401, `${subject} ${url} ${res.body}`);
          assert.deepEqual(res.json(), { detail: 'Not Authorized' });
        }
      }
    });
  });
}

/** Sends raw bytes to a listening app and returns what comes back before the server closes the connection. */
function rawRequest(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

for (const dialect of dialects) {
  describe(`framework errors and bodies on ${dialect}`, () => {
    let t: TestApp;
    let account: ApiUser;

    before(async () => {
      t = await createTestApp(dialect);
      account = await apiUser(t);
    });
    after(() => t.close());

    test('a URL that is not valid percent-encoding is a 400 in the detail shape, quoting nothing back', async () => {
      const res = await t.inject({ method: 'GET', url: '/api/profiles/%E0%A4%Aquoted-back', headers: account.headers });
      assert.equal(res.statusCode, 400);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.deepEqual(res.json(), { detail: 'The URL is not valid percent-encoding' });
    });

    test('a path parameter over the length limit is a 414 in the detail shape, quoting nothing back', async () => {
      const res = await t.inject({ method: 'GET', url: `/api/profiles/${'quoted'.repeat(30)}`, headers: account.headers });
      assert.equal(res.statusCode, 414);
      assert.deepEqual(res.json(), { detail: 'A path parameter is too long' });
    });

    test('Fastify errors raised inside a request give the status text, never their message', async () => {
      const media = await t.inject({ method: 'POST', url: '/todos', headers: { ...account.headers, 'content-type': 'text/quoted-back' }, payload: 'x' });
      assert.equal(media.statusCode, 415);
      assert.deepEqual(media.json(), { detail: 'Unsupported Media Type' });
      const length = await t.inject({
        method: 'POST',
        url: '/api/auth/forgot-password',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '1' },
        payload: 'email=quoted',
      });
      assert.equal(length.statusCode, 400, length.body);
      assert.deepEqual(length.json(), { detail: 'Bad Request' });
    });

    test('requests the HTTP parser refuses answer in the detail shape', async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = t.app.server.address() as net.AddressInfo;
      const malformed = await rawRequest(port, 'GET /quoted-back HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
      assert.match(malformed, /^HTTP\/1\.1 400 Bad Request\r\n/);
      assert.ok(malformed.endsWith('\r\n\r\n{"detail":"Bad Request"}'), malformed);
      const overflow = await rawRequest(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      assert.match(overflow, /^HTTP\/1\.1 431 /);
      assert.ok(overflow.endsWith('{"detail":"Request Header Fields Too Large"}'), overflow);
    });

    test('an empty body sent as application/json is no body: routes without one accept it, routes with one answer 422', async () => {
      const json = { ...account.headers, 'content-type': 'application/json' };
      const cleaning = await t.inject({ method: 'POST', url: '/api/cleanings', headers: account.headers, payload: { new_cleaning: { name: 'c', price: 5 } } });
      const other = await apiUser(t);
      const offer = await t.inject({ method: 'POST', url: `/api/cleanings/${cleaning.json().id}/offers`, headers: { ...other.headers, 'content-type': 'application/json' }, payload: '' });
      assert.equal(offer.statusCode, 201, offer.body);
      const logout = await t.inject({ method: 'POST', url: '/api/auth/logout', headers: json, payload: '' });
      assert.equal(logout.statusCode, 204, logout.body);
      const needsBody = await t.inject({ method: 'POST', url: '/api/cleanings', headers: { ...other.headers, 'content-type': 'application/json' }, payload: '' });
      assert.equal(needsBody.statusCode, 422, needsBody.body);
      assert.deepEqual(needsBody.json().detail[0].loc, ['body']);
      const poisoned = await t.inject({ method: 'POST', url: '/api/cleanings', headers: { ...other.headers, 'content-type': 'application/json' }, payload: '{"__proto__": {"x": 1}}' });
      assert.equal(poisoned.statusCode, 422, poisoned.body);
      assert.equal(poisoned.json().detail[0].type, 'json_invalid');
    });
  });
}
