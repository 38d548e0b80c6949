import { Type } from 'typebox';
import { Username } from '../users/users.schemas.js';

const Rating = Type.Integer({ minimum: 0, maximum: 5 });
const OptionalRating = Type.Optional(Type.Union([Rating, Type.Null()]));
const NullableRating = Type.Union([Type.Integer(), Type.Null()]);
const NullableAverage = Type.Union([Type.Number(), Type.Null()]);

export const CleanerParams = Type.Object({ username: Username });
export const EvaluationParams = Type.Object({
  username: Username,
  cleaning_id: Type.Integer({ minimum: 1, maximum: 2147483647 }),
});

export const EvaluationCreateBody = Type.Object(
  {
  evaluation_create: Type.Object({
    professionalism: OptionalRating,
    completeness: OptionalRating,
    efficiency: OptionalRating,
    overall_rating: Rating,
    headline: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    comment: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    no_show: Type.Optional(Type.Boolean()),
  }, { title: 'EvaluationCreate' }),
  },
  {
    title: 'EvaluationCreateBody',
    examples: [{ evaluation_create: { overall_rating: 5, professionalism: 5, completeness: 4, efficiency: 5, headline: 'Spotless', comment: 'On time and thorough.' } }],
  },
);

export const Evaluation = Type.Object({
  cleaning_id: Type.Integer(),
  cleaner_id: Type.String({ format: 'uuid' }),
  professionalism: NullableRating,
  completeness: NullableRating,
  efficiency: NullableRating,
  overall_rating: Type.Integer(),
  headline: Type.Union([Type.String(), Type.Null()]),
  comment: Type.Union([Type.String(), Type.Null()]),
  no_show: Type.Boolean(),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
}, { title: 'Evaluation' });

export const EvaluationList = Type.Array(Evaluation);

export const EvaluationStats = Type.Object({
  avg_professionalism: NullableAverage,
  avg_completeness: NullableAverage,
  avg_efficiency: NullableAverage,
  avg_overall_rating: NullableAverage,
  min_overall_rating: NullableRating,
  max_overall_rating: NullableRating,
  one_stars: Type.Integer(),
  two_stars: Type.Integer(),
  three_stars: Type.Integer(),
  four_stars: Type.Integer(),
  five_stars: Type.Integer(),
  total_evaluations: Type.Integer(),
  total_no_show: Type.Integer(),
}, { title: 'EvaluationAggregate' });
