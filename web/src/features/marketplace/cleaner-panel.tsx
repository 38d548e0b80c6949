import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from '@/components/button';
import { ErrorAlert, QueryState } from '@/components/feedback';
import { cancelMyOffer, findOffer, makeOffer, marketplaceKeys, rescindMyOffer, type Cleaning } from './api';
import { OfferStatus } from './offer-status';

/** What everyone but the owner sees: offer to do the job, take back a pending offer, or cancel an accepted one. */
export function CleanerPanel({ cleaning, username }: { cleaning: Cleaning; username: string }) {
  const queryClient = useQueryClient();
  const key = marketplaceKeys.myOffer(cleaning.id, username);
  const offer = useQuery({ queryKey: key, queryFn: () => findOffer(cleaning.id, username) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const make = useMutation({ mutationFn: () => makeOffer(cleaning.id), onSuccess: refresh });
  const rescind = useMutation({ mutationFn: () => rescindMyOffer(cleaning.id), onSuccess: refresh });
  const cancel = useMutation({ mutationFn: () => cancelMyOffer(cleaning.id), onSuccess: refresh });
  const failure = make.error ?? rescind.error ?? cancel.error;

  return (
    <section aria-labelledby="my-offer-heading">
      <h2 id="my-offer-heading">Your offer</h2>
      <ErrorAlert error={failure} />
      <QueryState query={offer} what="your offer">
        {(mine) =>
          mine === null ? (
            <>
              <p>You have not offered to do this job.</p>
              <Button busy={make.isPending} onClick={() => make.mutate()}>
                Offer to do this job
              </Button>
            </>
          ) : (
            <>
              <p>
                Your offer is <OfferStatus status={mine.status} />.
              </p>
              {mine.status === 'pending' && (
                <Button variant="secondary" busy={rescind.isPending} onClick={() => rescind.mutate()}>
                  Take back my offer
                </Button>
              )}
              {mine.status === 'accepted' && (
                <Button variant="danger" busy={cancel.isPending} onClick={() => cancel.mutate()}>
                  Cancel: I cannot do this job
                </Button>
              )}
            </>
          )
        }
      </QueryState>
    </section>
  );
}
