import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/button';
import { ErrorAlert, QueryState } from '@/components/feedback';
import { Page } from '@/components/page';
import { feedPage, marketplaceKeys, type FeedItem } from './api';
import { PostJobLink } from './post-job-link';
import { cleaningTypeLabels, formatPrice, formatWhen } from './format';

/** Asks for the next page when the end of the list scrolls into view; the button does the same by hand. */
function useLoadWhenVisible(load: () => void, enabled: boolean) {
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = sentinel.current;
    if (!enabled || element === null) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) load();
    }, { rootMargin: '400px' });
    observer.observe(element);
    return () => observer.disconnect();
  }, [load, enabled]);
  return sentinel;
}

function FeedEntry({ item }: { item: FeedItem }) {
  return (
    <li className="card">
      <p className="card-meta">
        {item.event_type === 'is_create' ? 'New job' : 'Updated'} · <time dateTime={item.event_timestamp}>{formatWhen(item.event_timestamp)}</time>
      </p>
      <h2 className="card-title">
        <Link to={`/cleanings/${item.id}`}>{item.name}</Link>
      </h2>
      <p className="card-line">
        <span className="price">{formatPrice(item.price)}</span> · {cleaningTypeLabels[item.cleaning_type]}
      </p>
      {item.description !== null && item.description !== '' && <p className="card-text">{item.description}</p>}
    </li>
  );
}

export function FeedPage() {
  const feed = useInfiniteQuery({
    queryKey: marketplaceKeys.feed,
    queryFn: ({ pageParam }) => feedPage(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const { fetchNextPage, hasNextPage, isFetchingNextPage } = feed;
  const more = () => void (hasNextPage && !isFetchingNextPage && fetchNextPage());
  const sentinel = useLoadWhenVisible(more, hasNextPage && !isFetchingNextPage && !feed.isFetchNextPageError);

  return (
    <Page
      title="Cleaning jobs"
      actions={<PostJobLink />}
    >
      <QueryState
        query={{ ...feed, data: feed.data?.pages.flatMap((page) => page.items) }}
        what="the feed"
        isEmpty={(items) => items.length === 0}
        empty={
          <>
            No jobs yet. <Link to="/cleanings/new">Post the first one</Link>.
          </>
        }
      >
        {(items) => (
          <>
            <ol className="card-list" aria-label="Latest jobs">
              {items.map((item) => (
                <FeedEntry key={`${item.id}-${item.event_type}-${item.event_timestamp}`} item={item} />
              ))}
            </ol>
            <div ref={sentinel} />
            {feed.isFetchNextPageError && <ErrorAlert error={feed.error} />}
            {hasNextPage ? (
              <Button variant="secondary" busy={isFetchingNextPage} onClick={more}>
                {isFetchingNextPage ? 'Loading more…' : 'Load more'}
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
