import { TextField } from './field';

export interface StepUp {
  current_password: string;
  /** The authenticator's six digits (or a recovery code), when the account has a second factor. */
  code?: string;
}

/**
 * What a sensitive change asks for (the API's step-up rule): the current password, and the authenticator code when
 * the account has a second factor. Controlled by the form that sends the change.
 */
export function StepUpFields({
  value,
  onChange,
  withCode,
  fieldError,
}: {
  value: StepUp;
  onChange: (next: StepUp) => void;
  withCode: boolean;
  fieldError: (field: string) => string | undefined;
}) {
  return (
    <>
      <TextField
        label="Current password"
        name="current_password"
        type="password"
        autoComplete="current-password"
        required
        value={value.current_password}
        onChange={(e) => onChange({ ...value, current_password: e.target.value })}
        error={fieldError('current_password')}
      />
      {withCode && (
        <TextField
          label="Authenticator code"
          name="code"
          autoComplete="one-time-code"
          maxLength={64}
          required
          value={value.code ?? ''}
          onChange={(e) => onChange({ ...value, code: e.target.value })}
          hint="The six digits your authenticator app shows now, or one of your recovery codes."
          error={fieldError('code')}
        />
      )}
    </>
  );
}

/** The step-up as the API takes it: the code only when there is one. */
export function stepUpBody({ current_password, code }: StepUp): StepUp {
  const trimmed = code?.trim() ?? '';
  return trimmed === '' ? { current_password } : { current_password, code: trimmed };
}
