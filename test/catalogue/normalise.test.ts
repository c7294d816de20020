import { describe, expect, it } from 'vitest';
import { Normaliser, cleanText } from '../../src/catalogue/normalise.js';
import { demoCatalogue } from '../helpers.js';

describe('Indonesian normalisation', () => {
  it('lower-cases, strips accents and turns punctuation and emoji into spaces', () => {
    expect(cleanText('  KTP-el, Café!! 😀 ')).toBe('ktp el cafe');
  });

  it('applies the lexicon: phrases, colloquial words, the -nya clitic and stopwords', async () => {
    const n = new Normaliser((await demoCatalogue()).lexicon);
    expect(n.queryTokens('syarat e-KTP gmn')).toEqual(['ktp']);
    expect(n.queryTokens('ktp elektronik ilang')).toEqual(['ktp', 'hilang']);
    expect(n.queryTokens('akte kelahiran')).toEqual(['akta', 'kelahiran']);
    expect(n.queryTokens('paspornya')).toEqual(['paspor']);
    expect(n.queryTokens('sim mati')).toEqual(['sim', 'habis']);
    expect(n.queryTokens('akte mati')).toEqual(['akta', 'kematian']);
    expect(n.queryTokens('syaraaaat skck yg baru dgn cepat')).toEqual(['skck', 'baru', 'cepat']);
  });
});
