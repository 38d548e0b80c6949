/**
 * Runs in a worker thread of the password-strength pool (password-strength.ts), never on the event loop: zxcvbn
 * costs tens of milliseconds a password, and building its dictionaries hundreds more.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import type { StrengthEstimate, StrengthTask } from './password-strength.js';
import { indexedDictionaryMatchers } from './zxcvbn-l33t.js';

let estimator: Promise<ZxcvbnFactory> | undefined;

/** The options of zxcvbn's factory, apart from the dictionaries (bench/password-strength.ts measures with these). */
export const strengthOptions = { maxLength: 64, l33tMaxSubstitutions: 30 } as const;

/**
 * The common and English dictionaries, built once per thread at its first task, with the library's dictionary
 * matchers replaced by indexed ones that find the same matches with far fewer lookups (zxcvbn-l33t.ts). Two limits
 * bound the cost of one check, which grows with the password's length and its l33t characters (`!`, `@`, `0`,
 * `$`…), since zxcvbn tries their substitutions: only the first 64 characters are judged (PASSWORD_MAX_LENGTH's
 * default: a longer password whose first 64 characters are hard to guess is too), and at most 30 spellings with
 * substitutions are tried instead of 100. Measured (docs/benchmarks.md): of 400 l33t spellings of common
 * passwords, 5 that the library's default would refuse pass with 30.
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
    indexedDictionaryMatchers,
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
