import { useState, type FormEvent } from 'react';
import { Button } from '@/components/button';
import { ErrorAlert } from '@/components/feedback';
import { SelectField, TextAreaField, TextField } from '@/components/field';
import { fieldError } from '@/lib/errors';
import type { CleaningDraft, CleaningType } from './api';
import { cleaningTypeLabels } from './format';

interface CleaningFormProps {
  initial?: CleaningDraft;
  submitLabel: string;
  busy: boolean;
  error: unknown;
  onSubmit: (draft: CleaningDraft) => void;
  onCancel?: () => void;
}

/** Posting a job and editing one: the same fields, the API's messages beside each. */
export function CleaningForm({ initial, submitLabel, busy, error, onSubmit, onCancel }: CleaningFormProps) {
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [price, setPrice] = useState(initial?.price ?? '');
  const [type, setType] = useState<CleaningType>(initial?.cleaning_type ?? 'spot_clean');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({ name: name.trim(), description: description.trim() === '' ? null : description.trim(), price: price.trim(), cleaning_type: type });
  };

  return (
    <form onSubmit={submit} noValidate className="form">
      <ErrorAlert error={error} />
      <TextField label="Title" name="name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} error={fieldError(error, 'name')} />
      <TextAreaField label="Description" name="description" rows={4} maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} error={fieldError(error, 'description')} />
      <TextField label="Price (USD)" name="price" inputMode="decimal" required value={price} onChange={(e) => setPrice(e.target.value)} hint="Up to two decimals, e.g. 29.99" error={fieldError(error, 'price')} />
      <SelectField label="Kind of cleaning" name="cleaning_type" value={type} onChange={(e) => setType(e.target.value as CleaningType)} error={fieldError(error, 'cleaning_type')}>
        {Object.entries(cleaningTypeLabels).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <div className="form-buttons">
        <Button type="submit" busy={busy}>
          {submitLabel}
        </Button>
        {onCancel !== undefined && (
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
