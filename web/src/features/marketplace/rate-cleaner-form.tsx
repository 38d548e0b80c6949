import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/button';
import { ErrorAlert } from '@/components/feedback';
import { SelectField, TextAreaField, TextField } from '@/components/field';
import { fieldError } from '@/lib/errors';
import { marketplaceKeys, rateCleaner, type EvaluationDraft } from './api';

const stars = [1, 2, 3, 4, 5];
const aspects = [
  ['professionalism', 'Professionalism'],
  ['completeness', 'Completeness'],
  ['efficiency', 'Efficiency'],
] as const;
type Aspect = (typeof aspects)[number][0];

/** The job's owner rates the cleaner whose offer they accepted; the offer then counts as completed. */
export function RateCleanerForm({ cleaningId, cleaner }: { cleaningId: number; cleaner: string }) {
  const queryClient = useQueryClient();
  const [overall, setOverall] = useState<number | null>(null);
  const [scores, setScores] = useState<Record<Aspect, string>>({ professionalism: '', completeness: '', efficiency: '' });
  const [headline, setHeadline] = useState('');
  const [comment, setComment] = useState('');
  const [noShow, setNoShow] = useState(false);
  const [missingOverall, setMissingOverall] = useState(false);

  const rate = useMutation({
    mutationFn: (draft: EvaluationDraft) => rateCleaner(cleaningId, cleaner, draft),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: marketplaceKeys.evaluation(cleaningId, cleaner) }),
        queryClient.invalidateQueries({ queryKey: marketplaceKeys.offers(cleaningId) }),
      ]),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (overall === null) {
      setMissingOverall(true);
      return;
    }
    const score = (aspect: Aspect) => (scores[aspect] === '' ? null : Number(scores[aspect]));
    rate.mutate({
      overall_rating: overall,
      professionalism: score('professionalism'),
      completeness: score('completeness'),
      efficiency: score('efficiency'),
      headline: headline.trim() === '' ? null : headline.trim(),
      comment: comment.trim() === '' ? null : comment.trim(),
      no_show: noShow,
    });
  };

  const overallError = missingOverall && overall === null ? 'Choose from one to five stars.' : fieldError(rate.error, 'overall_rating');
  return (
    <form onSubmit={submit} noValidate className="form" aria-labelledby="rate-heading">
      <h3 id="rate-heading">Rate {cleaner}</h3>
      <ErrorAlert error={rate.error} />
      <fieldset className={overallError === undefined ? 'stars' : 'stars field-invalid'} aria-describedby={overallError === undefined ? undefined : 'overall-error'}>
        <legend>Overall</legend>
        {stars.map((n) => (
          <label key={n} className="star-option">
            <input type="radio" name="overall_rating" value={n} checked={overall === n} onChange={() => setOverall(n)} />
            <span>
              {n} {n === 1 ? 'star' : 'stars'}
            </span>
          </label>
        ))}
        {overallError !== undefined && (
          <p className="field-error" id="overall-error">
            {overallError}
          </p>
        )}
      </fieldset>
      <div className="form-row">
        {aspects.map(([aspect, label]) => (
          <SelectField key={aspect} label={label} name={aspect} value={scores[aspect]} onChange={(e) => setScores({ ...scores, [aspect]: e.target.value })} error={fieldError(rate.error, aspect)}>
            <option value="">Not rated</option>
            {[0, ...stars].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </SelectField>
        ))}
      </div>
      <TextField label="Headline" name="headline" maxLength={200} value={headline} onChange={(e) => setHeadline(e.target.value)} error={fieldError(rate.error, 'headline')} />
      <TextAreaField label="Comment" name="comment" rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} error={fieldError(rate.error, 'comment')} />
      <label className="check">
        <input type="checkbox" checked={noShow} onChange={(e) => setNoShow(e.target.checked)} /> The cleaner did not show up
      </label>
      <Button type="submit" busy={rate.isPending}>
        Save rating
      </Button>
    </form>
  );
}
