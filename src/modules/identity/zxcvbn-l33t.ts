/**
 * zxcvbn's dictionary matchers (plain, reversed, l33t, and the three inside its word-sequence matcher), made to
 * skip lookups whose answer is known. The finding, the scoring and the advice stay @zxcvbn-ts/core's; only how
 * often the dictionaries are asked changes.
 *
 * Why: profiling a check (docs/benchmarks.md, issue 12) put about 90% of its CPU in the l33t matchers (the
 * dictionary one and the word-sequence one). For each password the library builds up to `l33tMaxSubstitutions`
 * spellings with l33t characters replaced (`P@ssw0rd1!` → `passwordi!`, `passwordl!`, `passwordii`…) and then
 * looks every substring of every spelling up in every dictionary (twenty of them with the English set). Most of
 * those lookups are repeats: a substring with no replaced character is the original text, which the plain
 * dictionary matcher has already looked up and whose l33t match the library then throws away ("only return the
 * matches that contain an actual substitution"); and spellings that differ only near the end share every
 * substring before it, whose matches the library also throws away as "already included". Over the bench's
 * passwords 80 to 92% of the lookups are such repeats.
 *
 * The l33t matcher here makes the same spellings (the library's own `getCleanPasswords`) and looks up only the
 * substrings that contain a replaced character (the others are the original's, whose l33t matches the library
 * drops). Every matcher here also skips substrings that cannot be a word: one set of all the words answers "in
 * no dictionary" with one lookup where the library asks each of twenty dictionaries, and the longest word
 * beginning with a substring's first three characters bounds how far a word starting there can reach (for random
 * characters, nowhere). Matches found again by a later spelling are dropped with a set lookup instead of a scan.
 * Each match is built exactly as the library builds it, in the same order: test/zxcvbn-l33t.test.ts checks that
 * the matches, and whole checks' scores and advice, equal the library's for hundreds of passwords.
 *
 * One difference, on purpose: the library's dictionaries are plain objects, so looking up `constructor` or
 * `__proto__` answers Object.prototype's, and it "finds" those in every dictionary with a rank that is not a
 * number; such matches get NaN guesses and never win the search. These matchers do not make them (the test checks
 * the verdicts still agree).
 *
 * It depends on the library's internals (4.2.0: the matcher classes and `getCleanPasswords`), so an upgrade that
 * changes them fails that test rather than changing verdicts silently.
 */
import type { MatchExtended, MatchOptions, Options, UserInputsOptions } from '@zxcvbn-ts/core';
import dictionaryFeedback from '@zxcvbn-ts/core/dist/matcher/dictionary/feedback.mjs';
import LibraryDictionaryMatcher from '@zxcvbn-ts/core/dist/matcher/dictionary/matching.mjs';
import dictionaryScoring from '@zxcvbn-ts/core/dist/matcher/dictionary/scoring.mjs';
import getCleanPasswords, { type PasswordWithSubs } from '@zxcvbn-ts/core/dist/matcher/dictionary/variants/matching/unmunger/getCleanPasswords.mjs';
import wordSequenceFeedback from '@zxcvbn-ts/core/dist/matcher/wordSequence/feedback.mjs';
import LibraryWordSequenceMatcher from '@zxcvbn-ts/core/dist/matcher/wordSequence/matching.mjs';
import wordSequenceScoring from '@zxcvbn-ts/core/dist/matcher/wordSequence/scoring.mjs';

type RankedDictionaries = Record<string, Record<string, number>>;

/** What can be known of a set of dictionaries before asking each of them. */
interface WordIndex {
  /** Every word of every dictionary. */
  words: Set<string>;
  /** The length of the longest word beginning with these three characters. */
  longestFrom: Map<string, number>;
}

/** Built from the word lists (iterating arrays is several times faster than the ranked dictionaries' keys). */
function indexWords(lists: Iterable<readonly (string | number)[]>): WordIndex {
  const index: WordIndex = { words: new Set(), longestFrom: new Map() };
  for (const list of lists) {
    for (const entry of list) {
      const word = String(entry); // as the ranked dictionaries' keys are
      index.words.add(word);
      if (word.length >= 3) {
        const start = word.slice(0, 3);
        index.longestFrom.set(start, Math.max(index.longestFrom.get(start) ?? 0, word.length));
      }
    }
  }
  return index;
}

/** Built once per factory's dictionaries (hundreds of thousands of words), and once per check for the account's words. */
const indexes = new WeakMap<object, WordIndex>();
function indexOf(key: object, lists: () => Iterable<readonly (string | number)[]>): WordIndex {
  let index = indexes.get(key);
  if (index === undefined) {
    index = indexWords(lists());
    indexes.set(key, index);
  }
  return index;
}

/**
 * The library's dictionary scan (`MatchDictionary.match` without Levenshtein distance): every substring `i..j` of
 * `password` within the library's length bounds, in its order, looked up in each dictionary in its order; `from(i)`
 * is the first `j` worth trying and `onHit` receives each word found. Substrings in no dictionary are skipped
 * without asking each one.
 */
