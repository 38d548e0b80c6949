import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiPassword, apiUser, bearer, logIn, mailedTokens } from './helpers/api-accounts.js';
import { createTestApp, dialects, newUser, testPassword, type TestApp } from './helpers/test-app.js';

interface AuditView {
  id: string;
  event: string;
  actor_type: string;
  actor_id: string | null;
  subject_id: string | null;
  session_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  detail: Record<string, unknown> | null;
}

/** The session an access token belongs to (its `sid` claim). */
function sessionOf(token: string): string {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).sid;
}

for (const dialect of dialects) {
  describe(`audit log on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { LOGIN_MAX_FAILURES_PER_ACCOUNT: '2', LOGIN_FAILURE_WINDOW_SECONDS: '60' });
    });
    after(() => t.close());

    const myAudit = async (headers: { authorization: string }, query = ''): Promise<{ items: AuditView[]; next_cursor: string | null }> => {
      const res = await t.inject({ method: 'GET', url: `/api/users/me/audit${query}`, headers });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };

    test('registration, log-in and a failed log-in are recorded with the client address, user agent and request id', async () => {
      const user = await apiUser(t);
      await logIn(t, user.email, 'wrong-password-1');
      const res = await t.inject({
        method: 'POST',
        url: '/api/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'audit-agent', 'x-request-id': 'req-audit-1' },
        payload: new URLSearchParams({ username: user.email, password: apiPassword }).toString(),
        remoteAddress: '203.0.113.9',
      });
      assert.equal(res.statusCode, 200);
      const { items } = await myAudit(user.headers);
      const events = items.map((e) => e.event);
      assert.ok(events.includes('user.registered'), events.join());
      assert.ok(events.includes('login.failed'), events.join());
      const login = items.find((e) => e.request_id === 'req-audit-1');
      assert.ok(login);
      assert.equal(login.event, 'login.succeeded');
      assert.equal(login.ip, '203.0.113.9');
      assert.equal(login.user_agent, 'audit-agent');
      assert.equal(login.subject_id, user.id);
      assert.equal(login.actor_type, 'user');
      assert.equal(typeof login.session_id, 'string');
    });

    test('no password, token or code appears in any event', async () => {
      const user = await apiUser(t);
      await t.inject({ method: 'PATCH', url: '/api/users/me', headers: user.headers, payload: { password: 'brand-new-pass-7', current_password: apiPassword } });
      const rows = await t.app.context.database.db.selectFrom('audit_events').selectAll().where('subject_id', '=', user.id).execute();
      assert.ok(rows.length >= 3);
      const text = JSON.stringify(rows);
      for (const secret of [apiPassword, 'brand-new-pass-7', user.token]) assert.ok(!text.includes(secret));
      assert.ok(rows.some((r) => r.event === 'password.changed'));
    });

    test('a throttle tripped and refresh reuse are recorded', async () => {
      const user = await newUser(t);
      for (let i = 0; i < 3; i++) await t.inject({ method: 'POST', url: '/users/log-in', payload: { username: user.username, password: 'not-it-at-all' } });
      const login = (await t.inject({ method: 'POST', url: '/users/log-in', payload: { username: user.username, password: testPassword } }));
      // The account is still throttled: the right password waits for the window too.
      assert.equal(login.statusCode, 429);
      const rows = await t.app.context.database.db.selectFrom('audit_events').select('event').where('subject_id', '=', user.id).execute();
      assert.ok(rows.some((r) => r.event === 'login.throttled'));
    });

    test('concurrent requests by different callers each record their own actor, address, user agent, request id and session', async () => {
      const admins = [await apiUser(t, { superuser: true }), await apiUser(t, { superuser: true })];
      const target = await apiUser(t);
      const rename = `renamed_${target.id.slice(0, 8)}`;
      const client = (who: number) => ({ ip: `198.51.100.${10 + who}`, userAgent: `concurrent-agent-${who}` });
      // Interleaved in flight: two superusers reading one account while its owner renames it, each from its own client.
      const responses = await Promise.all([
        ...Array.from({ length: 8 }, (_, i) =>
          t.inject({
            method: 'GET',
            url: `/api/users/${target.id}`,
            headers: { ...admins[i % 2]!.headers, 'user-agent': client(i % 2).userAgent, 'x-request-id': `concurrent-read-${i}` },
            remoteAddress: client(i % 2).ip,
          }),
        ),
        t.inject({
          method: 'PATCH',
          url: '/api/users/me',
          headers: { ...target.headers, 'user-agent': client(2).userAgent, 'x-request-id': 'concurrent-rename' },
          remoteAddress: client(2).ip,
          payload: { name: rename },
        }),
      ]);
      for (const res of responses) assert.equal(res.statusCode, 200, res.body);

      const rows = await t.app.context.database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('subject_id', '=', target.id)
        .where('event', 'in', ['admin.user_read', 'account.updated'])
        .execute();
      assert.equal(rows.length, 9);
      for (const row of rows) {
        if (row.event === 'account.updated') {
          assert.equal(row.request_id, 'concurrent-rename');
          assert.deepEqual([row.actor_type, row.actor_id, row.session_id], ['user', target.id, sessionOf(target.token)]);
          assert.deepEqual([row.ip, row.user_agent], [client(2).ip, client(2).userAgent]);
          continue;
        }
        const i = Number(/^concurrent-read-(\d)$/.exec(row.request_id ?? '')?.[1]);
        const admin = admins[i % 2]!;
        assert.deepEqual([row.actor_type, row.actor_id, row.session_id], ['superuser', admin.id, sessionOf(admin.token)], `read ${i}`);
        assert.deepEqual([row.ip, row.user_agent], [client(i % 2).ip, client(i % 2).userAgent], `read ${i}`);
      }
    });

    test('a request without a token records the account it is about as the actor, from the request’s client', async () => {
      const user = await apiUser(t);
      mailedTokens(t); // watched before the reset token is mailed
      const from = { remoteAddress: '192.0.2.44', headers: { 'user-agent': 'tokenless-agent', 'x-request-id': `tokenless-${user.id.slice(0, 8)}` } };
      const failed = await t.inject({
        method: 'POST',
        url: '/api/token',
        remoteAddress: from.remoteAddress,
        headers: { ...from.headers, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ username: user.email, password: 'wrong-password-1' }).toString(),
      });
      assert.equal(failed.statusCode, 400);
      assert.equal((await t.inject({ method: 'POST', url: '/api/auth/forgot-password', payload: { email: user.email } })).statusCode, 202);
      const token = mailedTokens(t).reset.get(user.email);
      const reset = await t.inject({ method: 'POST', url: '/api/auth/reset-password', ...from, payload: { token, password: 'brand-new-pass-9' } });
      assert.equal(reset.statusCode, 200, reset.body);

      const rows = await t.app.context.database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('subject_id', '=', user.id)
        .where('request_id', '=', from.headers['x-request-id'])
        .orderBy('event', 'asc')
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.event, r.actor_type, r.actor_id, r.session_id, r.ip, r.user_agent]),
        [
          ['login.failed', 'user', user.id, null, '192.0.2.44', 'tokenless-agent'],
          ['password.reset', 'user', user.id, null, '192.0.2.44', 'tokenless-agent'],
          // The session the reset ended is named, though the request had none.
          ['session.ended', 'user', user.id, sessionOf(user.token), '192.0.2.44', 'tokenless-agent'],
        ],
      );
    });

    test('outside a request the system is the actor; a replayed refresh token ends its session as the system, from the replaying client', async () => {
      const { audit, database } = t.app.context;
      const user = await apiUser(t);
      await audit.record('account.updated', { subjectId: user.id, detail: { changed: ['name'] } }, null);
      const first = await logIn(t, user.email, apiPassword);
      const refresh = (refreshToken: string) =>
        t.inject({ method: 'POST', url: '/api/auth/refresh', headers: { 'user-agent': 'replaying-agent' }, remoteAddress: '192.0.2.77', payload: { refresh_token: refreshToken } });
      const second = (await refresh(first.json().refresh_token)).json();
      assert.equal((await refresh(second.refresh_token)).statusCode, 200);
      // An ancestor of the live token: someone else holds the session.
      assert.equal((await refresh(first.json().refresh_token)).statusCode, 401);

      const rows = await database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('subject_id', '=', user.id)
        .where('event', 'in', ['account.updated', 'session.refresh_reused'])
        .orderBy('event', 'asc')
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.event, r.actor_type, r.actor_id, r.session_id, r.ip, r.user_agent, r.request_id === null]),
        [
          ['account.updated', 'system', null, null, null, null, true],
          ['session.refresh_reused', 'system', null, sessionOf(first.json().access_token), '192.0.2.77', 'replaying-agent', false],
        ],
      );
    });

    test('superuser actions are recorded as the superuser’s, and only superusers read every account’s events', async () => {
      const admin = await apiUser(t, { superuser: true });
      const user = await newUser(t);
      const res = await t.inject({ method: 'PATCH', url: `/api/users/${user.id}`, headers: admin.headers, payload: { is_active: false } });
      assert.equal(res.statusCode, 200);
      const all = await t.inject({ method: 'GET', url: `/api/audit?user_id=${user.id}&event=account.deactivated`, headers: admin.headers });
      assert.equal(all.statusCode, 200, all.body);
      const [event] = all.json().items as AuditView[];
      assert.ok(event);
      assert.equal(event.actor_type, 'superuser');
      assert.equal(event.actor_id, admin.id);
      assert.equal(event.subject_id, user.id);
      assert.equal((await t.inject({ method: 'GET', url: '/api/audit', headers: user.headers })).statusCode, 401);
      const other = await apiUser(t);
      assert.equal((await t.inject({ method: 'GET', url: '/api/audit', headers: other.headers })).statusCode, 403);
      assert.equal((await t.inject({ method: 'GET', url: '/api/audit?before=yesterday', headers: admin.headers })).statusCode, 422);
      assert.equal((await t.inject({ method: 'GET', url: '/api/audit?cursor=nonsense', headers: admin.headers })).statusCode, 422);
    });

    test('superuser reads are recorded too: the account list, one account, its sessions, the audit log', async () => {
      const admin = await apiUser(t, { superuser: true });
      const user = await apiUser(t);
      for (const url of ['/api/users?limit=1', `/api/users/${user.id}`, `/api/users/${user.id}/sessions`, `/api/audit?user_id=${user.id}&event=login.succeeded`]) {
        const res = await t.inject({ method: 'GET', url, headers: admin.headers });
        assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
      }
      // A refused read leaves no event.
      assert.equal((await t.inject({ method: 'GET', url: '/api/audit?cursor=nonsense', headers: admin.headers })).statusCode, 422);
      const rows = await t.app.context.database.db
        .selectFrom('audit_events')
        .select(['event', 'actor_type', 'actor_id', 'subject_id', 'detail'])
        .where('actor_id', '=', admin.id)
        .where('event', 'like', 'admin.%')
        .orderBy('event', 'asc')
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.event, r.actor_type, r.subject_id]),
        [
          ['admin.audit_read', 'superuser', user.id],
          ['admin.sessions_listed', 'superuser', user.id],
          ['admin.user_read', 'superuser', user.id],
          ['admin.users_listed', 'superuser', null],
        ],
      );
      assert.match(String(rows[0]?.detail), /login\.succeeded/);
      // An ordinary account reading its own events is not a superuser read.
      await t.inject({ method: 'GET', url: '/api/users/me/audit', headers: user.headers });
      const own = await t.app.context.database.db.selectFrom('audit_events').select('id').where('actor_id', '=', user.id).where('event', 'like', 'admin.%').execute();
      assert.equal(own.length, 0);
    });

    test('pages follow the cursor, newest first, without overlap', async () => {
      const user = await apiUser(t);
      for (let i = 0; i < 4; i++) await logIn(t, user.email, apiPassword);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: AuditView[]; next_cursor: string | null } = await myAudit(user.headers, `?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`);
        assert.ok(page.items.length <= 2);
        seen.push(...page.items.map((e) => e.id));
        cursor = page.next_cursor;
      } while (cursor !== null);
      assert.equal(new Set(seen).size, seen.length);
      assert.ok(seen.length >= 6);
      const all = await myAudit(user.headers, '?limit=100');
      assert.deepEqual(all.items.map((e) => e.id), seen);
    });

    test('an event is written with its change, and absent when the change rolls back', async () => {
      const { audit, database } = t.app.context;
      const user = await newUser(t);
      const count = async () => (await database.db.selectFrom('audit_events').select('id').where('subject_id', '=', user.id).where('event', '=', 'account.updated').execute()).length;
      await assert.rejects(
        database.db.transaction().execute(async (trx) => {
          await trx.updateTable('users').set({ username: 'rolled_back_name' }).where('id', '=', user.id).execute();
          await audit.record('account.updated', { subjectId: user.id, detail: { changed: ['name'] } }, null, trx);
          throw new Error('roll back');
        }),
      );
      assert.equal(await count(), 0);
      const res = await t.inject({ method: 'PATCH', url: '/api/users/me', headers: bearer(user.token), payload: { name: 'kept_name_' + user.id.slice(0, 4) } });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(await count(), 1);
    });

    test('retention prunes old events', async () => {
      const { audit, database } = t.app.context;
      const user = await newUser(t);
      await database.db
        .updateTable('audit_events')
        .set({ created_at: new Date(Date.now() - 400 * 86_400_000) })
        .where('subject_id', '=', user.id)
        .execute();
      assert.ok((await audit.prune()) >= 1);
      const left = await database.db.selectFrom('audit_events').select('id').where('subject_id', '=', user.id).execute();
      assert.equal(left.length, 0);
    });
  });
}
