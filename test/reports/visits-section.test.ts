import { describe, expect, it } from 'vitest';
import { visitSection } from '../../src/http/admin/visits-view.js';
import { Translator } from '../../src/i18n.js';
import { demoCatalogue } from '../helpers.js';

describe("the report's visits section", () => {
  it('shows each combination of services with visits completed the same day, later, or not', async () => {
    const [translator, catalogue] = await Promise.all([Translator.load('locales'), demoCatalogue()]);
    const html = visitSection(translator, catalogue, 'id', {
      visits: 4,
      completedSameDay: 3,
      combinations: [
        { services: ['dukcapil-kk-perubahan', 'dukcapil-ktp-el-perubahan-data'], visits: 3, completedSameDay: 2, completedLater: 1, incomplete: 0 },
        { services: ['polri-skck-baru', 'samsat-<x>'], visits: 1, completedSameDay: 1, completedLater: 0, incomplete: 0 },
      ],
    });
    expect(html).toContain('4 kunjungan dengan beberapa layanan; 3 (75%) selesai semua dalam satu hari kedatangan.');
    expect(html).toContain('<th scope="row">Perubahan data Kartu Keluarga + ');
    expect(html).toMatch(/<\/th><td>3<\/td><td>2<\/td><td>1<\/td><td>0<\/td><\/tr>/);
    expect(html).toContain('SKCK baru + samsat-&lt;x&gt;');
    expect(visitSection(translator, catalogue, 'id', { visits: 0, completedSameDay: 0, combinations: [] })).toContain('Belum ada kunjungan dengan beberapa layanan');
  });
});
