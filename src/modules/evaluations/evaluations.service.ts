import type { Static } from 'typebox';
import { isoStringOf } from '../../core/iso-instant.js';
import { isUniqueViolation } from '../../db/errors.js';
import { RequestRefusedError, ForbiddenError, NotFoundError, DomainError } from '../../core/errors.js';
import { found } from '../../core/found.js';
import type { Principal } from '../../core/principal.js';
import type { CleaningsRepository } from '../cleanings/cleanings.repository.js';
import { cleaningNotFound } from '../cleanings/cleanings.service.js';
import type { OffersRepository } from '../offers/offers.repository.js';
import type { User, UsersRepository } from '../identity/index.js';
import type { Evaluation, EvaluationsRepository } from './evaluations.repository.js';
import type { Evaluation as EvaluationView, EvaluationStats } from './evaluations.schemas.js';

export const userNotFound = (): DomainError => new NotFoundError('No user found with that username.');
const alreadyEvaluated = (): DomainError => new RequestRefusedError('This cleaner has already been evaluated for this cleaning job.');

export interface EvaluationInput {
  professionalism?: number | null;
  completeness?: number | null;
  efficiency?: number | null;
  overall_rating: number;
  headline?: string | null;
  comment?: string | null;
  no_show?: boolean;
}

export function toEvaluationPublic(evaluation: Evaluation): Static<typeof EvaluationView> {
  return {
    cleaning_id: evaluation.cleaningId,
    cleaner_id: evaluation.cleanerId,
    professionalism: evaluation.professionalism,
    completeness: evaluation.completeness,
    efficiency: evaluation.efficiency,
    overall_rating: evaluation.overallRating,
    headline: evaluation.headline,
    comment: evaluation.comment,
    no_show: evaluation.noShow,
    created_at: isoStringOf(evaluation.createdAt),
    updated_at: isoStringOf(evaluation.updatedAt),
  };
}

export interface EvaluationsServiceDeps {
  evaluations: EvaluationsRepository;
  offers: OffersRepository;
  cleanings: CleaningsRepository;
  users: UsersRepository;
}

export class EvaluationsService {
  constructor(private readonly deps: EvaluationsServiceDeps) {}

  /**
   * The job's owner rates the cleaner whose offer they accepted, once: the evaluation is written and the offer
   * becomes completed in one transaction, under the job's lock, so a second evaluation finds the offer no
   * longer accepted (and the primary key refuses it regardless).
   */
  async create(caller: Principal, cleanerUsername: string, cleaningId: number, input: EvaluationInput) {
    const { cleanings, offers, evaluations } = this.deps;
    const cleaning = found(await cleanings.findById(cleaningId), cleaningNotFound);
    if (cleaning.ownerId !== caller.id) throw new ForbiddenError('Only the owner of the cleaning job can evaluate its cleaner.');
    const cleaner = await this.requireUser(cleanerUsername);
    try {
      const evaluation = await offers.transaction(async (trx) => {
        if ((await cleanings.lockById(trx, cleaningId)) === null) throw cleaningNotFound();
        const offer = await offers.find(cleaningId, cleaner.id, trx);
        if (offer?.status === 'completed') throw alreadyEvaluated();
        if (offer?.status !== 'accepted') throw new RequestRefusedError('Only the cleaner whose offer was accepted can be evaluated for this job.');
        const created = await evaluations.insert(trx, {
          cleaningId,
          cleanerId: cleaner.id,
          professionalism: input.professionalism ?? null,
          completeness: input.completeness ?? null,
          efficiency: input.efficiency ?? null,
          overallRating: input.overall_rating,
          headline: input.headline ?? null,
          comment: input.comment ?? null,
          noShow: input.no_show ?? false,
        });
        if (!(await offers.transition(trx, cleaningId, cleaner.id, 'accepted', 'completed'))) throw alreadyEvaluated();
        return created;
      });
      return toEvaluationPublic(evaluation);
    } catch (error) {
      if (isUniqueViolation(error)) throw alreadyEvaluated();
      throw error;
    }
  }

  async get(cleanerUsername: string, cleaningId: number) {
    const cleaner = await this.requireUser(cleanerUsername);
    const evaluation = await this.deps.evaluations.find(cleaningId, cleaner.id);
    if (evaluation === null) throw new NotFoundError('No evaluation found for that cleaner and cleaning job.');
    return toEvaluationPublic(evaluation);
  }

  async list(cleanerUsername: string) {
    const cleaner = await this.requireUser(cleanerUsername);
    return (await this.deps.evaluations.listForCleaner(cleaner.id)).map(toEvaluationPublic);
  }

  async stats(cleanerUsername: string): Promise<Static<typeof EvaluationStats>> {
    const cleaner = await this.requireUser(cleanerUsername);
    const stats = await this.deps.evaluations.statsForCleaner(cleaner.id);
    const [one, two, three, four, five] = stats.starCounts;
    return {
      avg_professionalism: stats.avgProfessionalism,
      avg_completeness: stats.avgCompleteness,
      avg_efficiency: stats.avgEfficiency,
      avg_overall_rating: stats.avgOverallRating,
      min_overall_rating: stats.minOverallRating,
      max_overall_rating: stats.maxOverallRating,
      one_stars: one,
      two_stars: two,
      three_stars: three,
      four_stars: four,
      five_stars: five,
      total_evaluations: stats.totalEvaluations,
      total_no_show: stats.totalNoShow,
    };
  }

  private async requireUser(username: string): Promise<User> {
    return found(await this.deps.users.findByUsername(username), userNotFound);
  }
}