class DictionaryScan {
  readonly dictionaryNames: string[];
  private readonly maxSearchWidth: number;
  private readonly indexes: WordIndex[];

  constructor(
    private readonly ranked: { rankedDictionaries: RankedDictionaries; rankedDictionariesMaxWordSize: Record<string, number> },
    options: Options,
    userInputsOptions: UserInputsOptions | undefined,
  ) {
    this.dictionaryNames = Object.keys(ranked.rankedDictionaries);
    this.maxSearchWidth = Math.max(0, ...Object.values(ranked.rankedDictionariesMaxWordSize));
    const fixed = options.rankedDictionaries as RankedDictionaries;
    this.indexes = [indexOf(fixed, () => Object.values(options.dictionary))];
    // The account's words are merged in per check (a new object each time), so they are indexed apart.
    const perCheck = this.dictionaryNames.filter((name) => ranked.rankedDictionaries[name] !== fixed[name]).map((name) => Object.keys(ranked.rankedDictionaries[name]!));
    if (perCheck.length > 0) this.indexes.push(indexOf(userInputsOptions ?? ranked.rankedDictionaries, () => perCheck));
  }

  run(password: string, from: (i: number) => number, onHit: (i: number, j: number, word: string, rank: number, dictionaryName: string) => void): void {
    const { rankedDictionaries, rankedDictionariesMaxWordSize } = this.ranked;
    const length = password.length;
    const lower = password.toLowerCase();
    for (let i = 0; i < length; i++) {
      // The library's bound: nothing longer than the longest word, except the whole password when it is just one longer.
      const last = i === 0 && length === this.maxSearchWidth + 1 ? length - 1 : Math.min(length - 1, i + this.maxSearchWidth - 1);
      // And no word starting here is longer than the longest that begins with these three characters.
      const start = lower.slice(i, i + 3);
      let reach = 2;
      for (const index of this.indexes) reach = Math.max(reach, index.longestFrom.get(start) ?? 0);
      const end = Math.min(last, i + reach - 1);
      for (let j = from(i); j <= end; j++) {
        const usedPassword = lower.slice(i, j + 1);
        let inSome = false;
        for (const index of this.indexes) inSome ||= index.words.has(usedPassword);
        if (!inSome) continue;
        const isFullPassword = i === 0 && j === length - 1;
        for (const dictionaryName of this.dictionaryNames) {
          if (j - i + 1 > rankedDictionariesMaxWordSize[dictionaryName]! && !isFullPassword) continue;
          const rank = rankedDictionaries[dictionaryName]![usedPassword];
          if (rank !== undefined) onHit(i, j, usedPassword, rank, dictionaryName);
        }
      }
    }
  }
}

/** The library's plain dictionary matcher (for all dictionaries, or with `wordSequenceCheck` for word sequences only). */
class IndexedDictionaryMatcher extends LibraryDictionaryMatcher {
  constructor(options: Options, wordSequenceCheck?: boolean) {
    super(options, wordSequenceCheck);
    // The library tries Levenshtein distance on whole passwords; these matchers do not, so they refuse to stand in.
    if (options.useLevenshteinDistance) throw new Error('the indexed zxcvbn matchers do not support useLevenshteinDistance');
  }

  protected scan(userInputsOptions: UserInputsOptions | undefined): DictionaryScan {
    return new DictionaryScan(this.getRangedDictionaries(userInputsOptions), this.options, userInputsOptions);
  }

  override match({ password, userInputsOptions }: MatchOptions): MatchExtended[] {
    const matches: MatchExtended[] = [];
    this.scan(userInputsOptions).run(
      password,
      (i) => i,
      (i, j, matchedWord, rank, dictionaryName) => {
        matches.push({ pattern: 'dictionary', i, j, token: password.slice(i, j + 1), matchedWord, rank, dictionaryName, reversed: false, l33t: false } as MatchExtended);
      },
    );
    return matches;
  }
}

/** The library's reversed-dictionary matcher: words spelt backwards. */
class IndexedReverseMatcher extends IndexedDictionaryMatcher {
  override match(matchOptions: MatchOptions): MatchExtended[] {
    const { password } = matchOptions;
    return super.match({ ...matchOptions, password: password.split('').reverse().join('') }).map((match) => ({
      ...match,
      token: match.token.split('').reverse().join(''),
      reversed: true,
      i: password.length - 1 - match.j,
      j: password.length - 1 - match.i,
    }));
  }
}

/** Where a match in a spelling lies in the original password, and which replacements it contains (the library's `getExtras`). */
function extrasOf(spelling: PasswordWithSubs, i: number, j: number) {
  let iUnsubbed = i;
  let jUnsubbed = j;
  const subs: { letter: string; substitution: string }[] = [];
  const subDisplay: string[] = [];
  const seenSubs = new Set<string>();
  for (const change of spelling.changes) {
    if (change.i < i) {
      const diff = change.substitution.length - change.letter.length;
      iUnsubbed += diff;
      jUnsubbed += diff;
    } else if (change.i <= j) {
      jUnsubbed += change.substitution.length - change.letter.length;
      const subKey = `${change.letter}-${change.substitution}`;
      if (!seenSubs.has(subKey)) {
        seenSubs.add(subKey);
        subs.push({ letter: change.letter, substitution: change.substitution });
        subDisplay.push(`${change.substitution} -> ${change.letter}`);
      }
    }
  }
  return { i: iUnsubbed, j: jUnsubbed, subs, subDisplay: subDisplay.join(', ') };
}

