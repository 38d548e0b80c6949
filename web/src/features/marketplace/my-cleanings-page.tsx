import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { QueryState } from '@/components/feedback';
import { Page } from '@/components/page';
import { marketplaceKeys, myCleanings } from './api';
import { PostJobLink } from './post-job-link';
import { cleaningTypeLabels, formatPrice, formatWhen } from './format';

export function MyCleaningsPage() {
  const mine = useQuery({ queryKey: marketplaceKeys.mine, queryFn: myCleanings });
  return (
    <Page
      title="My jobs"
      actions={<PostJobLink />}
    >
      <QueryState query={mine} what="your jobs" isEmpty={(jobs) => jobs.length === 0} empty={<>You have not posted a job yet. <Link to="/cleanings/new">Post one</Link>.</>}>
        {(jobs) => (
          <ul className="card-list" aria-label="My jobs">
            {jobs.map((job) => (
              <li key={job.id} className="card">
                <h2 className="card-title">
                  <Link to={`/cleanings/${job.id}`}>{job.name}</Link>
                </h2>
                <p className="card-line">
                  <span className="price">{formatPrice(job.price)}</span> · {cleaningTypeLabels[job.cleaning_type]} · posted <time dateTime={job.created_at}>{formatWhen(job.created_at)}</time>
                </p>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </Page>
  );
}
