import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, unwrap } from './api/client';
import { session, type Grant } from './session';

export type CurrentUser = Awaited<ReturnType<typeof fetchMe>>;

function fetchMe() {
  return unwrap(api.GET('/api/users/me'));
}

interface AuthState {
  user: CurrentUser | null;
  /** True while the app, just opened, asks whether the refresh cookie still holds a session. */
  restoring: boolean;
  /** Why the last session ended without the user asking, to say so on the log-in page. */
  endedBecause: 'expired' | null;
  /** Starts a session with a log-in's answer; resolves once the account is known. */
  logIn(grant: Grant): Promise<CurrentUser>;
  logOut(): Promise<void>;
  /** The session ended on the server by the user's own action (a new email confirmed without this session's token). */
  forgetSession(): void;
  /** The account changed (verified email, new name): read it again. */
  refreshUser(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

/**
 * The session: the token (in memory, see session.ts) and the account it belongs to. On start it tries the refresh
 * cookie, so a reload or a new tab stays logged in. Logging out ends the session on the server (its refresh token
 * and every access token of it, and the cookie) and forgets every cached query, so the next person on this
 * browser sees nothing of the last one.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [user, setUser] = useState<CurrentUser | null>(null);
  const [restoring, setRestoring] = useState(true);
  const [endedBecause, setEndedBecause] = useState<'expired' | null>(null);

  const forget = useCallback(() => {
    session.clear();
    setUser(null);
    queryClient.clear();
  }, [queryClient]);

  useEffect(
    () =>
      session.onEnded(() => {
        forget();
        setEndedBecause('expired');
      }),
    [forget],
  );

  useEffect(() => {
    let cancelled = false;
    // No cookie, or an ended session, is a plain "logged out"; so is a network failure here (the log-in page says
    // what is wrong when it is used).
    session
      .renew()
      .then((token) => (token === null ? null : fetchMe()))
      .then(
        (me) => !cancelled && me !== null && setUser(me),
        () => undefined,
      )
      .finally(() => !cancelled && setRestoring(false));
    return () => {
      cancelled = true;
    };
  }, []);

  const logIn = useCallback(async (grant: Grant) => {
    session.start(grant);
    try {
      const me = await fetchMe();
      setUser(me);
      setEndedBecause(null);
      return me;
    } catch (error) {
      session.clear();
      throw error;
    }
  }, []);

  const logOut = useCallback(async () => {
    try {
      if (session.token() !== null) await unwrap(api.POST('/api/auth/logout'));
    } catch {
      // Forgotten here either way; a session the server already ended needs no ending.
    }
    forget();
    setEndedBecause(null);
  }, [forget]);

  const forgetSession = useCallback(() => {
    forget();
    setEndedBecause(null);
  }, [forget]);

  const refreshUser = useCallback(async () => {
    setUser(await fetchMe());
  }, []);

  const value = useMemo(
    () => ({ user, restoring, endedBecause, logIn, logOut, forgetSession, refreshUser }),
    [user, restoring, endedBecause, logIn, logOut, forgetSession, refreshUser],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const auth = useContext(AuthContext);
  if (auth === null) throw new Error('useAuth outside AuthProvider');
  return auth;
}

/** The signed-in account, for pages behind RequireAuth. */
export function useCurrentUser(): CurrentUser {
  const { user } = useAuth();
  if (user === null) throw new Error('useCurrentUser outside RequireAuth');
  return user;
}
