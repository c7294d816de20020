import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { addToPlan, planVisit } from '../../src/visits/plan.js';
import { conditions, planContext } from './fixtures.js';

const SIM = 'polri-sim-perpanjangan';
const PAJAK = 'samsat-pajak-tahunan';
const PINDAH = 'dukcapil-pindah-datang';
const KK = 'dukcapil-kk-perubahan';
const KTP = 'dukcapil-ktp-el-perubahan-data';

describe('visit plan: order', () => {
  it('plans the moving chain pindah datang -> KK -> KTP-el whatever order the citizen names it', async () => {
    const ctx = await planContext();
    for (const ids of [[KTP, KK, PINDAH], [KK, KTP, PINDAH], [PINDAH, KK, KTP]]) {
      const plan = planVisit(ctx, ids, conditions('08:00', { [KTP]: { etaMinutes: 0 }, [KK]: { etaMinutes: 30 }, [PINDAH]: { etaMinutes: 60 } }));
      expect(plan.steps.map((s) => s.service), ids.join()).toEqual([PINDAH, KK, KTP]);
    }
  });

  it('marks the KK and SKPWNI as products handed from step to step', async () => {
    const plan = planVisit(await planContext(), [KTP, KK, PINDAH], conditions('08:00'));
    expect(plan.handoffs.map((h) => [h.from, h.to, h.document])).toEqual([
      [PINDAH, KK, 'skpwni'],
      [KK, KTP, 'kk'],
    ]);
    expect(plan.steps.map((s) => s.after)).toEqual([[], [PINDAH], [KK]]);
  });

  it('puts the shorter wait first among services free to go', async () => {
    const plan = planVisit(await planContext(), [SIM, PAJAK], conditions('08:00', { [SIM]: { etaMinutes: 40 }, [PAJAK]: { etaMinutes: 5 } }));
    expect(plan.steps.map((s) => s.service)).toEqual([PAJAK, SIM]);
  });

  it('keeps the order the citizen named on equal waits', async () => {
    const ctx = await planContext();
    expect(planVisit(ctx, [SIM, PAJAK], conditions('08:00')).steps.map((s) => s.service)).toEqual([SIM, PAJAK]);
    expect(planVisit(ctx, [PAJAK, SIM], conditions('08:00')).steps.map((s) => s.service)).toEqual([PAJAK, SIM]);
  });

  it('never lets a short wait jump ahead of a prerequisite', async () => {
    const plan = planVisit(await planContext(), [KTP, KK], conditions('08:00', { [KTP]: { etaMinutes: 0 }, [KK]: { etaMinutes: 90 } }));
    expect(plan.steps.map((s) => s.service)).toEqual([KK, KTP]);
  });

  it('gives each step its counters from content/mpp.yaml', async () => {
    const plan = planVisit(await planContext(), [SIM, PAJAK, KK], conditions('08:00'));
    expect(Object.fromEntries(plan.steps.map((s) => [s.service, s.counters]))).toEqual({ [SIM]: ['loket-5'], [PAJAK]: ['loket-6'], [KK]: ['loket-1', 'loket-2'] });
  });

  it('uses the counters the queue reports when it reports them', async () => {
    const plan = planVisit(await planContext(), [KK], conditions('08:00', { [KK]: { counters: ['loket-2'] } }));
    expect(plan.steps[0]!.counters).toEqual(['loket-2']);
  });
});

