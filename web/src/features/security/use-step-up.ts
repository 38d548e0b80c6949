import { useState } from 'react';
import { stepUpBody, type StepUp } from '@/components/step-up-fields';
import { useCurrentUser } from '@/lib/auth';

/**
 * The step-up fields' state for one form, and whether they ask for a code: they do once the account reports a
 * second factor (`mfa_enabled`, which GET /api/users/me gains with the second-factor issue).
 */
export function useStepUp() {
  const user = useCurrentUser() as { mfa_enabled?: boolean };
  const [value, setValue] = useState<StepUp>({ current_password: '' });
  return { value, onChange: setValue, withCode: user.mfa_enabled === true, body: () => stepUpBody(value), clear: () => setValue({ current_password: '' }) };
}
