import { sql, type Kysely } from 'kysely';
import { hasReturning, toNullableNumber, toNumber } from '../../db/dialect.js';
import { toBool, toDate, type Database, type EvaluationRow } from '../../db/schema.js';

export interface Evaluation {
  cleaningId: number;
  cleanerId: string;
  noShow: boolean;
  headline: string | null;
  comment: string | null;
  professionalism: number | null;
  completeness: number | null;
  efficiency: number | null;
  overallRating: number;
  createdAt: Date;
  updatedAt: Date;
}

export type NewEvaluation = Omit<Evaluation, 'createdAt' | 'updatedAt'>;

export interface EvaluationStats {
  avgProfessionalism: number | null;
  avgCompleteness: number | null;
  avgEfficiency: number | null;
  avgOverallRating: number | null;
  minOverallRating: number | null;
  maxOverallRating: number | null;
  /** Evaluations with an overall rating of 1, 2, 3, 4 and 5 (index 0 is one star). */
  starCounts: [number, number, number, number, number];
  totalEvaluations: number;
  totalNoShow: number;
}

function toEvaluation(row: EvaluationRow): Evaluation {
  return {
    cleaningId: row.cleaning_id,
    cleanerId: row.cleaner_id,
    noShow: toBool(row.no_show),
    headline: row.headline,
    comment: row.comment,
    professionalism: row.professionalism,
    completeness: row.completeness,
    efficiency: row.efficiency,
    overallRating: row.overall_rating,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

const starCount = (stars: number) => sql<number | string>`count(case when overall_rating = ${sql.lit(stars)} then 1 end)`;

export class EvaluationsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(trx: Kysely<Database>, evaluation: NewEvaluation): Promise<Evaluation> {
    const now = new Date();
    const insert = trx.insertInto('evaluations').values({
      cleaning_id: evaluation.cleaningId,
      cleaner_id: evaluation.cleanerId,
      no_show: evaluation.noShow,
      headline: evaluation.headline,
      comment: evaluation.comment,
      professionalism: evaluation.professionalism,
      completeness: evaluation.completeness,
      efficiency: evaluation.efficiency,
      overall_rating: evaluation.overallRating,
      created_at: now,
      updated_at: now,
    });
    if (hasReturning(trx)) return toEvaluation(await insert.returningAll().executeTakeFirstOrThrow());
    // MySQL: the row is what was written.
    await insert.execute();
    return { ...evaluation, createdAt: now, updatedAt: now };
  }

  async find(cleaningId: number, cleanerId: string): Promise<Evaluation | null> {
    const row = await this.db
      .selectFrom('evaluations')
      .selectAll()
      .where('cleaning_id', '=', cleaningId)
      .where('cleaner_id', '=', cleanerId)
      .executeTakeFirst();
    return row === undefined ? null : toEvaluation(row);
  }

  async listForCleaner(cleanerId: string): Promise<Evaluation[]> {
    const rows = await this.db
      .selectFrom('evaluations')
      .selectAll()
      .where('cleaner_id', '=', cleanerId)
      .orderBy('created_at', 'desc')
      .orderBy('cleaning_id', 'desc')
      .execute();
    return rows.map(toEvaluation);
  }

  /** One aggregate query; averages skip the optional ratings a client left out, as SQL's avg does. */
  async statsForCleaner(cleanerId: string): Promise<EvaluationStats> {
    const row = await this.db
      .selectFrom('evaluations')
      .where('cleaner_id', '=', cleanerId)
      .select((eb) => [
        eb.fn.avg('professionalism').as('avg_professionalism'),
        eb.fn.avg('completeness').as('avg_completeness'),
        eb.fn.avg('efficiency').as('avg_efficiency'),
        eb.fn.avg('overall_rating').as('avg_overall_rating'),
        eb.fn.min('overall_rating').as('min_overall_rating'),
        eb.fn.max('overall_rating').as('max_overall_rating'),
        starCount(1).as('one_stars'),
        starCount(2).as('two_stars'),
        starCount(3).as('three_stars'),
        starCount(4).as('four_stars'),
        starCount(5).as('five_stars'),
        eb.fn.countAll().as('total_evaluations'),
        sql<number | string>`count(case when no_show then 1 end)`.as('total_no_show'),
      ])
      .executeTakeFirstOrThrow();
    return {
      avgProfessionalism: toNullableNumber(row.avg_professionalism),
      avgCompleteness: toNullableNumber(row.avg_completeness),
      avgEfficiency: toNullableNumber(row.avg_efficiency),
      avgOverallRating: toNullableNumber(row.avg_overall_rating),
      minOverallRating: toNullableNumber(row.min_overall_rating),
      maxOverallRating: toNullableNumber(row.max_overall_rating),
      starCounts: [toNumber(row.one_stars), toNumber(row.two_stars), toNumber(row.three_stars), toNumber(row.four_stars), toNumber(row.five_stars)],
      totalEvaluations: toNumber(row.total_evaluations),
      totalNoShow: toNumber(row.total_no_show),
    };
  }
}
