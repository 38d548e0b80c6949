import { useInfiniteQuery } from '@tanstack/react-query';
import { AuditList } from '@/components/audit-list';
import { Button } from '@/components/button';
import { ErrorAlert, QueryState } from '@/components/feedback';
import { Page } from '@/components/page';
import { accountLinks, SectionNav } from '@/components/section-nav';
import { myAuditPage, securityKeys } from './api';

/** My audit log: what happened to this account, newest first, a page at a time (the API's cursor). */
export function ActivityPage() {
  const log = useInfiniteQuery({
    queryKey: securityKeys.audit,
    queryFn: ({ pageParam }) => myAuditPage(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  return (
    <Page title="Activity">
      <SectionNav label="Your account" links={accountLinks} />
      <QueryState query={{ ...log, data: log.data?.pages.flatMap((p) => p.items) }} what="your activity" isEmpty={(items) => items.length === 0} empty="Nothing recorded yet.">
        {(items) => (
          <>
            <AuditList events={items} label="Your account's events" />
            {log.isFetchNextPageError && <ErrorAlert error={log.error} />}
            {log.hasNextPage ? (
              <Button variant="secondary" busy={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
                Show older events
              </Button>
            ) : (
              <p className="muted">That is everything.</p>
            )}
          </>
        )}
      </QueryState>
    </Page>
  );
}
