import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiPassword, apiUser, bearer, logIn } from './helpers/api-accounts.js';
import { ManualClock } from './helpers/manual-clock.js';
import { createTestApp, dialects, newUser, testPassword, type TestApp } from './helpers/test-app.js';

for (const dialect of dialects) {
  describe(`sessions on ${dialect}`, () => {
    let t: TestApp;
    const clock = new ManualClock();
    before(async () => {
      t = await createTestApp(
        dialect,
        { SESSION_IDLE_SECONDS: '3600', SESSION_MAX_SECONDS: '7200', REFRESH_REUSE_GRACE_SECONDS: '10' },
        { clock },
      );
    });
    after(() => t.close());

    const refresh = (refreshToken: string) => t.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refresh_token: refreshToken } });
    const todos = (token: string) => t.inject({ method: 'GET', url: '/todos', headers: bearer(token) });
    const mySessions = (token: string) => t.inject({ method: 'GET', url: '/api/users/me/sessions', headers: bearer(token) });

    async function todoLogIn(username: string): Promise<{ access_token: string; refresh_token: string; expires_in: number }> {
      const res = await t.inject({ method: 'POST', url: '/users/log-in', payload: { username, password: testPassword }, headers: { 'user-agent': 'test-agent/1' } });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    }

    describe('log-in', () => {
      test('both route families answer a refresh token and expires_in, and the access token carries the session', async () => {
        const user = await newUser(t);
        const body = await todoLogIn(user.username);
        assert.equal(typeof body.refresh_token, 'string');
        assert.equal(body.expires_in, t.config.accessTokenExpireSeconds);
        const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1] as string, 'base64url').toString());
        assert.equal(typeof claims.sid, 'string');

        const api = await apiUser(t);
        const res = await logIn(t, api.email, apiPassword);
        assert.equal(res.statusCode, 200);
        assert.deepEqual(Object.keys(res.json()).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
      });

      test('ACCESS_TOKEN_EXPIRE_SECONDS defaults to 900', () => {
        assert.equal(t.config.accessTokenExpireSeconds, 900);
      });
    });

    describe('POST /api/auth/refresh', () => {
      test('rotates: a new pair that works, and the old refresh token answers the same pair within the grace', async () => {
        const user = await newUser(t);
        const first = await todoLogIn(user.username);
        const res = await refresh(first.refresh_token);
        assert.equal(res.statusCode, 200, res.body);
        const second = res.json();
        assert.notEqual(second.refresh_token, first.refresh_token);
        assert.equal((await todos(second.access_token)).statusCode, 200);
        const again = await refresh(first.refresh_token);
        assert.equal(again.statusCode, 200);
        assert.equal(again.json().refresh_token, second.refresh_token);
        assert.equal(again.json().access_token, second.access_token);
      });

      test('20 parallel refreshes of one token all get 200 and the same pair; the session has one live child', async () => {
        const user = await newUser(t);
        const first = await todoLogIn(user.username);
        const answers = await Promise.all(Array.from({ length: 20 }, () => refresh(first.refresh_token)));
        assert.deepEqual(answers.map((r) => r.statusCode), Array(20).fill(200));
        assert.equal(new Set(answers.map((r) => r.json().refresh_token)).size, 1);
        assert.equal(new Set(answers.map((r) => r.json().access_token)).size, 1);
        const db = t.app.context.database.db;
        const live = await db.selectFrom('refresh_tokens').select('token_hash').where('spent_at', 'is', null).where('session_id', '=', JSON.parse(Buffer.from(first.access_token.split('.')[1] as string, 'base64url').toString()).sid).execute();
        assert.equal(live.length, 1);
        const next = await refresh(answers[0]?.json().refresh_token);
        assert.equal(next.statusCode, 200);
      });

      test('a spent token after the grace ends the whole session: refresh tokens and access tokens alike', async () => {
        const user = await newUser(t);
        const first = await todoLogIn(user.username);
        const second = (await refresh(first.refresh_token)).json();
        clock.advance(11);
        const replay = await refresh(first.refresh_token);
        assert.equal(replay.statusCode, 401);
        assert.deepEqual(replay.json(), { detail: 'REFRESH_TOKEN_INVALID' });
        assert.equal((await refresh(second.refresh_token)).statusCode, 401);
        assert.equal((await todos(second.access_token)).statusCode, 401);
        assert.equal((await todos(first.access_token)).statusCode, 401);
      });

      test('an older ancestor is theft at any time, even within the grace', async () => {
        const user = await newUser(t);
        const first = await todoLogIn(user.username);
        const second = (await refresh(first.refresh_token)).json();
        const third = (await refresh(second.refresh_token)).json();
        assert.equal((await refresh(first.refresh_token)).statusCode, 401);
        assert.equal((await refresh(third.refresh_token)).statusCode, 401);
      });

      test('unknown, missing and malformed tokens are 401 REFRESH_TOKEN_INVALID', async () => {
        for (const res of [await refresh('not-a-token'), await t.inject({ method: 'POST', url: '/api/auth/refresh', payload: {} })]) {
          assert.equal(res.statusCode, 401);
          assert.deepEqual(res.json(), { detail: 'REFRESH_TOKEN_INVALID' });
        }
        const tooLong = await refresh('x'.repeat(600));
        assert.equal(tooLong.statusCode, 422);
      });

      test('idle expiry and absolute expiry, with the clock moved', async () => {
        const user = await newUser(t);
        const idle = await todoLogIn(user.username);
        clock.advance(3601);
        assert.equal((await refresh(idle.refresh_token)).statusCode, 401);

        // Kept alive by refreshing within the idle time, it still ends at the absolute limit.
        let current = await todoLogIn(user.username);
        for (let i = 0; i < 3; i++) {
          clock.advance(3000);
          const res = await refresh(current.refresh_token);
          if (i < 2) {
            assert.equal(res.statusCode, 200, `refresh ${i}`);
            current = res.json();
          } else {
            assert.equal(res.statusCode, 401, 'past SESSION_MAX_SECONDS');
          }
        }
      });
    });

    describe('refresh by cookie', () => {
      test('a log-in with refresh_cookie sets an HttpOnly, Secure, SameSite=Strict cookie on the refresh path', async () => {
        const user = await newUser(t);
        const res = await t.inject({ method: 'POST', url: '/users/log-in', payload: { username: user.username, password: testPassword, refresh_cookie: true } });
        assert.equal(res.statusCode, 200);
        assert.equal(res.json().refresh_token, undefined);
        const cookie = String(res.headers['set-cookie']);
        assert.match(cookie, /^spruce_refresh=[^;]+/);
        assert.match(cookie, /HttpOnly/);
        assert.match(cookie, /Secure/);
        assert.match(cookie, /SameSite=Strict/);
        assert.match(cookie, /Path=\/api\/auth\/refresh/);
        const value = /^spruce_refresh=([^;]+)/.exec(cookie)?.[1] as string;

        const withoutHeader = await t.inject({ method: 'POST', url: '/api/auth/refresh', cookies: { spruce_refresh: value } });
        assert.equal(withoutHeader.statusCode, 403);
        assert.deepEqual(withoutHeader.json(), { detail: 'CSRF_HEADER_MISSING' });

        const withHeader = await t.inject({ method: 'POST', url: '/api/auth/refresh', cookies: { spruce_refresh: value }, headers: { 'x-spruce-csrf': '1' } });
        assert.equal(withHeader.statusCode, 200, withHeader.body);
        assert.equal(withHeader.json().refresh_token, undefined);
        assert.match(String(withHeader.headers['set-cookie']), /^spruce_refresh=[^;]+;.*HttpOnly/);
        assert.equal((await todos(withHeader.json().access_token)).statusCode, 200);
      });

      test('/api/token takes the flag as a form field', async () => {
        const api = await apiUser(t);
        const res = await t.inject({
          method: 'POST',
          url: '/api/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ username: api.email, password: apiPassword, refresh_cookie: 'true' }).toString(),
        });
        assert.equal(res.statusCode, 200);
        assert.equal(res.json().refresh_token, undefined);
        assert.match(String(res.headers['set-cookie']), /spruce_refresh=.*SameSite=Strict/);
      });
    });

    describe('the sessions of an account', () => {
      test('GET lists live sessions with the current one marked; DELETE one ends it everywhere', async () => {
        const user = await newUser(t);
        const one = await todoLogIn(user.username);
        const two = await todoLogIn(user.username);
        const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0';
        const fromFirefox = await t.inject({ method: 'POST', url: '/users/log-in', payload: { username: user.username, password: testPassword }, headers: { 'user-agent': firefox } });
        assert.equal(fromFirefox.statusCode, 200);
        const res = await mySessions(one.access_token);
        assert.equal(res.statusCode, 200);
        const list = res.json() as { id: string; current: boolean; user_agent: string; client: string; ip: string }[];
        assert.ok(list.length >= 3);
        assert.deepEqual(Object.keys(list[0] as object).sort(), ['client', 'created_at', 'current', 'id', 'ip', 'last_used_at', 'user_agent']);
        const current = list.filter((s) => s.current);
        assert.equal(current.length, 1);
        assert.equal(current[0]?.user_agent, 'test-agent/1');
        assert.equal(current[0]?.client, 'test-agent');
        // The client in a few words, read by the same function the security notices use; the full text stays.
        const firefoxSession = list.find((s) => s.user_agent === firefox);
        assert.equal(firefoxSession?.client, 'Firefox on Linux');
        const other = list.find((s) => !s.current && s.user_agent === 'test-agent/1') as { id: string };

        assert.equal((await t.inject({ method: 'DELETE', url: `/api/users/me/sessions/${other.id}`, headers: bearer(one.access_token) })).statusCode, 204);
        assert.equal((await todos(two.access_token)).statusCode, 401);
        assert.equal((await refresh(two.refresh_token)).statusCode, 401);
        assert.equal((await todos(one.access_token)).statusCode, 200);
        assert.equal((await t.inject({ method: 'DELETE', url: `/api/users/me/sessions/${other.id}`, headers: bearer(one.access_token) })).statusCode, 404);
      });

      test('another account’s session is 404, not ended', async () => {
        const owner = await newUser(t);
        const stranger = await newUser(t);
        const ownerLogIn = await todoLogIn(owner.username);
        const sid = (await mySessions(ownerLogIn.access_token)).json()[0].id;
        const res = await t.inject({ method: 'DELETE', url: `/api/users/me/sessions/${sid}`, headers: stranger.headers });
        assert.equal(res.statusCode, 404);
        assert.equal((await todos(ownerLogIn.access_token)).statusCode, 200);
      });

      test('DELETE /api/users/me/sessions ends all but the current one', async () => {
        const user = await newUser(t);
        const keep = await todoLogIn(user.username);
        const lose = await todoLogIn(user.username);
        const endOthers = (payload?: object) => t.inject({ method: 'DELETE', url: '/api/users/me/sessions', headers: bearer(keep.access_token), ...(payload ? { payload } : {}) });
        // A new requirement (issue 12): the current password, so a stolen access token cannot lock the owner out.
        assert.equal((await endOthers()).statusCode, 422);
        assert.deepEqual((await endOthers({ current_password: 'wrong-password-1' })).json(), { detail: 'END_SESSIONS_INVALID_CURRENT_PASSWORD' });
        assert.equal((await endOthers({ current_password: testPassword })).statusCode, 204);
        assert.equal((await todos(keep.access_token)).statusCode, 200);
        assert.equal((await todos(lose.access_token)).statusCode, 401);
        assert.equal((await mySessions(keep.access_token)).json().length, 1);
      });

      test('POST /api/auth/logout ends the session: its refresh token and its access tokens', async () => {
        const user = await newUser(t);
        const first = await todoLogIn(user.username);
        const second = (await refresh(first.refresh_token)).json();
        assert.equal((await t.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(second.access_token) })).statusCode, 204);
        assert.equal((await refresh(second.refresh_token)).statusCode, 401);
        assert.equal((await todos(second.access_token)).statusCode, 401);
      });

      test('superusers list and end any account’s sessions; others get 403', async () => {
        const admin = await apiUser(t, { superuser: true });
        const user = await newUser(t);
        const session = await todoLogIn(user.username);
        const list = await t.inject({ method: 'GET', url: `/api/users/${user.id}/sessions`, headers: admin.headers });
        assert.equal(list.statusCode, 200);
        assert.ok(list.json().length >= 1);
        assert.ok(list.json().some((s: { client: string; current: boolean }) => s.client === 'test-agent' && !s.current));
        assert.equal((await t.inject({ method: 'GET', url: `/api/users/${user.id}/sessions`, headers: user.headers })).statusCode, 403);
        assert.equal((await t.inject({ method: 'DELETE', url: `/api/users/${user.id}/sessions`, headers: user.headers })).statusCode, 403);
        assert.equal((await t.inject({ method: 'GET', url: '/api/users/00000000-0000-0000-0000-000000000000/sessions', headers: admin.headers })).statusCode, 404);
        assert.equal((await t.inject({ method: 'DELETE', url: `/api/users/${user.id}/sessions`, headers: admin.headers })).statusCode, 204);
        assert.equal((await todos(session.access_token)).statusCode, 401);
        assert.equal((await refresh(session.refresh_token)).statusCode, 401);
      });
    });

    describe('what ends sessions', () => {
      test('a password change ends every other session; the current one refreshes on', async () => {
        const api = await apiUser(t);
        const other = (await logIn(t, api.email, apiPassword)).json();
        const current = (await logIn(t, api.email, apiPassword)).json();
        const res = await t.inject({
          method: 'PATCH',
          url: '/api/users/me',
          headers: bearer(current.access_token),
          payload: { password: 'a-new-password-42', current_password: apiPassword },
        });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal((await refresh(other.refresh_token)).statusCode, 401);
        assert.equal((await refresh(current.refresh_token)).statusCode, 200);
      });

      test('deactivation by a superuser ends every session', async () => {
        const admin = await apiUser(t, { superuser: true });
        const user = await newUser(t);
        const session = await todoLogIn(user.username);
        const res = await t.inject({ method: 'PATCH', url: `/api/users/${user.id}`, headers: admin.headers, payload: { is_active: false } });
        assert.equal(res.statusCode, 200);
        assert.equal((await refresh(session.refresh_token)).statusCode, 401);
      });

      test('the prune job deletes sessions long expired', async () => {
        const user = await newUser(t);
        await todoLogIn(user.username);
        clock.advance(7200 + 2 * 86400);
        const pruned = await t.app.context.sessions.prune();
        assert.ok(pruned >= 1);
        const left = await t.app.context.database.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
        assert.equal(left.length, 0);
      });
    });
  });
}
