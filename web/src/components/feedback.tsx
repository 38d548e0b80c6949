import type { ReactNode } from 'react';
import { errorMessage } from '@/lib/errors';

/** A failure for the page or form as a whole; announced at once by screen readers. */
export function ErrorAlert({ error, children }: { error?: unknown; children?: ReactNode }) {
  if (error == null && children === undefined) return null;
  return (
    <div className="alert alert-error" role="alert">
      {children ?? errorMessage(error)}
    </div>
  );
}

/** Good news after an action (sent, saved). */
export function SuccessNote({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert-success" role="status">
      {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
}

/**
 * The three states every page shows before its content: loading, the API's error, and (with `isEmpty`) nothing
 * yet. `children` renders the data once there is some.
 */
export function QueryState<T>({
  query,
  what,
  isEmpty,
  empty,
  children,
}: {
  query: QueryLike<T>;
  what: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading what={what} />;
  if (query.data === undefined) return <ErrorAlert error={query.error} />;
  if (isEmpty?.(query.data)) return <Empty>{empty}</Empty>;
  return <>{children(query.data)}</>;
}
