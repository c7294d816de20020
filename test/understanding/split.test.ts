import { describe, expect, it } from 'vitest';
import { read } from './fixture.js';

const several: Array<[string, string[]]> = [
  ['mau bikin skck sama surat bebas narkoba', ['polri-skck-baru', 'bnn-skhpn']],
  ['skck dan surat bebas narkoba', ['polri-skck-baru', 'bnn-skhpn']],
  ['akta kelahiran, kia dan kk', ['dukcapil-akta-kelahiran', 'dukcapil-kia', 'dukcapil-kk-']],
  ['perpanjang sim sekalian bayar pajak motor juga', ['polri-sim-perpanjangan', 'samsat-pajak-tahunan']],
  ['mau perpanjang paspor sekalian bikin npwp', ['imigrasi-paspor-penggantian', 'djp-npwp']],
  ['npwp dan nib', ['djp-npwp', 'dpmptsp-nib']],
  ['daftar bpjs kesehatan serta bpjs ketenagakerjaan mandiri', ['bpjs-kesehatan-daftar-mandiri', 'bpjs-tk-daftar-bpu']],
  ['akta kematian terus klaim taspen', ['dukcapil-akta-kematian', 'taspen-klaim']],
  ['passport renewal and police clearance', ['imigrasi-paspor-penggantian', 'polri-skck-']],
  ['ktp hilang + paspor hilang', ['dukcapil-ktp-el-hilang-rusak', 'imigrasi-paspor-hilang-rusak']],
];

/** One service with a connector word inside: the split must not add a second one. */
const single: Array<[string, string]> = [
  ['syarat perpanjang paspor dan biayanya', 'imigrasi-paspor-penggantian'],
  ['mau tanya dan minta info skck baru', 'polri-skck-baru'],
  ['bikin skck baru sama saudara saya', 'polri-skck-baru'],
  ['akta kelahiran anak kembar dua', 'dukcapil-akta-kelahiran'],
  ['npwp suami dan istri', 'djp-npwp'],
];

describe('several services in one message', () => {
  it.each(several)('"%s" names each service', async (text, ids) => {
    const u = await read(text);
    expect(u.intents[0], JSON.stringify(u.intents)).toMatchObject({ kind: 'services' });
    const got = (u.intents[0] as { serviceIds: string[] }).serviceIds;
    for (const id of ids) expect(got.some((g) => g.startsWith(id)), `${text}: ${got.join(' ')}`).toBe(true);
  });

  it.each(single)('"%s" is the one service %s', async (text, id) => {
    const u = await read(text);
    expect(u.intents[0], JSON.stringify(u.intents)).toMatchObject({ kind: 'services' });
    expect((u.intents[0] as { serviceIds: string[] }).serviceIds[0]).toBe(id);
  });
});

describe('chatty messages find the same service as the request alone', () => {
  const pairs: Array<[string, string]> = [
    ['assalamualaikum kak, saya mau tanya, ktp saya hilang waktu mudik kemarin, terus saya harus bawa apa aja ya?', 'ktp hilang'],
    ['assalamualaikum min, mau nanya syarat bikin paspor buat umroh apa aja', 'paspor baru'],
    ['selamat siang pak, mohon maaf mengganggu, saya ingin bertanya tentang perpanjangan sim', 'perpanjang sim'],
    ['halo kak, jadi gini, anak saya baru lahir bulan lalu, mau urus akta kelahiran gimana ya', 'akta kelahiran'],
    ['permisi min numpang tanya, kalau mau bikin npwp syaratnya apa ya kak? makasih', 'npwp baru'],
    ['hi, good morning, I would like to ask how to renew my passport please', 'passport renewal'],
    ['pagi kak, sy mau tny soal skck, utk melamar kerja', 'skck baru'],
  ];
  it.each(pairs)('"%s" ~ "%s"', async (chatty, plain) => {
    const a = await read(chatty);
    const b = await read(plain);
    expect(a.intents[0].kind, JSON.stringify(a.intents)).toBe('services');
    expect((a.intents[0] as { serviceIds: string[] }).serviceIds[0]).toBe((b.intents[0] as { serviceIds: string[] }).serviceIds[0]);
  });
});
