/**
 * What stands in for a masked value. Tokens, not words: a page may translate them, and a test
 * can find them. `number` covers long digit runs that are neither a NIK nor a phone (a NIK typed
 * with a digit too many, a bank account): better masked than kept.
 */
export const maskTokens = { nik: '[nik]', phone: '[phone]', email: '[email]', number: '[number]' } as const;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
// NIK and No. KK: 16 digits, often typed in groups (3174 0123 4567 0001, 3174-0123-…, 3174.0123.…).
const NIK = /(?<![\d+])\d(?:[ .-]?\d){15}(?![ .-]?\d)/g;
// Indonesian mobile numbers: 08…, 628…, +62 8…, (+62) 8…, +62 (0)8…; 9–12 digits after the 8
// (Kominfo numbering: at most 13 digits in 08 form). Any other +62 number is a phone too.
const MOBILE = /(?<![\d+])(?:\(?\+62\)?[ .-]?(?:\(0\)[ .-]?)?|62[ .-]?|0)8\d(?:[ .-]?\d){6,10}(?![ .-]?\d)/g;
const PLUS62 = /\(?\+62\)?[ .-]?(?:\(?\d{1,4}\)?[ .-]?)(?:\d[ .-]?){5,10}\d(?!\d)/g;
// Landlines: 0 + area code (021, 0274, 0361 …) + 5–8 digits, e.g. 021-5551234, (0274) 512 345.
const LANDLINE = /(?<![\d+])(?:\(0[2-79]\d{1,2}\)|0[2-79]\d{1,2})[ .-]?\d{3,4}[ .-]?\d{2,4}(?![ .-]?\d)/g;
const LONG_DIGITS = /\d{12,}/g;

/**
 * A text with the personal identifiers Indonesians commonly type in a chat masked: NIK/KK (16
 * digits), mobile, landline and +62 phone numbers with spaces, dots or dashes, and e-mail addresses.
 * UU 27/2022 (data minimisation): logs and desk transcripts keep what was asked, not who asked.
 * Ticket numbers, complaint references (ADU-20261123-0001), dates, times and amounts
 * are left alone.
 */
export function maskPersonalData(text: string): string {
  return text
    .replace(EMAIL, maskTokens.email)
    .replace(NIK, maskTokens.nik)
    .replace(MOBILE, maskTokens.phone)
    .replace(PLUS62, maskTokens.phone)
    .replace(LANDLINE, maskTokens.phone)
    .replace(LONG_DIGITS, maskTokens.number);
}

/**
 * A channel address (chat id, phone number, web session) for a staff screen: only its last three
 * characters, enough to tell two apart on a call with the citizen, not to contact them.
 */
export function maskAddress(address: string): string {
  if (!address) return '';
  return address.length <= 4 ? '•••' : `•••${address.slice(-3)}`;
}
