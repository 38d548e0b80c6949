import { useState } from 'react';
import { stepUpBody, type StepUp } from '@/components/step-up-fields';
import { useCurrentUser } from '@/lib/auth';

/** The step-up fields' state for one form, and whether they ask for a code: they do when the account has a second factor. */
export function useStepUp() {
  const user = useCurrentUser();
  const [value, setValue] = useState<StepUp>({ current_password: '' });
  return { value, onChange: setValue, withCode: user.mfa_enabled, body: () => stepUpBody(value), clear: () => setValue({ current_password: '' }) };
}
