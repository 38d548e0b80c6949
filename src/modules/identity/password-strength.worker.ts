/**
 * Runs in a worker thread of the password-strength pool (password-strength.ts), never on the event loop: zxcvbn
 * costs tens of milliseconds a password, and building its dictionaries hundreds more.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import type { StrengthEstimate, StrengthTask } from './password-strength.js';

let estimator: Promise<ZxcvbnFactory> | undefined;

/** The common and English dictionaries, built once per thread at its first task. */
async function loadEstimator(): Promise<ZxcvbnFactory> {
  const [common, english] = await Promise.all([import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')]);
  return new ZxcvbnFactory({
    translations: english.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...english.dictionary },
  });
}

export default async function estimateStrength(task: StrengthTask): Promise<StrengthEstimate | null> {
  estimator ??= loadEstimator();
  const zxcvbn = await estimator;
  if (task.password === null) return null; // a warm-up: the dictionaries are loaded, nothing to judge
  const { score, feedback } = zxcvbn.check(task.password, task.userInputs);
  return { score, warning: feedback.warning, suggestions: feedback.suggestions };
}
