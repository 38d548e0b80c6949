import { Type } from 'typebox';
import { Username } from '../users/users.schemas.js';

export const OfferStatus = Type.Enum(['pending', 'accepted', 'rejected', 'cancelled', 'completed']);

export const OfferParams = Type.Object({
  cleaning_id: Type.Integer({ minimum: 1, maximum: 2147483647 }),
  username: Username,
});

/** Optional as a whole: phresh's client accepts an offer with no body. */
export const OfferUpdateBody = Type.Object(
  {
  offer_update: Type.Optional(Type.Object({
    status: Type.Enum(['accepted', 'cancelled'], {
      description: "accepted: the job's owner hires this offer's maker; cancelled: the maker withdraws an accepted offer",
    }),
  }, { title: 'OfferUpdate' })),
  },
  { title: 'OfferUpdateBody', examples: [{ offer_update: { status: 'accepted' } }] },
);

export const Offer = Type.Object({
  cleaning_id: Type.Integer(),
  user_id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  status: OfferStatus,
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
}, { title: 'Offer' });

export const OfferList = Type.Array(Offer);

/** Phresh answers a rescinded offer with an integer (`response_model=int`): here the job's id. */
export const RescindedId = Type.Integer({ description: 'The id of the cleaning job whose offer was rescinded' });
