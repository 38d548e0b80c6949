/**
 * Types for the modules of @zxcvbn-ts/core 4.2 that zxcvbn-l33t.ts builds on. The package ships `.d.ts` files
 * beside them but no `.d.mts`, so TypeScript does not find them for an ESM import of the `.mjs` path. Only what is
 * used is declared; test/zxcvbn-l33t.test.ts checks the behaviour against the library's own matchers.
 */
declare module '@zxcvbn-ts/core/dist/matcher/dictionary/variants/matching/unmunger/getCleanPasswords.mjs' {
  export interface PasswordWithSubs {
    password: string;
    /** Each substitution made: at index `i` of the new password, `letter` stands for `substitution` of the old. */
    changes: { i: number; letter: string; substitution: string }[];
    isFullSubstitution: boolean;
  }
  const getCleanPasswords: (password: string, limit: number, trieRoot: unknown) => PasswordWithSubs[];
  export default getCleanPasswords;
}

declare module '@zxcvbn-ts/core/dist/matcher/dictionary/matching.mjs' {
  import type { MatcherBaseClass, MatchOptions, MatchExtended, Options, UserInputsOptions } from '@zxcvbn-ts/core';
  export default class MatchDictionary extends MatcherBaseClass {
    constructor(options: Options, wordSequenceCheck?: boolean);
    match(matchOptions: MatchOptions): MatchExtended[];
    /** The dictionaries a match looks in: all with the account's words, or only the word sequences. */
    protected getRangedDictionaries(userInputsOptions?: UserInputsOptions): {
      rankedDictionaries: Record<string, Record<string, number>>;
      rankedDictionariesMaxWordSize: Record<string, number>;
    };
  }
}

declare module '@zxcvbn-ts/core/dist/matcher/wordSequence/matching.mjs' {
  import type { MatcherBaseClass, MatchOptions, MatchExtended, Options } from '@zxcvbn-ts/core';
  export default class MatchWordSequence extends MatcherBaseClass {
    dictionary: MatcherBaseClass;
    dictionaryL33t: MatcherBaseClass;
    dictionaryReverse: MatcherBaseClass;
    constructor(options: Options);
    match(matchOptions: MatchOptions): MatchExtended[];
  }
}

declare module '@zxcvbn-ts/core/dist/matcher/wordSequence/feedback.mjs' {
  import type { DefaultFeedbackFunction } from '@zxcvbn-ts/core';
  const feedback: DefaultFeedbackFunction;
  export default feedback;
}

declare module '@zxcvbn-ts/core/dist/matcher/wordSequence/scoring.mjs' {
  import type { DefaultScoringFunction } from '@zxcvbn-ts/core';
  const scoring: DefaultScoringFunction;
  export default scoring;
}

declare module '@zxcvbn-ts/core/dist/matcher/dictionary/feedback.mjs' {
  import type { DefaultFeedbackFunction } from '@zxcvbn-ts/core';
  const feedback: DefaultFeedbackFunction;
  export default feedback;
}

declare module '@zxcvbn-ts/core/dist/matcher/dictionary/scoring.mjs' {
  import type { DefaultScoringFunction } from '@zxcvbn-ts/core';
  const scoring: DefaultScoringFunction;
  export default scoring;
}