describe('visit plan: checklist', () => {
  it('lists the KTP-el once for SIM and vehicle tax, as original and copy', async () => {
    const plan = planVisit(await planContext(), [SIM, PAJAK], conditions('08:00'));
    const ktp = plan.checklist.filter((i) => i.document === 'ktp-el');
    expect(ktp).toHaveLength(1);
    expect(ktp[0]).toMatchObject({ services: [SIM, PAJAK], original: true, copy: true });
    expect(ktp[0]!.texts.map((x) => x.service)).toEqual([SIM, PAJAK]);
    expect(ktp[0]!.texts[0]!.text.id).toBe('KTP-el (asli dan fotokopi)');
    expect(plan.checklist[0]!.document).toBe('ktp-el');
  });

  it('keeps documents only one service needs, once each', async () => {
    const plan = planVisit(await planContext(), [SIM, PAJAK], conditions('08:00'));
    const docs = plan.checklist.map((i) => i.document).filter((d) => d !== null);
    expect(new Set(docs).size).toBe(docs.length);
    expect(plan.checklist.find((i) => i.document === 'stnk')!.services).toEqual([PAJAK]);
    expect(plan.checklist.find((i) => i.document === 'sim')!.services).toEqual([SIM]);
  });

  it('does not ask the citizen to bring the KK for the KTP-el step that receives the new one', async () => {
    const plan = planVisit(await planContext(), [PINDAH, KK, KTP], conditions('08:00'));
    const kk = plan.checklist.find((i) => i.document === 'kk')!;
    expect(kk.services).toEqual([PINDAH, KK]);
    expect(kk.texts.map((x) => x.service)).toContain(KTP);
    expect(plan.checklist.find((i) => i.document === 'ktp-el')!.services).toEqual([PINDAH, KK, KTP]);
  });

  it('keeps requirements naming no known document as their own lines', async () => {
    const plan = planVisit(await planContext(), [SIM], conditions('08:00'));
    expect(plan.checklist.some((i) => i.document === null && i.texts[0]!.text.id.startsWith('Formulir permohonan'))).toBe(true);
  });
});

describe('visit plan: fees and time', () => {
  it('sums fees when all are known', async () => {
    const plan = planVisit(await planContext(), ['polri-skck-baru', 'bnn-skhpn'], conditions('08:00'));
    expect(plan.fees).toEqual({ total: 320000, complete: true, unknown: [] });
  });

  it('sums the known fees and flags the unknown ones', async () => {
    const plan = planVisit(await planContext(), ['polri-skck-baru', SIM, PAJAK], conditions('08:00'));
    expect(plan.fees).toEqual({ total: 30000, complete: false, unknown: [SIM, PAJAK] });
  });

  it('times the steps one after another from the live waits and counter minutes', async () => {
    // 08:00; SIM called at 08:40, served 30 min -> 09:10; tax queue reaches the citizen at 08:05 but they are busy -> 09:10, 10 min.
    const plan = planVisit(await planContext(), [SIM, PAJAK], conditions('08:00', { [SIM]: { etaMinutes: 40 }, [PAJAK]: { etaMinutes: 50 } }));
    expect(plan.steps.map((s) => [s.service, s.startsAt, s.endsAt])).toEqual([
      [SIM, 8 * 60 + 40, 9 * 60 + 10],
      [PAJAK, 9 * 60 + 10, 9 * 60 + 20],
    ]);
    expect(plan.timing).toEqual({ startsAt: 480, finishesAt: 560, totalMinutes: 80 });
  });

  it('waits for the later queue when it is slower than the previous step', async () => {
    const plan = planVisit(await planContext(), [KK, KTP], conditions('09:00', { [KK]: { etaMinutes: 0 }, [KTP]: { etaMinutes: 60 } }));
    expect(plan.steps[1]!.startsAt).toBe(10 * 60);
    expect(plan.steps[1]!.endsAt).toBe(10 * 60 + 15);
  });

  it('moves a step that would start in the lunch break to its end', async () => {
    const plan = planVisit(await planContext(), [PAJAK], conditions('11:50', { [PAJAK]: { etaMinutes: 20 } }));
    expect(plan.steps[0]!.startsAt).toBe(13 * 60);
  });

  it('starts at opening time when asked before the doors open', async () => {
    const plan = planVisit(await planContext(), [PAJAK], conditions('06:30'));
    expect(plan.timing.startsAt).toBe(8 * 60);
  });

  it('marks steps without live figures as estimates', async () => {
    const plan = planVisit(await planContext(), [PAJAK, SIM], conditions('08:00', { [SIM]: { etaMinutes: 10 } }));
    expect(plan.steps.map((s) => [s.service, s.live])).toEqual([[PAJAK, false], [SIM, true]]);
  });
});

