import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { api } from './api/client';
import { session } from './session';

// The client sends same-origin paths ('/todos'); Node's Request needs an origin to resolve them against, as the
// page's location is in a browser. Set before the client module is imported (it reads Request once).
vi.hoisted(() => {
  const NodeRequest = globalThis.Request;
  globalThis.Request = class extends NodeRequest {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(typeof input === 'string' ? new URL(input, 'http://app.test') : input, init);
    }
  };
});

type Handler = (request: Request) => Response | Promise<Response>;

/** Answers the app's requests; records what each carried. */
function serve(handler: Handler) {
  const seen: { path: string; authorization: string | null; csrf: string | null; body: string }[] = [];
  vi.stubGlobal('fetch', async (request: Request) => {
    seen.push({ path: new URL(request.url).pathname, authorization: request.headers.get('Authorization'), csrf: request.headers.get('X-Spruce-CSRF'), body: await request.clone().text() });
    return handler(request);
  });
  return seen;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const grant = (token: string, expiresIn = 900) => json(200, { access_token: token, token_type: 'bearer', expires_in: expiresIn });

describe('the session in the browser', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    session.clear();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  test('renewing spends the refresh cookie with the CSRF header, once however many ask at the same time', async () => {
    let calls = 0;
    const seen = serve((request) => (new URL(request.url).pathname === '/api/auth/refresh' ? grant(`t${++calls}`) : json(404, {})));
    const [a, b] = await Promise.all([session.renew(), session.renew()]);
    expect([a, b]).toEqual(['t1', 't1']);
    expect(seen).toEqual([{ path: '/api/auth/refresh', authorization: null, csrf: '1', body: '{}' }]);
    expect(session.token()).toBe('t1');
  });

  test('a 401 is renewed once and the request sent again with the new token, body and all', async () => {
    session.start({ access_token: 'old', expires_in: 900 });
    const seen = serve((request) => {
      const path = new URL(request.url).pathname;
      if (path === '/api/auth/refresh') return grant('new');
      return request.headers.get('Authorization') === 'Bearer new' ? json(200, { id: 1, content: 'x', is_done: false }) : json(401, { detail: 'Not Authorized' });
    });
    const { data } = await api.POST('/todos', { body: { content: 'x', is_done: false } });
    expect(data).toMatchObject({ id: 1 });
    expect(seen.map((s) => [s.path, s.authorization])).toEqual([
      ['/todos', 'Bearer old'],
      ['/api/auth/refresh', null],
      ['/todos', 'Bearer new'],
    ]);
    expect(seen[2]?.body).toBe('{"content":"x","is_done":false}');
  });

  test('a token about to expire is renewed before the request leaves, and on a timer before that', async () => {
    session.start({ access_token: 'old', expires_in: 60 });
    let issued = 0;
    const seen = serve((request) => (new URL(request.url).pathname === '/api/auth/refresh' ? grant(`t${++issued}`, 60) : json(200, [])));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(session.token()).toBe('t1');
    vi.setSystemTime(Date.now() + 58_000); // as a sleeping laptop wakes: the timer has not fired yet
    await api.GET('/todos');
    expect(seen.map((s) => [s.path, s.authorization])).toEqual([
      ['/api/auth/refresh', null],
      ['/api/auth/refresh', null],
      ['/todos', 'Bearer t2'],
    ]);
  });

  test('a refused renewal ends the session and says so', async () => {
    session.start({ access_token: 'old', expires_in: 900 });
    const ended = vi.fn();
    const stop = session.onEnded(ended);
    serve(() => json(401, { detail: 'REFRESH_TOKEN_INVALID' }));
    const { response } = await api.GET('/todos');
    expect(response.status).toBe(401);
    expect(session.token()).toBeNull();
    expect(ended).toHaveBeenCalledOnce();
    stop();
  });

  test('without a session nothing is attached and nothing renewed', async () => {
    const seen = serve(() => json(401, { detail: 'Not Authorized' }));
    await api.GET('/todos');
    expect(seen).toEqual([{ path: '/todos', authorization: null, csrf: null, body: '' }]);
  });
});
