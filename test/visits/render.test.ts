import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { Translator } from '../../src/i18n.js';
import type { Locale } from '../../src/message.js';
import { planVisit } from '../../src/visits/plan.js';
import { renderPlan } from '../../src/visits/render.js';
import { conditions, planContext } from './fixtures.js';

const SIM = 'polri-sim-perpanjangan';
const PAJAK = 'samsat-pajak-tahunan';
let translator: Promise<Translator> | undefined;
async function render(ids: string[], c = conditions('09:10'), locale: Locale = 'id'): Promise<string> {
  const tr = await (translator ??= Translator.load('locales'));
  const ctx = await planContext();
  return renderPlan(planVisit(ctx, ids, c), ctx, (k, p) => tr.t(locale, k, p), locale);
}

describe('plan message', () => {
  it('has the same keys in Indonesian and English', async () => {
    const keys = async (l: string) => Object.keys(JSON.parse(await readFile(`locales/${l}/visit.json`, 'utf8')) as object).sort();
    expect(await keys('en')).toEqual(await keys('id'));
  });

  it('lists SIM + vehicle tax with the KTP-el once for both', async () => {
    const text = await render([SIM, PAJAK], conditions('09:10', { [SIM]: { etaMinutes: 25, waiting: 6 }, [PAJAK]: { etaMinutes: 10, waiting: 3 } }));
    expect(text).toContain('1. Pajak kendaraan tahunan');
    expect(text).toContain('Loket 5 Satpas SIM');
    expect(text).toContain('Antre ±25 menit (6 orang), dilayani ±30 menit');
    expect(text.match(/KTP-el/g)).toHaveLength(1);
    expect(text).toContain('- KTP-el asli + fotokopi: Pajak kendaraan tahunan (pengesahan STNK), Perpanjangan SIM A dan C');
    expect(text).toContain('Biaya belum pasti');
    expect(text).toContain('Perkiraan selesai pukul 10.05 (±55 menit)');
  });

  it('marks the moving chain handoffs and the order', async () => {
    const text = await render(['dukcapil-ktp-el-perubahan-data', 'dukcapil-kk-perubahan', 'dukcapil-pindah-datang']);
    expect(text.indexOf('1. Surat pindah')).toBeLessThan(text.indexOf('2. Perubahan data Kartu Keluarga'));
    expect(text).toContain('   Setelah langkah 2');
    expect(text).toContain('- KK yang sudah diperbarui: dari langkah 2, untuk langkah 3');
    expect(text).toContain('Biaya: gratis');
  });

  it('sums known fees in rupiah', async () => {
    expect(await render(['polri-skck-baru', 'bnn-skhpn'])).toContain('Biaya: Rp320.000');
    expect(await render(['polri-skck-baru', SIM])).toContain('Biaya yang sudah pasti: Rp30.000; belum pasti: Perpanjangan SIM A dan C');
  });

  it('shows warnings', async () => {
    const text = await render([SIM, PAJAK], conditions('14:00', { [SIM]: { etaMinutes: 40, remainingQuota: 2 }, [PAJAK]: {} }));
    expect(text).toContain('! Kuota Perpanjangan SIM A dan C tinggal 2.');
    expect(text).toContain('! MPP tutup pukul 15.00; Perpanjangan SIM A dan C mungkin belum selesai (perkiraan 15.10).');
  });

  it('renders in English from the English locale', async () => {
    const text = await render([SIM, PAJAK], conditions('09:10'), 'en');
    expect(text).toContain('Your visit plan (2 services):');
    expect(text).toContain('- ID card (KTP-el) original + copy: Driving licence renewal (SIM A, C), ');
    expect(text).not.toMatch(/Bawa|Biaya|menit/);
  });

  it('stays plain text for WhatsApp: no markup, no empty key echoes', async () => {
    const text = await render([SIM, PAJAK, 'polri-skck-baru']);
    expect(text).not.toMatch(/[*_`<>]/);
    expect(text).not.toMatch(/visit\.|\{\{/);
  });
});
