import type { Offer } from './api';

const labels: Record<Offer['status'], string> = {
  pending: 'pending',
  accepted: 'accepted',
  rejected: 'not chosen',
  cancelled: 'cancelled',
  completed: 'completed',
};

export function OfferStatus({ status }: { status: Offer['status'] }) {
  return <span className={`badge badge-${status}`}>{labels[status]}</span>;
}
