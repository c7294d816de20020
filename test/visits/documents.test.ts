import { describe, expect, it } from 'vitest';
import { planContext } from './fixtures.js';

const match = async (text: string) => (await planContext()).documents.match(text);

describe('document matcher', () => {
  it('recognises KTP-el however a service words it', async () => {
    for (const text of ['KTP-el (asli dan fotokopi)', 'Fotokopi KTP-el (bawa aslinya)', 'KTP-el asli untuk diverifikasi', 'Fotokopi KTP pewaris', 'e-KTP pemohon']) {
      expect((await match(text)).documents, text).toEqual(['ktp-el']);
    }
  });

  it('takes the document a requirement names, not the one a qualifier mentions', async () => {
    expect((await match('KTP-el asli pemilik kendaraan, sesuai nama di STNK/BPKB (bawa fotokopinya)')).documents).toEqual(['ktp-el']);
  });

  it('reads past a case prefix before a colon', async () => {
    expect((await match('Numpang KK: surat keterangan pindah (bila dari daerah lain)')).documents).toEqual(['skpwni']);
    expect((await match('Anak usia 5 tahun ke atas: 2 lembar pas foto berwarna ukuran 2x3')).documents).toEqual(['pas-foto']);
  });

  it('keeps the head when the part after the colon only explains', async () => {
    expect((await match('Bukti kepesertaan aktif BPJS Kesehatan/JKN: tergantung daerah')).documents).toEqual(['bpjs-kesehatan']);
  });

  it('finds several documents in one requirement, in order', async () => {
    expect((await match('Fotokopi KTP-el, Kartu Keluarga, dan akta kelahiran kedua calon (bawa aslinya)')).documents).toEqual(['ktp-el', 'kk', 'akta-kelahiran']);
  });

  it('prefers the longer pattern (akta perceraian is not akta perkawinan)', async () => {
    expect((await match('Buku nikah / kutipan akta perkawinan, atau kutipan akta perceraian')).documents).toEqual(['buku-nikah', 'akta-perceraian']);
  });

  it('does not see SIM inside other words', async () => {
    expect((await match('Simpan bukti pendaftaran')).documents).toEqual([]);
    expect((await match('SIM lama yang masih berlaku (asli dan fotokopi)')).documents).toEqual(['sim']);
  });

  it('reads original and copy', async () => {
    expect(await match('STNK asli dan fotokopi')).toMatchObject({ original: true, copy: true });
    expect(await match('Fotokopi SPPT PBB tahun berjalan')).toMatchObject({ original: false, copy: true });
    expect(await match('Sertifikat tanah asli')).toMatchObject({ original: true, copy: false, documents: ['sertifikat-tanah'] });
  });

  it('returns no document for a form handed out at the counter', async () => {
    expect((await match('Formulir permohonan (tersedia di loket)')).documents).toEqual([]);
  });
});

describe('document matcher: conditional requirements', () => {
  it('marks a requirement for some cases only', async () => {
    for (const text of ['Surat kuasa bermeterai bila diwakilkan', 'Numpang KK: surat keterangan pindah', 'Anak di bawah 17 tahun yang pindah sendiri: surat pernyataan persetujuan', 'KIA bagi anak yang ikut pindah', 'BPKB asli dan fotokopi, bila diminta']) {
      expect((await match(text)).conditional, text).toBe(true);
    }
  });

  it('keeps everyday requirements unconditional', async () => {
    for (const text of ['KTP-el (asli dan fotokopi)', 'STNK asli dan fotokopi', 'Bukti kepesertaan aktif BPJS Kesehatan/JKN: tergantung daerah', 'Fotokopi Kartu Keluarga (KK)']) {
      expect((await match(text)).conditional, text).toBe(false);
    }
  });
});
