import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from './test-app.js';
import { uniqueName } from './test-app.js';

export const apiPassword = 'chantaje@1-pw';

export interface ApiUser {
  id: string;
  email: string;
  name: string;
  password: string;
  token: string;
  headers: { authorization: string };
}

export interface MailedTokens {
  /** The last verify token issued per email. */
  verify: Map<string, string>;
  /** The last reset token issued per email. */
  reset: Map<string, string>;
}

const watched = new WeakMap<object, MailedTokens>();

/** The tokens the service hands to the mail hooks: the only way a client gets them, as tests read them here. */
export function mailedTokens(t: TestApp): MailedTokens {
  let tokens = watched.get(t.app);
  if (tokens === undefined) {
    const created: MailedTokens = { verify: new Map(), reset: new Map() };
    t.app.context.accountEvents.on('verification-requested', (e) => void created.verify.set(e.user.email ?? '', e.token));
    t.app.context.accountEvents.on('forgot-password', (e) => void created.reset.set(e.user.email ?? '', e.token));
    watched.set(t.app, created);
    tokens = created;
  }
  return tokens;
}

export function register(t: TestApp, newUser: Record<string, unknown>): Promise<LightMyRequestResponse> {
  return t.inject({ method: 'POST', url: '/api/users', payload: { new_user: newUser } });
}

export function logIn(t: TestApp, username: string, password: string, remoteAddress?: string): Promise<LightMyRequestResponse> {
  return t.inject({
    method: 'POST',
    url: '/api/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ username, password }).toString(),
    ...(remoteAddress === undefined ? {} : { remoteAddress }),
  });
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/**
 * Registers through the route, marks the account verified (and superuser if asked) straight in the database so
 * the verify route's throttle is not spent on set-up, and logs in through the route.
 */
export async function apiUser(t: TestApp, options: { superuser?: boolean; verified?: boolean } = {}): Promise<ApiUser> {
  const name = uniqueName('api_');
  const email = `${name}@example.com`;
  const res = await register(t, { email, name, password: apiPassword });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  const id = res.json().id as string;
  await t.app.context.usersRepository.update(id, { is_verified: options.verified ?? true, is_superuser: options.superuser ?? false });
  await t.app.context.authenticator.accountChanged(id);
  let token = '';
  if (options.verified !== false) {
    const login = await logIn(t, email, apiPassword);
    if (login.statusCode !== 200) throw new Error(`log-in failed: ${login.statusCode} ${login.body}`);
    token = login.json().access_token;
  }
  return { id, email, name, password: apiPassword, token, headers: bearer(token) };
}
