import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button } from '@/components/button';
import { ErrorAlert, QueryState } from '@/components/feedback';
import { acceptOffer, deleteCleaning, findEvaluation, listOffers, marketplaceKeys, updateCleaning, type Cleaning, type CleaningDraft } from './api';
import { CleaningForm } from './cleaning-form';
import { OfferStatus } from './offer-status';
import { RateCleanerForm } from './rate-cleaner-form';

function EditCleaning({ cleaning, onDone }: { cleaning: Cleaning; onDone: () => void }) {
  const queryClient = useQueryClient();
  const update = useMutation({
    mutationFn: (draft: CleaningDraft) => updateCleaning(cleaning.id, draft),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['cleanings'] });
      await queryClient.invalidateQueries({ queryKey: ['feed'] });
      onDone();
    },
  });
  return (
    <CleaningForm
      initial={{ name: cleaning.name, description: cleaning.description ?? null, price: cleaning.price.toFixed(2), cleaning_type: cleaning.cleaning_type }}
      submitLabel="Save changes"
      busy={update.isPending}
      error={update.error}
      onSubmit={(draft) => update.mutate(draft)}
      onCancel={onDone}
    />
  );
}

function DeleteCleaning({ id }: { id: number }) {
  const [asking, setAsking] = useState(false);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => deleteCleaning(id),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: marketplaceKeys.cleaning(id) });
      await queryClient.invalidateQueries({ queryKey: ['feed'] });
      await queryClient.invalidateQueries({ queryKey: marketplaceKeys.mine });
      navigate('/cleanings/mine', { replace: true });
    },
  });
  if (!asking) {
    return (
      <Button variant="danger" onClick={() => setAsking(true)}>
        Delete job
      </Button>
    );
  }
  return (
    <div className="confirm" role="group" aria-label="Confirm deletion">
      <ErrorAlert error={remove.error} />
      <p>Delete this job with its offers and ratings? This cannot be undone.</p>
      <Button variant="danger" busy={remove.isPending} onClick={() => remove.mutate()}>
        Yes, delete it
      </Button>
      <Button variant="secondary" onClick={() => setAsking(false)}>
        Keep it
      </Button>
    </div>
  );
}

function Evaluation({ cleaningId, cleaner }: { cleaningId: number; cleaner: string }) {
  const evaluation = useQuery({ queryKey: marketplaceKeys.evaluation(cleaningId, cleaner), queryFn: () => findEvaluation(cleaningId, cleaner) });
  return (
    <QueryState query={evaluation} what="the rating">
      {(found) =>
        found === null ? (
          <RateCleanerForm cleaningId={cleaningId} cleaner={cleaner} />
        ) : (
          <p>
            You rated {cleaner} {found.overall_rating} of 5{found.headline !== null && <>: “{found.headline}”</>}. <Link to={`/profiles/${cleaner}`}>See their profile</Link>.
          </p>
        )
      }
    </QueryState>
  );
}

function Offers({ cleaningId }: { cleaningId: number }) {
  const queryClient = useQueryClient();
  const offers = useQuery({ queryKey: marketplaceKeys.offers(cleaningId), queryFn: () => listOffers(cleaningId) });
  const accept = useMutation({
    mutationFn: (username: string) => acceptOffer(cleaningId, username),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: marketplaceKeys.offers(cleaningId) }),
  });
  return (
    <section aria-labelledby="offers-heading">
      <h2 id="offers-heading">Offers</h2>
      <ErrorAlert error={accept.error} />
      <QueryState query={offers} what="the offers" isEmpty={(list) => list.length === 0} empty="No offers yet. Cleaners who offer to do this job appear here.">
        {(list) => {
          const chosen = list.find((offer) => offer.status === 'accepted' || offer.status === 'completed');
          return (
            <>
              <ul className="offer-list" aria-label="Offers">
                {list.map((offer) => (
                  <li key={offer.user_id} className="offer">
                    <Link to={`/profiles/${offer.username}`}>{offer.username}</Link> <OfferStatus status={offer.status} />
                    {offer.status === 'pending' && chosen === undefined && (
                      <Button busy={accept.isPending && accept.variables === offer.username} onClick={() => accept.mutate(offer.username)} aria-label={`Accept ${offer.username}’s offer`}>
                        Accept
                      </Button>
                    )}
                  </li>
                ))}
              </ul>
              {chosen !== undefined && <Evaluation cleaningId={cleaningId} cleaner={chosen.username} />}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}

/** What the job's owner sees: edit, delete, the offers, accepting one, and rating the cleaner afterwards. */
export function OwnerPanel({ cleaning }: { cleaning: Cleaning }) {
  const [editing, setEditing] = useState(false);
  return (
    <>
      {editing ? (
        <EditCleaning cleaning={cleaning} onDone={() => setEditing(false)} />
      ) : (
        <div className="form-buttons">
          <Button variant="secondary" onClick={() => setEditing(true)}>
            Edit job
          </Button>
          <DeleteCleaning id={cleaning.id} />
        </div>
      )}
      <Offers cleaningId={cleaning.id} />
    </>
  );
}
