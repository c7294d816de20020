import { describe, expect, it } from 'vitest';
import { ServiceSearch } from '../../src/catalogue/search.js';
import { ChecklistReader } from '../../src/understanding/checklist.js';
import { loadUnderstandingData } from '../../src/understanding/load.js';
import { demoCatalogue } from '../helpers.js';

async function reader() {
  const catalogue = await demoCatalogue();
  const search = new ServiceSearch(catalogue);
  const r = new ChecklistReader((await loadUnderstandingData('content')).intents, search.normaliser);
  return (text: string, serviceId: string) => r.read(text, catalogue.services.get(serviceId)!.requirements);
}

const PASPOR = 'imigrasi-paspor-baru'; // 0 KTP-el, 1 KK, 2 akta kelahiran / buku nikah / ijazah, ...
const SKCK = 'polri-skck-baru'; // 0 fotokopi KTP-el, 1 fotokopi KK, 2 fotokopi akta, 3 pas foto, 4 sidik jari, 5 BPJS, 6 fotokopi paspor
const KTP = 'dukcapil-ktp-el-baru'; // 2 fotokopi KK, 3 formulir F-1.02

describe('free text in a documents checklist', () => {
  it.each(['udah semua', 'lengkap semua', 'semua ada', 'sudah lengkap', 'all ready', 'udah semua kak', 'i have everything', 'I have all documents', 'i have all the documents', 'dokumen sudah lengkap', 'semua berkas ada kak', 'all good', 'aman semua'])('"%s" is all ready', async (text) => {
    expect((await reader())(text, PASPOR)).toEqual({ kind: 'all_ready' });
  });

  it.each(['belum semua', 'masih ada yang kurang', 'ada yang belum', 'blm lengkap', 'not all'])('"%s" goes on one by one', async (text) => {
    expect((await reader())(text, PASPOR)).toEqual({ kind: 'not_all' });
  });

  it.each([
    ['yg kk belum', PASPOR, [1]],
    ['yg kk belum kak', PASPOR, [1]],
    ['KTP nya belum ada', PASPOR, [0]],
    ['kurang akta', PASPOR, [2]],
    ['tinggal kk yang belum', PASPOR, [1]],
    ['semua ada kecuali kk', PASPOR, [1]],
    ['kartu keluaga nya belum ada', PASPOR, [1]],
    ['the family card is missing', PASPOR, [1]],
    ["i don't have the birth certificate", PASPOR, [2]],
    ['yg kk sama ktp blm', PASPOR, [0, 1]],
    ['kurang pas foto', SKCK, [3]],
    ['pas fotonya belum', SKCK, [3]],
    ['yg fotokopi kk belum', SKCK, [1]],
    ['bpjs nya belum ada', SKCK, [5]],
    ['kk nya belum', KTP, [2]],
    ['yg formulir belum', KTP, [3]],
  ] as const)('"%s" marks the matching requirement of %s missing', async (text, service, indexes) => {
    expect((await reader())(text, service)).toEqual({ kind: 'missing', indexes });
  });

  it('takes "fotokopi" alone as every copy asked for', async () => {
    expect((await reader())('fotokopi belum', SKCK)).toEqual({ kind: 'missing', indexes: [0, 1, 2, 6] });
  });

  it('does not guess a document the service does not ask for', async () => {
    expect((await reader())('yg sertifikat tanah belum', PASPOR)).toEqual({ kind: 'unknown_item' });
  });

  it('leaves other text to the conversation', async () => {
    const read = await reader();
    for (const text of ['biayanya brp', 'loketnya dimana', 'ok']) expect(read(text, PASPOR)).toBeUndefined();
  });
});
