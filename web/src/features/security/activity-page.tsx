import { useInfiniteQuery } from '@tanstack/react-query';
import { PagedAuditList } from '@/components/audit-list';
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
      <PagedAuditList log={log} what="your activity" empty="Nothing recorded yet." label="Your account's events" />
    </Page>
  );
}
