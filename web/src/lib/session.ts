/**
 * The session in the browser. The access token lives here, in memory only: never in localStorage, where any
 * script on the page could read it. The refresh token never reaches page scripts at all: log-in asks for it in
 * the API's HttpOnly cookie (`spruce_refresh`, scoped to POST /api/auth/refresh), so `renew()` can fetch a new
 * access token on start (a reload stays logged in), shortly before the current one expires, and when the API
 * refuses one early (a password change ends the caller's access token; its session refreshes on).
 *
 * This file holds state only; the API client (api/client.ts) supplies the call that renews, attaches the token and
 * retries a refused request once. AuthProvider (auth.tsx) starts and ends sessions and hears when one ends.
 */
export interface Grant {
  access_token: string;
  /** Seconds the access token has left. */
  expires_in: number;
}

/** Asks the API for a new grant with the cookie: null when it refuses (no session, or it ended). */
export type Renewer = () => Promise<Grant | null>;

type Listener = () => void;

/** Renew this long before expiry, so a request never leaves with a token about to die on the way. */
const renewAheadMs = 30_000;
/** A token this close to expiry is renewed before a request is sent with it. */
const expiringMs = 5_000;

let token: string | null = null;
let expiresAt = 0;
let renewTimer: ReturnType<typeof setTimeout> | undefined;
let renewing: Promise<string | null> | null = null;
let renewer: Renewer | null = null;
const endedListeners = new Set<Listener>();

function schedule(expiresInSeconds: number): void {
  clearTimeout(renewTimer);
  const delay = Math.max(expiresInSeconds * 1000 - renewAheadMs, expiresInSeconds * 500);
  // A failed scheduled renewal (offline) is not the end: the next request renews again, or says the session ended.
  renewTimer = setTimeout(() => void session.renew().catch(() => undefined), delay);
}

export const session = {
  token: (): string | null => token,

  useRenewer(next: Renewer): void {
    renewer = next;
  },

  /** A log-in or renewal answered: keep the token and renew it before it expires. */
  start(grant: Grant): void {
    token = grant.access_token;
    expiresAt = Date.now() + grant.expires_in * 1000;
    schedule(grant.expires_in);
  },

  /** Forgets the token here (log-out, or the session ended). */
  clear(): void {
    token = null;
    expiresAt = 0;
    clearTimeout(renewTimer);
  },

  /** The token is about to expire (or has): renew before using it. */
  expiring: (): boolean => token !== null && Date.now() >= expiresAt - expiringMs,

  /**
   * A new access token from the refresh cookie, or null when the API refuses it. One renewal at a time however
   * many requests ask, so a burst of refused requests spends the cookie once. A refusal while a session was on
   * means it ended elsewhere (logged out in another tab, ended from another device, password reset): listeners
   * hear of it. A network failure throws and keeps the token, which may still be good.
   */
  renew(): Promise<string | null> {
    renewing ??= (async () => {
      try {
        if (renewer === null) throw new Error('session.renew before session.useRenewer');
        const grant = await renewer();
        if (grant !== null) {
          session.start(grant);
          return grant.access_token;
        }
        const hadSession = token !== null;
        session.clear();
        if (hadSession) session.ended();
        return null;
      } finally {
        renewing = null;
      }
    })();
    return renewing;
  },

  /** The API refused the session for good: forget it here and tell the listeners. */
  ended(): void {
    session.clear();
    for (const listener of endedListeners) listener();
  },

  onEnded(listener: Listener): () => void {
    endedListeners.add(listener);
    return () => endedListeners.delete(listener);
  },
};
