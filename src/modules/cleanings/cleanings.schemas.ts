import { Type } from 'typebox';
import { UserSummary } from '../users/users.schemas.js';
import { maxPriceCents } from './money.js';

export const CleaningType = Type.Enum(['dust_up', 'spot_clean', 'full_clean'], {
  description: 'dust_up, spot_clean (the default) or full_clean',
});

/** A positive amount with at most two decimals, as a JSON number or a decimal string; kept exact as cents. */
export const PriceInput = Type.Union([Type.Number(), Type.String({ maxLength: 32 })], {
  description: `A positive amount up to ${maxPriceCents / 100} with at most 2 decimals, e.g. 29.99 or "29.99"`,
});

export const CleaningName = Type.String({ minLength: 1, maxLength: 100 });
export const CleaningDescription = Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]);

export const CleaningIdParams = Type.Object({ cleaning_id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

export const NewCleaningBody = Type.Object(
  {
    new_cleaning: Type.Object(
      {
        name: CleaningName,
        description: Type.Optional(CleaningDescription),
        price: PriceInput,
        cleaning_type: Type.Optional(CleaningType),
      },
      { title: 'CleaningCreate' },
    ),
  },
  {
    title: 'NewCleaningBody',
    examples: [{ new_cleaning: { name: 'Spring clean, two rooms', description: 'Windows too, please', price: 49.5, cleaning_type: 'full_clean' } }],
  },
);

export const CleaningUpdateBody = Type.Object(
  {
  cleaning_update: Type.Object(
    {
      name: Type.Optional(CleaningName),
      description: Type.Optional(CleaningDescription),
      price: Type.Optional(PriceInput),
      // null is accepted by the schema so the service can answer it with phresh's 400.
      cleaning_type: Type.Optional(Type.Union([CleaningType, Type.Null()])),
    },
    { title: 'CleaningUpdate', description: 'Fields to change; others keep their value. An `owner` field is ignored.' },
  ),
  },
  { title: 'CleaningUpdateBody', examples: [{ cleaning_update: { price: 55 } }] },
);

const cleaningFields = {
  id: Type.Integer(),
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  price: Type.Number({ description: 'At most 2 decimals' }),
  cleaning_type: CleaningType,
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
};

export const Cleaning = Type.Object({ ...cleaningFields, owner: Type.String({ format: 'uuid', description: "The owner's user id" }) }, { title: 'Cleaning' });
export const CleaningWithOwner = Type.Object({ ...cleaningFields, owner: UserSummary }, { title: 'CleaningWithOwner' });
export const CleaningList = Type.Array(Cleaning);
export const DeletedCleaningId = Type.Integer({ description: 'The id of the deleted cleaning job' });
