import { describe, expect, it } from 'vitest';
import { ServiceSearch } from '../../src/catalogue/search.js';
import { Normaliser, editDistance } from '../../src/catalogue/normalise.js';
import { demoCatalogue } from '../helpers.js';

let built: Promise<ServiceSearch> | undefined;
const search = () => (built ??= demoCatalogue().then((c) => new ServiceSearch(c)));

/** query -> the service that must come first (an id prefix when the variant is open). */
const cases: Array<[string, string]> = [
  // glued words
  ['aktalahir', 'dukcapil-akta-kelahiran'], ['aktekelahiran', 'dukcapil-akta-kelahiran'], ['aktakematian', 'dukcapil-akta-kematian'],
  ['kartukeluarga baru', 'dukcapil-kk-baru'], ['ktphilang', 'dukcapil-ktp-el-hilang-rusak'], ['pajakmotor tahunan', 'samsat-pajak-tahunan'],
  ['paspor baru', 'imigrasi-paspor-baru'], ['passport service', 'imigrasi-paspor'], ['which mpp has passport service', 'imigrasi-paspor'], ['skckbaru', 'polri-skck-baru'], ['baliknama motor', 'samsat-balik-nama'],
  // typos in the head noun
  ['kartu keluaga baru', 'dukcapil-kk-baru'], ['kartu kluarga baru', 'dukcapil-kk-baru'], ['pasport baru', 'imigrasi-paspor-baru'], ['paspr baru', 'imigrasi-paspor-baru'],
  ['ktp hilng', 'dukcapil-ktp-el-hilang-rusak'], ['akta kelahran', 'dukcapil-akta-kelahiran'], ['akta kematan', 'dukcapil-akta-kematian'],
  ['surat kterangan catatan kepolisian', 'polri-skck-'], ['perpanjangn sim', 'polri-sim-perpanjangan'], ['sertifkat halal', 'bpjph-sertifikat-halal'],
  ['pendaftarn haji', 'kemenag-pendaftaran-haji'], ['perpustakan', 'perpustakaan-kartu-anggota'],
  // numbers
  ['naik daya 1300 ke 2200', 'pln-tambah-daya'], ['tambah daya 900 ke 1300 va', 'pln-tambah-daya'], ['pasang listrik baru 2200 va', 'pln-pasang-baru'],
  ['faskes 1', 'bpjs-kesehatan-ubah-faskes'], ['pindah faskes tingkat 1', 'bpjs-kesehatan-ubah-faskes'],
  ['pajak motor 2025', 'samsat-pajak-tahunan'], ['spt tahunan 2025', 'djp-spt-tahunan'],
  // questions naming a service's parts
  ['kartu bpjs kesehatan baru', 'bpjs-kesehatan-daftar-mandiri'], ['bikin kartu bpjs kesehatan', 'bpjs-kesehatan-daftar-mandiri'], ['kartu bpjs baru', 'bpjs-kesehatan-daftar-mandiri'],
  ['ganti faskes bpjs', 'bpjs-kesehatan-ubah-faskes'], ['npwp suami', 'djp-npwp'], ['paspor istri saya', 'imigrasi-paspor-'],
  // head nouns: the object named decides over a state shared by many services
  ['kk hilang', 'dukcapil-kk-'], ['kartu keluarga rusak', 'dukcapil-kk-'],
  // units after a number confirm, they do not pull towards another service
  ['paspor 48 halaman baru', 'imigrasi-paspor-baru'], ['pinjam kur 50 juta', 'bri-kur'],
];

const outOfScope = [
  '1300', '2024 2025', 'lusa', 'besok jam 9', 'cuaca besok', 'this is it', 'resep rendang', 'harga emas hari ini', 'terus', 'kesiangan',
  // loose fuzzy matches and lone letters must not name a service
  'hubungi admin', 'maaf mengganggu', "what's up", 'do i have to come in person',
];

describe('search robustness', () => {
  it.each(cases)('"%s" finds %s first', async (query, expected) => {
    const outcome = (await search()).search(query);
    expect(outcome.results[0]?.id ?? 'nothing', JSON.stringify(outcome.results)).toMatch(new RegExp(`^${expected}`));
  });

  it.each(outOfScope)('"%s" finds nothing', async (query) => {
    expect((await search()).search(query).results).toEqual([]);
  });

  it('repairs only unknown words: index words, stopwords and numbers are kept as written', async () => {
    const n = (await search()).normaliser;
    expect(n.tokens('terus skck 1300')).toEqual(['terus', 'skck', '1300']);
    expect(n.tokens('kartu keluaga')).toEqual(['kk']);
    expect(n.tokens('aktalahir')).toEqual(['akta', 'kelahiran']);
  });

  it('a normaliser without a vocabulary never repairs (the index side)', async () => {
    const n = new Normaliser((await demoCatalogue()).lexicon);
    expect(n.tokens('kartu keluaga aktalahir')).toEqual(['kartu', 'keluaga', 'aktalahir']);
  });

  it('edit distance counts a swap of neighbours once and stops at the limit', () => {
    expect(editDistance('keluaga', 'keluarga', 3)).toBe(1);
    expect(editDistance('pasprot', 'paspor', 3)).toBe(2);
    expect(editDistance('skkc', 'skck', 3)).toBe(1);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(2);
  });
});
