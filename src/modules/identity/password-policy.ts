import type { ValidationIssue } from '../../core/errors.js';
import type { BreachedPasswords } from './pwned-passwords.js';
import type { StrengthEstimate, StrengthEstimator } from './password-strength.js';

export interface PasswordPolicyOptions {
  minLength: number;
  maxLength: number;
}

/** The lowest zxcvbn score accepted, of 0 to 4: 3 is "safely unguessable" (about 10^8 guesses or more). */
export const minimumStrengthScore = 3;

export const breachedPasswordMessage = 'This password has appeared in a data breach; choose another.';

/** The account a password is for: its name and email are words a guesser tries first. */
export interface PasswordOwner {
  username?: string | null | undefined;
  email?: string | null | undefined;
}

/** The rules of a password's shape, checked at once on the event loop. An empty list means it keeps them. */
export function passwordRuleProblems(password: string, options: PasswordPolicyOptions): string[] {
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

/** zxcvbn's own warning and advice, which say why in words a person understands. */
function weakPasswordMessage({ warning, suggestions }: StrengthEstimate): string {
  const advice = [warning, ...suggestions].filter((line): line is string => line !== null && line !== '');
  return `Password is too easy to guess: ${advice.length > 0 ? advice.join(' ') : 'Add more words that are less common.'}`;
}

/** The words of the account, and the service's own name, that zxcvbn counts as guessed first. */
function userInputsOf(owner: PasswordOwner): string[] {
  const inputs = ['spruce'];
  if (owner.username) inputs.push(owner.username);
  if (owner.email) inputs.push(owner.email, owner.email.split('@')[0] ?? '');
  return inputs.filter((input) => input !== '');
}

export interface PasswordPolicyDeps {
  rules: PasswordPolicyOptions;
  strength: StrengthEstimator;
  /** The Pwned Passwords range API, when PWNED_PASSWORDS_URL is set. */
  breaches: BreachedPasswords | null;
}

/**
 * The one password policy every route that sets a password uses: the shape rules, then zxcvbn's estimate (off
 * the event loop) against common passwords, words and the account's own name and email, then, when configured,
 * the breach corpus. Returns the reasons a password is refused, each worded for the person who typed it; an empty
 * list means it is acceptable. Each step runs only when the ones before found nothing, so a password that is
 * too short never costs a worker round trip and a weak one never leaves the server.
 */
export class PasswordPolicy {
  constructor(private readonly deps: PasswordPolicyDeps) {}

  async problems(password: string, owner: PasswordOwner): Promise<string[]> {
    // The length bound comes first, so nothing longer than PASSWORD_MAX_LENGTH ever reaches the worker.
    const broken = passwordRuleProblems(password, this.deps.rules);
    if (broken.length > 0) return broken;
    const estimate = await this.deps.strength.estimate(password, userInputsOf(owner));
    if (estimate.score < minimumStrengthScore) return [weakPasswordMessage(estimate)];
    if (this.deps.breaches !== null && (await this.deps.breaches.isBreached(password))) return [breachedPasswordMessage];
    return [];
  }

  async issues(password: string, owner: PasswordOwner, loc: (string | number)[]): Promise<ValidationIssue[]> {
    return (await this.problems(password, owner)).map((msg) => ({ loc, msg, type: 'value_error' }));
  }

  close(): Promise<void> {
    return this.deps.strength.close();
  }
}
