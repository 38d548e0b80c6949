import type { ValidationIssue } from '../../core/errors.js';

export interface PasswordPolicyOptions {
  minLength: number;
  maxLength: number;
}

/**
 * The one password policy every route that sets a password uses. Returns the reasons a password is refused,
 * each worded for the person who typed it; an empty list means it is acceptable.
 */
export function passwordProblems(password: string, options: PasswordPolicyOptions): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < options.minLength) problems.push(`Password should be at least ${options.minLength} characters`);
  if (length > options.maxLength) problems.push(`Password should be at most ${options.maxLength} characters`);
  if (!/\p{L}/u.test(password)) problems.push('Password must include at least one letter');
  if (!/\p{N}/u.test(password)) problems.push('Password must include at least one digit');
  if (!/[^\p{L}\p{N}]/u.test(password)) {
    problems.push('Password must include at least one character that is neither a letter nor a digit');
  }
  return problems;
}

export function passwordIssues(password: string, options: PasswordPolicyOptions, loc: (string | number)[]): ValidationIssue[] {
  return passwordProblems(password, options).map((msg) => ({ loc, msg, type: 'value_error' }));
}
