import { describe, expect, it } from 'vitest';
import { maskPersonalData, maskTokens } from '../../src/privacy/mask.js';

const { nik, phone, email, number } = maskTokens;

describe('maskPersonalData', () => {
  it.each([
    ['NIK saya 3174012345670001', `NIK saya ${nik}`],
    ['nik: 3174 0123 4567 0001 ya', `nik: ${nik} ya`],
    ['3174-0123-4567-0001', nik],
    ['3174.0123.4567.0001.', `${nik}.`],
    ['No KK 3201234567890123, NIK 3201234567890124', `No KK ${nik}, NIK ${nik}`],
    ['(3174012345670001)', `(${nik})`],
  ])('masks a 16-digit NIK or KK number: %s', (text, masked) => {
    expect(maskPersonalData(text)).toBe(masked);
  });

  it.each([
    ['hubungi 081234567890', `hubungi ${phone}`],
    ['0812-3456-7890', phone],
    ['0812 3456 7890', phone],
    ['0812.3456.789', phone],
    ['WA saya +6281234567890', `WA saya ${phone}`],
    ['+62 812-3456-7890', phone],
    ['+62 812 3456 7890 terima kasih', `${phone} terima kasih`],
    ['(+62) 812 3456 7890', phone],
    ['+62 (0)812 3456 7890', phone],
    ['6281234567890', phone],
    ['62 812 3456 7890', phone],
    ['0857 1234 567', phone],
    ['kantor +62 21 5551 2345', `kantor ${phone}`],
    ['nomor saya 0811234567, tolong', `nomor saya ${phone}, tolong`],
    ['telp kantor 021-5551234', `telp kantor ${phone}`],
    ['(021) 555 1234', phone],
    ['(0274) 512345', phone],
    ['0361 234 567', phone],
  ])('masks an Indonesian phone number: %s', (text, masked) => {
    expect(maskPersonalData(text)).toBe(masked);
  });

  it.each([
    ['email budi.santoso@gmail.com', `email ${email}`],
    ['Budi_S+mpp@mail.co.id.', `${email}.`],
    ['kirim ke ani99@yahoo.co.id ya', `kirim ke ${email} ya`],
    ['<siti@kemendagri.go.id>', `<${email}>`],
  ])('masks an e-mail address: %s', (text, masked) => {
    expect(maskPersonalData(text)).toBe(masked);
  });

  it.each([
    'Antrean saya A-012, loket 4',
    'Aduan ADU-20261123-0001 bagaimana?',
    'Saya datang tanggal 2026-11-23 jam 09.00',
    'tanggal 23/11/2026 pukul 14:30',
    'biayanya Rp 1.500.000 atau Rp 30000',
    'kode booking BK7Q2X, nomor tiket 123',
    'KTP hilang, mau urus SKCK baru',
    'tahun 2025 dan 2026',
  ])('leaves ticket numbers, references, dates, times and amounts alone: %s', (text) => {
    expect(maskPersonalData(text)).toBe(text);
  });

  it('masks every kind in one message, keeping the rest', () => {
    expect(maskPersonalData('Saya Budi, NIK 3174012345670001, HP 0812-3456-7890, email budi@contoh.id, antrean B-004')).toBe(
      `Saya Budi, NIK ${nik}, HP ${phone}, email ${email}, antrean B-004`,
    );
  });

  it('masks long digit runs that are neither a NIK nor a phone (a NIK with a digit too many, an account)', () => {
    expect(maskPersonalData('31740123456700012')).toBe(number);
    expect(maskPersonalData('rekening 123456789012')).toBe(`rekening ${number}`);
    expect(maskPersonalData('nik 317401234567000')).toBe(`nik ${number}`);
  });

  it('does not take part of a longer number for a phone', () => {
    expect(maskPersonalData('12081234567890')).not.toContain('12');
  });
});
