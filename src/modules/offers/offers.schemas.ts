import { Type } from 'typebox';
import { Username } from '../users/users.schemas.js';

export const OfferStatus = Type.Enum(['pending', 'accepted', 'rejected', 'cancelled', 'completed']);

export const OfferParams = Type.Object({
  cleaning_id: Type.Integer({ minimum: 1, maximum: 2147483647 }),
  username: Username,
});

export const OfferUpdateBody = Type.Object({
  offer_update: Type.Object({
    status: Type.Enum(['accepted', 'cancelled'], {
      description: "accepted: the job's owner hires this offer's maker; cancelled: the maker withdraws an accepted offer",
    }),
  }),
});

export const Offer = Type.Object({
  cleaning_id: Type.Integer(),
  user_id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  status: OfferStatus,
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const OfferList = Type.Array(Offer);
