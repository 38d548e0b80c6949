import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { QueryState } from '@/components/feedback';
import { Page } from '@/components/page';
import { useCurrentUser } from '@/lib/auth';
import { getCleaning, marketplaceKeys } from './api';
import { CleanerPanel } from './cleaner-panel';
import { cleaningTypeLabels, formatPrice, formatWhen } from './format';
import { OwnerPanel } from './owner-panel';

export function CleaningPage() {
  const id = Number(useParams().id);
  const user = useCurrentUser();
  const cleaning = useQuery({ queryKey: marketplaceKeys.cleaning(id), queryFn: () => getCleaning(id), enabled: Number.isSafeInteger(id) && id > 0 });
  const valid = Number.isSafeInteger(id) && id > 0;

  return (
    <Page title={cleaning.data?.name ?? 'Cleaning job'}>
      {!valid ? (
        <p role="alert">There is no such job.</p>
      ) : (
        <QueryState query={cleaning} what="the job">
          {(job) => (
            <>
              <dl className="facts">
                <dt>Price</dt>
                <dd className="price">{formatPrice(job.price)}</dd>
                <dt>Kind</dt>
                <dd>{cleaningTypeLabels[job.cleaning_type]}</dd>
                <dt>Posted by</dt>
                <dd>{job.owner.id === user.id ? 'you' : <Link to={`/profiles/${job.owner.name}`}>{job.owner.name}</Link>}</dd>
                <dt>Posted</dt>
                <dd>
                  <time dateTime={job.created_at}>{formatWhen(job.created_at)}</time>
                </dd>
              </dl>
              {job.description !== null && job.description !== '' && <p className="description">{job.description}</p>}
              {job.owner.id === user.id ? <OwnerPanel cleaning={job} /> : <CleanerPanel cleaning={job} username={user.name} />}
            </>
          )}
        </QueryState>
      )}
    </Page>
  );
}
