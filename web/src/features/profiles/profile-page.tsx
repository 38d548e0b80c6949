import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { QueryState } from '@/components/feedback';
import { Page } from '@/components/page';
import { useCurrentUser } from '@/lib/auth';
import { getProfile, getRatingStats, listEvaluations, profileKeys } from './api';
import { RatingChart } from './rating-chart';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function Ratings({ username }: { username: string }) {
  const stats = useQuery({ queryKey: profileKeys.stats(username), queryFn: () => getRatingStats(username) });
  const evaluations = useQuery({ queryKey: profileKeys.evaluations(username), queryFn: () => listEvaluations(username) });
  return (
    <section aria-labelledby="ratings-heading">
      <h2 id="ratings-heading">Ratings as a cleaner</h2>
      <QueryState query={stats} what="the ratings" isEmpty={(s) => s.total_evaluations === 0} empty={`${username} has not been rated yet.`}>
        {(s) => <RatingChart stats={s} />}
      </QueryState>
      <QueryState query={evaluations} what="the reviews" isEmpty={(list) => list.every((e) => e.headline === null && e.comment === null)}>
        {(list) => (
          <ul className="review-list" aria-label="Reviews">
            {list
              .filter((e) => e.headline !== null || e.comment !== null)
              .map((e) => (
                <li key={e.cleaning_id} className="card">
                  <p className="card-meta">
                    {e.overall_rating} of 5 · <time dateTime={e.created_at}>{when.format(new Date(e.created_at))}</time>
                    {e.no_show && ' · no-show'}
                  </p>
                  {e.headline !== null && <h3 className="card-title">{e.headline}</h3>}
                  {e.comment !== null && <p className="card-text">{e.comment}</p>}
                </li>
              ))}
          </ul>
        )}
      </QueryState>
    </section>
  );
}

export function ProfilePage() {
  const username = useParams().username ?? '';
  const me = useCurrentUser();
  const profile = useQuery({ queryKey: profileKeys.profile(username), queryFn: () => getProfile(username) });
  return (
    <Page title={username} actions={me.name === username ? <Link className="button button-secondary" to="/profile/edit">Edit profile</Link> : undefined}>
      <QueryState query={profile} what="the profile">
        {(p) => (
          <div className="profile">
            {p.image !== null && <img className="avatar" src={p.image} alt="" width={96} height={96} referrerPolicy="no-referrer" />}
            <dl className="facts">
              <dt>Name</dt>
              <dd>{p.full_name ?? '–'}</dd>
              {p.phone_number !== null && (
                <>
                  <dt>Phone</dt>
                  <dd>{p.phone_number}</dd>
                </>
              )}
            </dl>
            {p.bio !== null && <p className="description">{p.bio}</p>}
          </div>
        )}
      </QueryState>
      <Ratings username={username} />
    </Page>
  );
}
