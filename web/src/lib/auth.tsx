import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, unwrap } from './api/client';
import { accessToken } from './session';

export type CurrentUser = Awaited<ReturnType<typeof fetchMe>>;

function fetchMe() {
  return unwrap(api.GET('/api/users/me'));
}

interface AuthState {
  user: CurrentUser | null;
  /** Why the last session ended without the user asking, to say so on the log-in page. */
  endedBecause: 'expired' | null;
  /** Starts a session with a token from a log-in route; resolves once the account is known. */
  logIn(token: string): Promise<CurrentUser>;
  logOut(): Promise<void>;
  /** The account changed (verified email, new name): read it again. */
  refreshUser(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

/**
 * The session: the token (in memory, see session.ts) and the account it belongs to. Logging out revokes the token
 * on the server and forgets every cached query, so the next person on this browser sees nothing of the last one.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [user, setUser] = useState<CurrentUser | null>(null);
  const [endedBecause, setEndedBecause] = useState<'expired' | null>(null);

  const forget = useCallback(() => {
    accessToken.set(null);
    setUser(null);
    queryClient.clear();
  }, [queryClient]);

  useEffect(
    () =>
      accessToken.onExpired(() => {
        forget();
        setEndedBecause('expired');
      }),
    [forget],
  );

  const logIn = useCallback(async (token: string) => {
    accessToken.set(token);
    try {
      const me = await fetchMe();
      setUser(me);
      setEndedBecause(null);
      return me;
    } catch (error) {
      accessToken.set(null);
      throw error;
    }
  }, []);

  const logOut = useCallback(async () => {
    try {
      await unwrap(api.POST('/api/auth/logout'));
    } catch {
      // The token is dropped here either way; one the server already refused needs no revoking.
    }
    forget();
    setEndedBecause(null);
  }, [forget]);

  const refreshUser = useCallback(async () => {
    setUser(await fetchMe());
  }, []);

  const value = useMemo(() => ({ user, endedBecause, logIn, logOut, refreshUser }), [user, endedBecause, logIn, logOut, refreshUser]);
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