/** The library's l33t dictionary matcher, without repeated lookups. */
class DedupingL33tMatcher extends IndexedDictionaryMatcher {
  /** How many spellings to try for a string this long: the library's `l33tMaxSubstitutions`, unless overridden. */
  protected spellingLimit(_length: number): number {
    return this.options.l33tMaxSubstitutions;
  }

  override match({ password, userInputsOptions }: MatchOptions): MatchExtended[] {
    const scan = this.scan(userInputsOptions);
    const spellings = getCleanPasswords(password, this.spellingLimit(password.length), this.options.trieNodeRoot);
    const matches: MatchExtended[] = [];
    /** `iUnsubbed:jUnsubbed:text` of every match already made. */
    const found = new Set<string>();
    let hasFullMatch = false;
    for (const spelling of spellings) {
      // As the library: once a spelling matched the whole password as one word, the rest are not tried.
      if (hasFullMatch) break;
      const length = spelling.password.length;
      // nextChange[k]: the first replaced position at or after k. A substring without one is the original's, whose
      // l33t match the library drops.
      const nextChange = new Array<number>(length + 1).fill(Number.POSITIVE_INFINITY);
      for (const change of spelling.changes) nextChange[change.i] = Math.min(nextChange[change.i]!, change.i);
      for (let k = length - 1; k >= 0; k--) nextChange[k] = Math.min(nextChange[k]!, nextChange[k + 1]!);
      // Unless lower case changes the length ('İ' becomes two characters): the library then compares a token with
      // a word shifted against it, keeps such matches, and so must this.
      const lowerShifts = spelling.password.toLowerCase().length !== length;
      scan.run(
        spelling.password,
        (i) => (lowerShifts ? i : Math.max(i, nextChange[i]!)),
        (i, j, matchedWord, rank, dictionaryName) => {
          const extras = extrasOf(spelling, i, j);
          hasFullMatch ||= extras.i === 0 && extras.j === password.length - 1;
          // The library's filter at the end, applied early: single-character l33t matches ('1' for 'i', '4' for 'a')
          // are noise.
          if (extras.j === extras.i) return;
          const token = password.slice(extras.i, extras.j + 1);
          if (token.toLowerCase() === matchedWord) return; // no replacement in it after all
          // Found by an earlier spelling at the same place: the library drops it as already included.
          const key = `${extras.i}:${extras.j}:${dictionaryName}:${matchedWord}`;
          if (found.has(key)) return;
          found.add(key);
          matches.push({ pattern: 'dictionary', i: extras.i, j: extras.j, token, matchedWord, rank, dictionaryName, reversed: false, l33t: true, subs: extras.subs, subDisplay: extras.subDisplay } as MatchExtended);
        },
      );
    }
    return matches;
  }
}

/** How many l33t spellings to try for a string of this many characters. */
export type SpellingLimit = (length: number) => number;

/**
 * The custom matchers to pass to `new ZxcvbnFactory(options, customMatchers)`: under the names of the library's own
 * dictionary and word-sequence matchers, they take their places; scoring and advice are the library's own. With
 * `spellingLimit`, the number of l33t spellings tried depends on the length of what is matched (more for short
 * passwords, where people hide common ones, fewer for long ones, where each spelling costs more); without it, it is
 * the factory's `l33tMaxSubstitutions`, as in the library.
 */
export function indexedDictionaryMatchersWith(spellingLimit?: SpellingLimit) {
  class L33tMatcher extends DedupingL33tMatcher {
    protected override spellingLimit(length: number): number {
      return spellingLimit === undefined ? super.spellingLimit(length) : spellingLimit(length);
    }
  }
  /** The library's word-sequence matcher with the indexed matchers inside it. */
  class WordSequenceMatcher extends LibraryWordSequenceMatcher {
    constructor(options: Options) {
      super(options);
      this.dictionary = new IndexedDictionaryMatcher(options, true);
      this.dictionaryL33t = new L33tMatcher(options, true);
      this.dictionaryReverse = new IndexedReverseMatcher(options, true);
    }
  }
  return {
    dictionary: { Matching: IndexedDictionaryMatcher, scoring: dictionaryScoring, feedback: dictionaryFeedback },
    dictionaryReverse: { Matching: IndexedReverseMatcher, scoring: dictionaryScoring, feedback: dictionaryFeedback },
    dictionaryL33t: { Matching: L33tMatcher, scoring: dictionaryScoring, feedback: dictionaryFeedback },
    wordSequence: { Matching: WordSequenceMatcher, scoring: wordSequenceScoring, feedback: wordSequenceFeedback },
  };
}

/** The indexed matchers with the library's own l33t limit: the same matches as the library's matchers. */
export const indexedDictionaryMatchers = indexedDictionaryMatchersWith();
