/**
 * The access token, in memory only: never in localStorage, where any script on the page could read it. A reload
 * therefore ends the session for now. When the sessions issue adds its HttpOnly refresh cookie, restoring a
 * session on load and renewing an expired token belong in `AuthProvider` (lib/auth.tsx), which is the only
 * writer of this store; the API client only reads the token and reports when the server refuses it.
 */
type Listener = () => void;

let token: string | null = null;
const listeners = new Set<Listener>();
const expiryListeners = new Set<Listener>();

export const accessToken = {
  get: (): string | null => token,
  set(next: string | null): void {
    token = next;
    for (const listener of listeners) listener();
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** The server answered 401 to a request that carried the token. */
  expired(): void {
    if (token === null) return;
    for (const listener of expiryListeners) listener();
  },
  onExpired(listener: Listener): () => void {
    expiryListeners.add(listener);
    return () => expiryListeners.delete(listener);
  },
};
