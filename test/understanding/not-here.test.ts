import { describe, expect, it } from 'vitest';
import { read } from './fixture.js';

const notHere: Array<[string, string]> = [
  ['bikin sim baru', 'sim-baru'], ['SIM baru', 'sim-baru'], ['mau buat SIM A', 'sim-baru'], ['syarat bikin sim c baru', 'sim-baru'], ['ujian sim dimana', 'sim-baru'],
  ['tes sim bisa disini?', 'sim-baru'], ['sim pertama kali', 'sim-baru'], ['how do i get a new driving licence', 'sim-baru'], ['sim b1', 'sim-baru'],
  ['sim internasional', 'sim-internasional'], ['international driving permit', 'sim-internasional'],
  ['perpanjang kitas', 'kitas-kitap'], ['urus KITAP', 'kitas-kitap'], ['izin tinggal wna', 'kitas-kitap'], ['extend my visa', 'kitas-kitap'],
  ['ktp untuk wna', 'ktp-wna'], ['ktp for foreigners', 'ktp-wna'],
  ['surat domisili', 'surat-domisili'], ['bikin surat keterangan domisili', 'surat-domisili'], ['certificate of domicile', 'surat-domisili'],
  ['bikin surat keterangan tidak mampu', 'sktm'], ['sktm', 'sktm'], ['mau minta surat miskin', 'sktm'],
  ['surat pengantar rt rw', 'surat-pengantar'], ['minta pengantar rt', 'surat-pengantar'],
  ['surat keterangan usaha', 'surat-keterangan-usaha'],
  ['surat ahli waris', 'ahli-waris'], ['keterangan waris', 'ahli-waris'],
  ['akta notaris', 'akta-notaris'], ['bikin akta pendirian pt', 'akta-notaris'], ['akta jual beli rumah', 'akta-notaris'],
  ['surat pindah sekolah', 'pindah-sekolah'], ['anak mau pindah sekolah', 'pindah-sekolah'],
  ['legalisir ijazah kuliah', 'legalisir-ijazah'], ['ijazah s1 hilang', 'legalisir-ijazah'],
  ['bpkb baru', 'stnk-hilang-bpkb'], ['bpkb hilang gimana', 'stnk-hilang-bpkb'], ['ganti plat nomor', 'stnk-hilang-bpkb'], ['uji kir', 'stnk-hilang-bpkb'],
  ['izin keramaian', 'izin-keramaian'],
  ['daftar bansos', 'bansos'], ['daftar pkh', 'bansos'],
  ['surat keterangan sehat', 'surat-sehat'], ['surat dokter', 'surat-sehat'],
  ['daftar kartu prakerja', 'kartu-prakerja'],
  ['pecah sertifikat tanah', 'sertifikat-tanah-baru'], ['ptsl', 'sertifikat-tanah-baru'],
];

/** Catalogue services that share words with a not-here entry and must keep their card. */
const stillServed: Array<[string, string]> = [
  ['perpanjang sim', 'polri-sim-perpanjangan'], ['perpanjangan sim a', 'polri-sim-perpanjangan'], ['sim mati', 'polri-sim-perpanjangan'], ['sim habis', 'polri-sim-perpanjangan'],
  ['renew my driving licence', 'polri-sim-perpanjangan'],
  ['pajak motor tahunan', 'samsat-pajak-tahunan'], ['ganti plat 5 tahunan', 'samsat-pajak-lima-tahunan'], ['balik nama motor', 'samsat-balik-nama'],
  ['surat bebas narkoba', 'bnn-skhpn'], ['surat keterangan tidak pernah dipidana', 'pengadilan-surat-tidak-dipidana'],
  ['ktp hilang', 'dukcapil-ktp-el-hilang-rusak'], ['surat pindah', 'dukcapil-pindah-datang'], ['pindah domisili', 'dukcapil-pindah-datang'],
  ['cek sertifikat tanah', 'bpn-pengecekan-sertifikat'], ['nib', 'dpmptsp-nib'], ['paspor baru', 'imigrasi-paspor-baru'], ['skck baru', 'polri-skck-baru'],
  // served here since the catalogue gained Samsat, Disdik and SKTLK counters
  ['legalisir ijazah', 'disdik-legalisir-ijazah'], ['ijazah hilang', 'disdik-pengganti-ijazah'], ['stnk hilang', 'samsat-stnk-hilang'],
  ['mutasi motor ke luar kota', 'samsat-mutasi-keluar'], ['cabut berkas', 'samsat-mutasi-keluar'], ['surat kehilangan dari polisi', 'polri-surat-kehilangan'],
];

describe('requests this MPP does not serve', () => {
  it.each(notHere)('"%s" is not here (%s)', async (text, entryId) => {
    const u = await read(text);
    expect(u.intents[0], JSON.stringify(u.intents)).toMatchObject({ kind: 'not_here', entryId });
  });

  it.each(stillServed)('"%s" stays the catalogue service %s', async (text, id) => {
    const u = await read(text);
    expect(u.intents[0], JSON.stringify(u.intents)).toMatchObject({ kind: 'services' });
    expect((u.intents[0] as { serviceIds: string[] }).serviceIds[0]).toBe(id);
  });

  it('SIM baru points at the renewal service as related', async () => {
    expect((await read('bikin sim baru')).intents[0]).toEqual({ kind: 'not_here', entryId: 'sim-baru', related: 'polri-sim-perpanjangan' });
  });
});
