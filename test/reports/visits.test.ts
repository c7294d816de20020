import { describe, expect, it } from 'vitest';
import { visitReport, visitReportCsv } from '../../src/reports/visits.js';
import { testQueue } from '../helpers.js';

const SIM = 'polri-sim-perpanjangan';
const PAJAK = 'samsat-pajak-tahunan';

describe('visit report over queue data', () => {
  it('counts visits per combination, completed the same day or not, whatever the order of the services', async () => {
    const { queue, catalogue } = await testQueue({ hoursMode: 'always' });
    const a = await queue.takeVisit({ serviceIds: [SIM, PAJAK], citizen: { channel: 'test', userKey: 'a' }, source: 'test' });
    const b = await queue.takeVisit({ serviceIds: [PAJAK, SIM], citizen: { channel: 'test', userKey: 'b' }, source: 'test' });
    await queue.takeVisit({ serviceIds: [SIM], citizen: { channel: 'test', userKey: 'c' }, source: 'test' });
    for (let round = 0; round < 4; round++) {
      for (const counter of ['loket-5', 'loket-6']) {
        const t = await queue.callNext(counter);
        if (t) await queue.act(t.id, t.visit?.id === a.visit.id ? 'done' : 'no-show');
      }
    }
    expect((await queue.visit(a.visit.id))!.steps.map((s) => s.status)).toEqual(['done', 'done']);
    expect((await queue.visit(b.visit.id))!.current).toBeNull();
    const report = await visitReport(queue, [queue.today()], catalogue.mpp.timezone);
    expect(report).toEqual({
      visits: 2,
      completedSameDay: 1,
      combinations: [{ combination: `${SIM}+${PAJAK}`, services: [SIM, PAJAK], visits: 2, completedSameDay: 1, completedLater: 0, incomplete: 1 }],
    });
    expect(visitReportCsv(report)).toBe(`combination,visits,completed_same_day,completed_later,incomplete\n${SIM}+${PAJAK},2,1,0,1\n`);
    expect(await visitReport(queue, ['2020-01-01'], catalogue.mpp.timezone)).toEqual({ visits: 0, completedSameDay: 0, combinations: [] });
  });
});
