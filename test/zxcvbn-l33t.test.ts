import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ZxcvbnFactory, type MatchExtended } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import { l33tSpellings, samplePasswords } from '../bench/lib/password-samples.js';
import { l33tSpellingsFor, loadEstimator, strengthOptions } from '../src/modules/identity/password-strength.worker.js';
import { indexedDictionaryMatchers } from '../src/modules/identity/zxcvbn-l33t.js';

const dictionaryOptions = { translations: english.translations, graphs: common.adjacencyGraphs, dictionary: { ...common.dictionary, ...english.dictionary } };
const library = new ZxcvbnFactory({ ...dictionaryOptions, ...strengthOptions });
const indexed = new ZxcvbnFactory({ ...dictionaryOptions, ...strengthOptions }, indexedDictionaryMatchers);
const accountWords = ['spruce', 'alice_01', 'alice@example.com', 'alice'];

/** Passwords that exercise the matchers' corners: multi-character substitutions, case, repeats, reversals, the account's words, non-ASCII. */
const corners = [
  '', 'a', '1!', 'Password123!', 'P@$$W0RD!!', 'drowssap!12', '|_|nd3r$c0r3', '/\\/\\onkey#7', '()()()()', 'nnnnvvvvuuuu2n2u',
  '|<3y80@rd!', 'c0rr3c7-h0r$3-8@773ry', 'alice_01!', '4l1c3@3x4mpl3.c0m', 'spruc3spruc3!', 'İstanbul1!', 'ǅungla9!',
  'p@$$w0rdp@$$w0rdp@$$w0rdp@$$w0rdp@$$w0rdp@$$w0rdp@$$w0rdp@$$w0rd', '1l1l1l1l1l1l1l1l1l1l1l1l1l1l1l1l1l1l1l1l1l1l1l1l1l1l1l1l1l1l1l1l',
  '4@8(3691!|170$5+7%24@8(3691!|170$5+7%24@8(3691!|170$5+7%24@8(369', 'onetwothreefour5!', 'monday-tuesday-9', 'n0r7h3@57s0u7hw3s7',
  'abcdefghijklmnopqrstuvwxy', 'abcdefghijklmnopqrstuvwxyz', 'x__proto__1!', '__pr0t0__!1', 'constructor#9',
];
const passwords = [...corners, ...samplePasswords(60, 3), ...l33tSpellings().filter((_, i) => i % 3 === 0)];

/** The matches the factory's matchers find, before scoring chooses among them. */
function matchesOf(factory: ZxcvbnFactory, password: string, userInputs: string[]): MatchExtended[] {
  const internals = factory as unknown as { main(password: string, userInputs: string[]): MatchExtended[] };
  return internals.main(password.slice(0, strengthOptions.maxLength), userInputs);
}

describe('indexed dictionary matchers', () => {
  test('find exactly the matches of the library\'s own, in the same order', () => {
    // But for one quirk of the library's: its dictionaries are plain objects, so `constructor` and `__proto__`
    // answer Object.prototype's, and it "finds" them in every dictionary with a rank that is not a number.
    const realWords = (matches: MatchExtended[]) => matches.filter((match) => typeof (match as { rank?: unknown }).rank !== 'function' && typeof (match as { rank?: unknown }).rank !== 'object');
    for (const password of passwords) {
      for (const userInputs of [accountWords, []]) {
        assert.deepStrictEqual(matchesOf(indexed, password, userInputs), realWords(matchesOf(library, password, userInputs)), password);
      }
    }
  });

  test('give the same verdict and advice as the library\'s own', () => {
    for (const password of passwords) {
      const { calcTime: _libraryTime, ...expected } = library.check(password, accountWords);
      const { calcTime: _indexedTime, ...actual } = indexed.check(password, accountWords);
      assert.deepStrictEqual(actual, expected, password);
    }
  });

  test('keep the verdicts the policy relies on', () => {
    assert.equal(indexed.check('Password123!', accountWords).score, 1);
    for (const seed of ['chantaje@1', 'freepassword@1', 'testpassword@1', 'heatcavslakers@1']) {
      assert.ok(indexed.check(seed, accountWords).score >= 3, seed);
    }
    // The account's own words, l33t-spelt, are still found.
    assert.ok(indexed.check('4l1c3_01!', accountWords).score < 3);
  });

  test('refuse to stand in when Levenshtein distance is on, which they do not implement', () => {
    assert.throws(() => new ZxcvbnFactory({ ...dictionaryOptions, useLevenshteinDistance: true }, indexedDictionaryMatchers), /useLevenshteinDistance/);
  });
});

describe('the production estimator', () => {
  test('refuses every l33t spelling of a common password that the library\'s defaults refuse', async () => {
    const production = await loadEstimator();
    const defaults = new ZxcvbnFactory(dictionaryOptions, indexedDictionaryMatchers);
    const letThrough = l33tSpellings().filter((password) => defaults.check(password, accountWords).score < 3 && production.check(password, accountWords).score >= 3);
    assert.deepEqual(letThrough, []);
  });

  test('tries 100 l33t spellings up to 24 characters, the library\'s default, and 30 past that', () => {
    assert.deepEqual([l33tSpellingsFor(10), l33tSpellingsFor(24), l33tSpellingsFor(25), l33tSpellingsFor(64)], [100, 100, 30, 30]);
  });
});
