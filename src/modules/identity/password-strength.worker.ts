/**
 * Runs in a worker thread of the password-strength pool (password-strength.ts), never on the event loop: zxcvbn
 * costs a few milliseconds a password (more for long ones full of l33t characters), and building its dictionaries
 * hundreds more.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import type { StrengthEstimate, StrengthTask } from './password-strength.js';
import { indexedDictionaryMatchersWith } from './zxcvbn-l33t.js';

let estimator: Promise<ZxcvbnFactory> | undefined;

/** The options of zxcvbn's factory, apart from the dictionaries (bench/password-strength.ts measures with these). */
export const strengthOptions = { maxLength: 64, l33tMaxSubstitutions: 30 } as const;

/** Up to this length a password gets the library's default number of l33t spellings, 100; past it, 30. */
export const shortPasswordLength = 24;
export const l33tSpellingsFor = (length: number): number => (length <= shortPasswordLength ? 100 : strengthOptions.l33tMaxSubstitutions);

/**
 * The common and English dictionaries, built once per thread at its first task, with the library's dictionary
 * matchers replaced by indexed ones that find the same matches with far fewer lookups (zxcvbn-l33t.ts). Only the
 * first 64 characters are judged (PASSWORD_MAX_LENGTH's default: a longer password whose first 64 characters are
 * hard to guess is too). zxcvbn tries l33t spellings of a password (`!`, `@`, `0`, `$` for i, a, o, s…), whose
 * cost grows with its length and its l33t characters: up to 24 characters, where people hide common passwords in
 * l33t, it tries the library's default 100 (of 400 l33t spellings of common passwords, 30 would let 11 through
 * that 100 refuses); past that, 30, which keeps a random 64-character password under half a hash's CPU (100 would
 * triple it). Measured in docs/benchmarks.md.
 */
export async function loadEstimator(): Promise<ZxcvbnFactory> {
  const [common, english] = await Promise.all([import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')]);
  const zxcvbn = new ZxcvbnFactory(
    {
      translations: english.translations,
      graphs: common.adjacencyGraphs,
      dictionary: { ...common.dictionary, ...english.dictionary },
      ...strengthOptions,
    },
    indexedDictionaryMatchersWith(l33tSpellingsFor),
  );
  zxcvbn.check('warm-up', []); // builds the matchers' word indexes now, not in the first person's check
  return zxcvbn;
}

export default async function estimateStrength(task: StrengthTask): Promise<StrengthEstimate | null> {
  estimator ??= loadEstimator();
  const zxcvbn = await estimator;
  if (task.password === null) return null; // a warm-up: the dictionaries are loaded, nothing to judge
  const { score, feedback } = zxcvbn.check(task.password, task.userInputs);
  return { score, warning: feedback.warning, suggestions: feedback.suggestions };
}
