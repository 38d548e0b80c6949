import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';

/**
 * The page an emailed link lands on (`…?token=…`): sends the token at once with `send`, once per token, also under
 * React's development double effects (a token works once; a second call would be refused).
 */
export function useEmailedToken<T>(send: (token: string) => Promise<T>, onSuccess?: (data: T) => unknown) {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const call = useMutation({ mutationFn: () => send(token), ...(onSuccess === undefined ? {} : { onSuccess }) });
  const sent = useRef<string | null>(null);
  useEffect(() => {
    if (token === '' || sent.current === token) return;
    sent.current = token;
    call.mutate();
  }, [token, call]);
  return { token, call };
}
