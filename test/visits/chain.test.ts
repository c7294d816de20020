import { describe, expect, it } from 'vitest';
import { chainRequest, dependentsOf, nextStep } from '../../src/visits/chain.js';
import { planVisit } from '../../src/visits/plan.js';
import { conditions, planContext, wib } from './fixtures.js';

const PINDAH = 'dukcapil-pindah-datang';
const KK = 'dukcapil-kk-perubahan';
const KTP = 'dukcapil-ktp-el-perubahan-data';
const SIM = 'polri-sim-perpanjangan';
const PAJAK = 'samsat-pajak-tahunan';

describe('visit chain for the queue', () => {
  it('makes each step wait for its prerequisites and the step before it', async () => {
    const plan = planVisit(await planContext(), [KTP, SIM, KK], conditions('08:00', { [SIM]: { etaMinutes: 0 }, [KK]: { etaMinutes: 10 }, [KTP]: { etaMinutes: 10 } }));
    expect(plan.steps.map((s) => s.service)).toEqual([SIM, KK, KTP]);
    expect(chainRequest(plan, 'visit-1', wib('08:00'))).toEqual({
      visitId: 'visit-1',
      acceptedAt: '2026-12-01T01:00:00.000Z',
      steps: [
        { index: 0, service: SIM, after: [] },
        { index: 1, service: KK, after: [0] },
        { index: 2, service: KTP, after: [1] },
      ],
    });
  });

  it('names the next step as steps are served', async () => {
    const plan = planVisit(await planContext(), [KTP, KK, PINDAH], conditions('08:00'));
    expect(nextStep(plan, [])?.service).toBe(PINDAH);
    expect(nextStep(plan, [PINDAH])?.service).toBe(KK);
    expect(nextStep(plan, [PINDAH, KK])?.service).toBe(KTP);
    expect(nextStep(plan, [PINDAH, KK, KTP])).toBeUndefined();
  });

  it('goes on with an independent step when an earlier one is served out of order', async () => {
    const plan = planVisit(await planContext(), [SIM, PAJAK], conditions('08:00'));
    expect(nextStep(plan, [PAJAK])?.service).toBe(SIM);
  });

  it('lists the steps a cancellation takes with it', async () => {
    const plan = planVisit(await planContext(), [KTP, KK, PINDAH, SIM], conditions('08:00'));
    expect(dependentsOf(plan, PINDAH).sort()).toEqual([KK, KTP].sort());
    expect(dependentsOf(plan, KK)).toEqual([KTP]);
    expect(dependentsOf(plan, SIM)).toEqual([]);
  });
});