describe('visit plan: warnings', () => {
  it('warns when a quota is nearly gone: 3 or fewer left', async () => {
    const plan = planVisit(await planContext(), [SIM, PAJAK], conditions('08:00', { [SIM]: { remainingQuota: 3 }, [PAJAK]: { remainingQuota: 150 } }));
    expect(plan.warnings).toEqual([{ code: 'quota_low', service: SIM, remaining: 3 }]);
  });

  it('warns at 10% of the daily quota', async () => {
    // samsat-pajak-tahunan: daily_quota 200 -> 20 left is 10%.
    const ctx = await planContext();
    expect(planVisit(ctx, [PAJAK], conditions('08:00', { [PAJAK]: { remainingQuota: 20 } })).warnings).toEqual([{ code: 'quota_low', service: PAJAK, remaining: 20 }]);
    expect(planVisit(ctx, [PAJAK], conditions('08:00', { [PAJAK]: { remainingQuota: 21 } })).warnings).toEqual([]);
  });

  it('says a quota is used up', async () => {
    const plan = planVisit(await planContext(), [SIM], conditions('08:00', { [SIM]: { remainingQuota: 0 } }));
    expect(plan.warnings).toEqual([{ code: 'quota_full', service: SIM }]);
  });

  it('warns that the MPP closes before the last step would finish', async () => {
    const plan = planVisit(await planContext(), [SIM, PAJAK], conditions('14:00', { [SIM]: { etaMinutes: 20 }, [PAJAK]: { etaMinutes: 0 } }));
    // PAJAK 14:00-14:10, SIM 14:20-14:50: fine. Add a slower wait and it does not fit.
    expect(plan.warnings).toEqual([]);
    const late = planVisit(await planContext(), [SIM, PAJAK], conditions('14:00', { [SIM]: { etaMinutes: 40 }, [PAJAK]: { etaMinutes: 0 } }));
    expect(late.warnings).toEqual([{ code: 'closes_before_finish', service: SIM, closesAt: 15 * 60, finishesAt: 15 * 60 + 10 }]);
  });

  it('warns about a service not offered today', async () => {
    const plan = planVisit(await planContext(), [SIM, PAJAK], conditions('08:00', { [SIM]: { offeredToday: false }, [PAJAK]: {} }));
    expect(plan.warnings).toEqual([{ code: 'not_offered_today', service: SIM }]);
  });

  it('warns when the MPP is closed all day', async () => {
    const plan = planVisit(await planContext(), [PAJAK], conditions('08:00', {}, null));
    expect(plan.warnings).toEqual([{ code: 'closed_today' }]);
  });
});

