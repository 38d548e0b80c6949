import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './errors';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Other people change what these pages show (offers, the feed, accounts): a page opened again shows what it
        // had at once and asks the API again in the background.
        staleTime: 0,
        // Retrying a 4xx cannot help (not found, not allowed, bad input); network blips and 5xx get one more try.
        retry: (failures, error) => failures < 1 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: false,
      },
    },
  });
}
