import { describe, expect, it } from 'vitest';
import type { Intent } from '../../src/understanding/index.js';
import { read } from './fixture.js';

const SIM = 'polri-sim-perpanjangan';
const TAX = 'samsat-pajak-tahunan';

function servicesOf(intents: Intent[]): string[] | undefined {
  const first = intents[0];
  return first?.kind === 'services' && !first.ambiguous ? first.serviceIds : undefined;
}

/** Every way a citizen strings services together (issue 13): connectors, punctuation, slang, English. */
const lists: Array<[string, string[]]> = [
  ['mau perpanjang sim sama bayar pajak motor sekalian', [SIM, TAX]],
  ['perpanjang sim dan bayar pajak motor', [SIM, TAX]],
  ['perpanjang sim plus bayar pajak motor', [SIM, TAX]],
  ['perpanjang sim & pajak motor', [SIM, TAX]],
  ['sim + pajak motor', [SIM, TAX]],
  ['perpanjang sim, sekalian bayar pajak motor', [SIM, TAX]],
  ['perpanjang sim sekalian pajak motor', [SIM, TAX]],
  ['mau bayar pajak mobil terus perpanjang sim', [TAX, SIM]],
  ['bayar pajak motor sama perpanjang sim ya kak', [TAX, SIM]],
  ['renew my driving licence and pay my car tax', [SIM, TAX]],
  ['renew driving license and pay vehicle tax', [SIM, TAX]],
  ['perpanjang sim, bayar pajak motor, skck', [SIM, TAX, 'polri-skck-baru']],
  ['skck plus surat bebas narkoba', ['polri-skck-baru', 'bnn-skhpn']],
  ['skck ama surat bebas narkoba buat lamaran kerja', ['polri-skck-baru', 'bnn-skhpn']],
  ['police clearance and drug test certificate', ['polri-skck-baru', 'bnn-skhpn']],
  ['bikin npwp sekaligus nib', ['djp-npwp', 'dpmptsp-nib']],
  ['balik nama motor sekalian bayar pajaknya', ['samsat-balik-nama', TAX]],
  ['legalisir ijazah sama buku nikah', ['disdik-legalisir-ijazah', 'kemenag-legalisir-buku-nikah']],
  ['kak saya mau urus paspor baru dan skck, bisa sekalian?', ['imigrasi-paspor-baru', 'polri-skck-baru']],
];

/** The moving-house chain: "kk" and "ktp" name variants; the one linked to the move is meant. */
const moving: string[] = ['pindah datang, kk, ktp', 'pindah datang terus kk terus ktp', 'surat pindah, kk dan ktp', 'skpwni, kk, ktp-el', 'pindah rumah dari kota lain, mau urus kk dan ktp'];

describe('several services in one message (visit plan)', () => {
  it.each(lists)('"%s" names each service, in the order said', async (text, ids) => {
    const u = await read(text);
    expect(servicesOf(u.intents), JSON.stringify(u.intents)).toEqual(ids);
  });

  it.each(moving)('"%s" is the move: SKPWNI, the changed KK, the changed KTP-el', async (text) => {
    const u = await read(text);
    expect(servicesOf(u.intents), JSON.stringify(u.intents)).toEqual(['dukcapil-pindah-datang', 'dukcapil-kk-perubahan', 'dukcapil-ktp-el-perubahan-data']);
  });

  it('without a move, "ktp dan kk" keeps the best hits (new KTP-el, new KK)', async () => {
    const u = await read('ktp dan kk');
    expect(servicesOf(u.intents)).toEqual(['dukcapil-ktp-el-baru', 'dukcapil-kk-baru']);
  });

  it('a newborn: akta kelahiran, KIA and the KK the child is added to', async () => {
    const u = await read('akta kelahiran, kia dan kk');
    expect(servicesOf(u.intents)).toEqual(['dukcapil-akta-kelahiran', 'dukcapil-kia', 'dukcapil-kk-perubahan']);
  });

  it('a part that fits services of several agencies ("bikin baru") names none of them', async () => {
    const u = await read('perpanjang sim atau bikin baru');
    expect(servicesOf(u.intents)).toEqual([SIM]);
  });

  it("the citizen's own address in a list is not a question about the MPP's address", async () => {
    const u = await read('mau ganti alamat ktp dan kk karena pindah rumah');
    expect(u.intents[0]?.kind, JSON.stringify(u.intents)).toBe('services');
  });

  it.each(['alamat mpp dimana dan jam buka', 'jam buka dan alamat mpp'])('"%s" stays a question about the MPP', async (text) => {
    const u = await read(text);
    expect(u.intents[0]?.kind, JSON.stringify(u.intents)).toBe('mpp_info');
  });

  it.each([
    ['syarat perpanjang paspor dan biayanya', 'imigrasi-paspor-penggantian'],
    ['npwp suami dan istri', 'djp-npwp'],
    ['tambah daya listrik', 'pln-tambah-daya'],
  ])('"%s" is one service, not a visit', async (text, id) => {
    const u = await read(text);
    expect(servicesOf(u.intents), JSON.stringify(u.intents)).toEqual([id]);
  });
});
