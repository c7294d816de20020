import { cleanText } from '../catalogue/normalise.js';
import type { Translator } from '../i18n.js';
import { locales } from '../message.js';
import type { Flows } from './flow.js';

/** "kembali" follows the citizen's own path, so it has no target in flows/global.yaml. */
export const BACK_WORD = 'back';
/** "batal" also says the process was cancelled when it stops one (a state with `step: true`). */
export const CANCEL_WORD = 'cancel';

/** Commands keep their slash ("/batal", "/batal@mpp_bot" from Telegram groups); other words are cleaned. */
export function wordKey(text: string): string {
  const command = /^\/([a-z_]+)(@\w+)?$/i.exec(text.trim());
  return command ? `/${command[1]!.toLowerCase()}` : cleanText(text);
}

/** Phrase (as wordKey leaves it) -> global word, for the words of flows/global.yaml and "back", in every locale. */
export function globalWords(flows: Flows, translator: Translator): Map<string, string> {
  const words = new Map<string, string>();
  for (const locale of locales) {
    for (const word of [...Object.keys(flows.words), BACK_WORD]) {
      for (const phrase of translator.list(locale, `keywords.${word}`)) words.set(wordKey(phrase), word);
    }
  }
  return words;
}

/** Words that point at an option without naming it ("yg baru", "yang perpanjangan dulu", "the new one", "pilih nomor 2"). */
const POINTERS = new Set(['yg', 'yang', 'itu', 'ini', 'pilih', 'pilihan', 'dulu', 'nomor', 'nomer', 'no', 'opsi', 'angka', 'the', 'one', 'number', 'option', 'choice']);
/** Ordinals typed for a numbered option ("yang kedua", "the second one"). */
const ORDINALS = new Map([['pertama', 1], ['kesatu', 1], ['kedua', 2], ['ketiga', 3], ['keempat', 4], ['kelima', 5], ['first', 1], ['second', 2], ['third', 3], ['fourth', 4], ['fifth', 5]]);

/** Negating words that are no answer by themselves. */
const NEGATIONS = new Set(['bukan', 'tanpa', 'not', 'non', 'without']);

/** A reply of signs only, without spaces, skin tones or variation selectors: "👍🏽 👍" is "👍". */
function sign(text: string): string {
  const chars = [...text.replace(/\s+|\p{Emoji_Modifier}|\u{FE0F}/gu, '')];
  return chars.filter((c, i) => c !== chars[i - 1]).join('');
}

/** Short tails that do not change a yes or a no ("iya kak", "ga jadi deh"). */
const MAX_TAIL_WORDS = 3;
/** Other words a short answer may carry when they only echo the question ("iya batalin aja"). */
const MAX_ECHO_WORDS = 2;
/** Words that turn a yes or no into something else ("iya tapi besok", "udah semua" is the whole checklist). */
const CONTRARY = new Set(['semua', 'semuanya', 'lengkap', 'all', 'everything', 'tapi', 'tetapi', 'namun', 'kecuali', 'nanti', 'besok', 'lusa', 'belum', 'tidak', 'ga', 'gak', 'nggak', 'enggak', 'jangan', 'but', 'except', 'later', 'not', 'no', 'dont']);

/**
 * Reads a short yes or no ("iya kak", "gak 🙏", "ok!") from the locale lists keywords.yes,
 * keywords.no and keywords.particles, in every locale; anything longer is not a yes/no.
 */
export class YesNo {
  private readonly yes: string[][] = [];
  private readonly no: string[][] = [];
  private readonly particles = new Set<string>();
  /** Replies with no word at all ("👍", "👌"): the keywords that cleaning empties, compared as typed. */
  private readonly signs = new Map<string, 'yes' | 'no'>();

  constructor(translator: Translator) {
    for (const locale of locales) {
      for (const [list, target, answer] of [['keywords.yes', this.yes, 'yes'], ['keywords.no', this.no, 'no']] as const) {
        for (const p of translator.list(locale, list)) {
          const words = cleanText(p);
          if (words) target.push(words.split(' '));
          else this.signs.set(sign(p), answer);
        }
      }
      for (const p of translator.list(locale, 'keywords.particles')) this.particles.add(cleanText(p));
    }
    // Longest phrase first: "ga jadi" before "ga".
    for (const list of [this.yes, this.no]) list.sort((a, b) => b.length - a.length);
  }

  read(text: string): 'yes' | 'no' | undefined {
    const words = cleanText(text).split(' ').filter(Boolean);
    if (words.length === 0) return this.signs.get(sign(text));
    // Only a yes may carry an echo of the question ("iya batalin aja"); "kurang pas foto" is not a bare no.
    const no = this.longestMatch(this.no, words, false);
    const yes = this.longestMatch(this.yes, words, true);
    // "tidak ada" is a no even though "ada" alone is a yes: the longer reading wins.
    if (no > 0 && no >= yes) return 'no';
    return yes > 0 ? 'yes' : undefined;
  }

  /** A word said around a pick that names nothing: a particle ("aja", "kak") or a pointer ("yg", "yang", "dulu"). */
  isFiller(word: string): boolean {
    return this.particles.has(word) || POINTERS.has(word);
  }

  /**
   * The option number a short text picks: "2", "2.", "yg 2", "pilih nomor 2", "yang kedua"
   * (one number or ordinal with only pointers and particles around it), else undefined.
   */
  pickedNumber(text: string): number | undefined {
    // Raw words: "2." and "2)" are list numbers; "1?" is a question, not a pick.
    const words = text
      .toLowerCase()
      .trim()
      .split(/\s+/)
      .map((w) => w.replace(/^[#(]|[.)]$/g, ''))
      .filter((w) => w && !this.isFiller(w));
    if (words.length !== 1) return undefined;
    const [word] = words as [string];
    return /^\d{1,2}$/.test(word) ? Number(word) : ORDINALS.get(word);
  }

  /** Whether any word of the text is a one-word no or a negation ("bukan lansia", "not pregnant"). */
  negates(text: string): boolean {
    return cleanText(text)
      .split(' ')
      .some((w) => this.isNo(w) || NEGATIONS.has(w));
  }

  private isNo(word: string): boolean {
    return this.no.some((p) => p.length === 1 && p[0] === word);
  }

  /**
   * Words of the longest phrase that starts the text and leaves only particles after it, or a
   * short echo of the question ("iya batalin aja", "ya ambil") with no "but" in it (0 = none).
   */
  private longestMatch(phrases: string[][], words: string[], echo: boolean): number {
    for (const phrase of phrases) {
      if (phrase.length > words.length || phrase.some((w, i) => words[i] !== w)) continue;
      const tail = words.slice(phrase.length).filter((w) => !this.particles.has(w));
      if (words.length - phrase.length > MAX_TAIL_WORDS + 1) continue;
      if (tail.length === 0 || (echo && tail.length <= MAX_ECHO_WORDS && !tail.some((w) => CONTRARY.has(w) || this.isNo(w)))) return phrase.length;
    }
    return 0;
  }
}