describe('visit plan: input', () => {
  it('rejects unknown ids with the unknown_service code and lists them', async () => {
    const ctx = await planContext();
    const err = (() => {
      try {
        planVisit(ctx, [SIM, 'sim-palsu', 'ktp-kw'], conditions('08:00'));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('unknown_service');
    expect((err as AppError).details).toEqual({ ids: ['sim-palsu', 'ktp-kw'] });
  });

  it('rejects an empty visit and one with too many services', async () => {
    const ctx = await planContext();
    expect(() => planVisit(ctx, [], conditions('08:00'))).toThrow(expect.objectContaining({ code: 'bad_request' }));
    const seven = [...ctx.catalogue.services.keys()].slice(0, 7);
    expect(() => planVisit(ctx, seven, conditions('08:00'))).toThrow(expect.objectContaining({ code: 'bad_request' }));
  });

  it('counts a service named twice once', async () => {
    const plan = planVisit(await planContext(), [SIM, SIM, PAJAK], conditions('08:00'));
    expect(plan.steps).toHaveLength(2);
  });
});

describe('addToPlan ("sekalian X juga")', () => {
  it('adds a service and re-orders by its needs', async () => {
    const ctx = await planContext();
    const plan = planVisit(ctx, [KTP], conditions('08:00'));
    expect(plan.prerequisites.map((p) => p.needs)).toEqual([KK]);
    const more = addToPlan(ctx, plan, KK, conditions('08:05'));
    expect(more.steps.map((s) => s.service)).toEqual([KK, KTP]);
    expect(more.requested).toEqual([KTP, KK]);
    expect(more.prerequisites.map((p) => [p.service, p.needs])).toEqual([
      [KK, PINDAH],
      [KK, 'kemenag-pendaftaran-nikah'],
      [KK, 'dukcapil-akta-kelahiran'],
    ]);
  });

  it('is idempotent for a service already in the plan', async () => {
    const ctx = await planContext();
    const plan = planVisit(ctx, [SIM, PAJAK], conditions('08:00'));
    expect(addToPlan(ctx, plan, PAJAK, conditions('08:00'))).toEqual(plan);
  });

  it('rejects an unknown id', async () => {
    const ctx = await planContext();
    const plan = planVisit(ctx, [SIM], conditions('08:00'));
    expect(() => addToPlan(ctx, plan, 'pajak-motor', conditions('08:00'))).toThrow(expect.objectContaining({ code: 'unknown_service' }));
  });
});

describe('visit plan: suggestions', () => {
  it('suggests BNN with SKCK and SKCK with BNN (combines_with read both ways)', async () => {
    const ctx = await planContext();
    expect(planVisit(ctx, ['polri-skck-baru'], conditions('08:00')).suggestions.map((s) => s.with)).toEqual(['bnn-skhpn']);
    expect(planVisit(ctx, ['bnn-skhpn'], conditions('08:00')).suggestions.map((s) => s.with)).toEqual(['polri-skck-baru']);
    expect(planVisit(ctx, ['bnn-skhpn', 'polri-skck-baru'], conditions('08:00')).suggestions).toEqual([]);
  });
});

describe('visit plan: case-dependent documents', () => {
  it('lists a document as case-dependent only when every service asks for it in some cases', async () => {
    const plan = planVisit(await planContext(), [SIM, PAJAK], conditions('08:00'));
    const by = (d: string) => plan.checklist.find((i) => i.document === d)!;
    expect(by('bpkb').conditional).toBe(true);
    expect(by('surat-kuasa').conditional).toBe(true);
    expect(by('ktp-el').conditional).toBe(false);
    const firstConditional = plan.checklist.findIndex((i) => i.conditional);
    expect(plan.checklist.slice(firstConditional).every((i) => i.conditional)).toBe(true);
  });
});

describe('visit plan: thresholds and breaks', () => {
  it('warns at 3 left even when 3 is more than 10% of a small quota', async () => {
    const base = await planContext();
    const services = new Map(base.catalogue.services);
    services.set(SIM, { ...services.get(SIM)!, daily_quota: 20 });
    const ctx = { ...base, catalogue: { ...base.catalogue, services } };
    expect(planVisit(ctx, [SIM], conditions('08:00', { [SIM]: { remainingQuota: 3 } })).warnings).toEqual([{ code: 'quota_low', service: SIM, remaining: 3 }]);
    expect(planVisit(ctx, [SIM], conditions('08:00', { [SIM]: { remainingQuota: 4 } })).warnings).toEqual([]);
  });

  it('lengthens a step that runs into the lunch break by the break', async () => {
    const plan = planVisit(await planContext(), [SIM], conditions('11:50', { [SIM]: { etaMinutes: 0 } }));
    expect([plan.steps[0]!.startsAt, plan.steps[0]!.endsAt]).toEqual([11 * 60 + 50, 13 * 60 + 20]);
  });
});
