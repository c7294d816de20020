import { cleanText } from '../catalogue/normalise.js';
import { escapeRegExp } from './phrases.js';

/**
 * Removes greetings, fillers and story words around a request ("assalamualaikum kak, saya mau
 * tanya, ktp saya hilang waktu mudik kemarin ...") so the search sees the request alone. Works on
 * cleaned words (not lexicon-normalised) and returns readable text; never returns an empty string
 * when the message had words.
 */
export class ChatterStripper {
  private readonly pattern: RegExp | undefined;

  constructor(phrases: readonly string[]) {
    const alternatives = [...new Set(phrases.map(cleanText).filter(Boolean))].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.pattern = alternatives.length ? new RegExp(`(?<=^| )(?:${alternatives.join('|')})(?= |$)`, 'g') : undefined;
  }

  /** Whether the text has words and all of them are chatter ("min mau nanya", "permisi kak"). */
  only(text: string): boolean {
    const clean = cleanText(text);
    return clean !== '' && this.pattern !== undefined && clean.replace(this.pattern, ' ').trim() === '';
  }

  strip(text: string): string {
    const clean = cleanText(text);
    if (!this.pattern) return clean;
    const stripped = clean.replace(this.pattern, ' ').replace(/ +/g, ' ').trim();
    return stripped || clean;
  }
}
