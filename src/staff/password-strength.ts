import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { indonesianWeakWords } from './weak-words.js';

/**
 * zxcvbn's score 3 ("safely unguessable: moderate protection from an offline slow-hash attack",
 * about 10^8 guesses) is the least for an account that can call tickets and read the day's data;
 * our hashes are scrypt, so that is the attack to resist when a backup of Redis leaks.
 */
const MIN_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;
/** Built on first use: the dictionaries take a moment to rank, and most processes never set a password. */
function zxcvbn(): ZxcvbnFactory {
  return (estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary, indonesian: indonesianWeakWords },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  }));
}

/**
 * True when the password is easy to guess: a common password, words from the dictionaries (our
 * Indonesian list included), the username, repetition ("aaaaaaaaaa", ten spaces), sequences or
 * keyboard walks, however long it is.
 */
export function guessable(password: string, userInputs: string[] = []): boolean {
  return zxcvbn().check(password, userInputs).score < MIN_SCORE;
}
