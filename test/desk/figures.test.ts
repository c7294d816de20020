import { describe, expect, it } from 'vitest';
import { percentile } from '../../src/desk/figures.js';
import { citizen, MINUTE, testDesk } from './support.js';

describe('desk figures', () => {
  it('measures first responses (p50, p90, mean), outcomes and hand-overs per hour of the opening day', async () => {
    const { desk, clock } = await testDesk();
    const waits = [2, 4, 10];
    const ids: string[] = [];
    for (const [i, wait] of waits.entries()) {
      const { handover } = await desk.open({ citizen: citizen(`f${i}`), locale: 'id' });
      ids.push(handover.id);
      clock.advance(wait * MINUTE);
      await desk.reply(handover.id, 'ani', 'Halo');
      await desk.reply(handover.id, 'ani', 'Ada lagi?'); // a second reply is not a first response
    }
    await desk.close(ids[0]!, 'ani');
    await desk.handBack(ids[1]!, 'officer', 'ani');
    await desk.handBackByCitizen(citizen('f2'));
    clock.advance(60 * MINUTE); // 10:16 WIB
    await desk.open({ citizen: citizen('late'), locale: 'id' });
    const day = await desk.figures.day('2026-11-23');
    expect(day.opened).toBe(4);
    expect(day.closed).toBe(1);
    expect(day.returned).toEqual({ officer: 1, citizen: 1, timeout: 0, unanswered: 0 });
    expect(day.firstResponse).toEqual({ n: 3, p50: 4 * MINUTE, p90: 10 * MINUTE, meanMs: (16 / 3) * MINUTE });
    expect(day.perHour[9]).toBe(3);
    expect(day.perHour[10]).toBe(1);
    expect(day.perHour.reduce((a, b) => a + b, 0)).toBe(4);
    expect((await desk.figures.day('2026-11-24')).opened).toBe(0);
  });

  it('estimates the reply time as the median of the latest first responses, with a default before any', async () => {
    const { desk, clock } = await testDesk({ options: { estimateSamples: 3, defaultReplyMs: 7 * MINUTE } });
    expect(await desk.figures.replyEstimate()).toEqual({ ms: 7 * MINUTE, samples: 0, measured: false });
    for (const [i, wait] of [30, 1, 2, 9].entries()) {
      const { handover } = await desk.open({ citizen: citizen(`e${i}`), locale: 'id' });
      clock.advance(wait * MINUTE);
      await desk.reply(handover.id, 'ani', 'Halo');
    }
    // Latest three: 1, 2, 9 minutes (the 30 fell out).
    expect(await desk.figures.replyEstimate()).toEqual({ ms: 2 * MINUTE, samples: 3, measured: true });
    const opened = await desk.open({ citizen: citizen('asks'), locale: 'id' });
    expect(opened.replyEstimate.ms).toBe(2 * MINUTE);
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 90)).toBe(9);
  });
});

describe('the read audit', () => {
  it('records every staff read of a conversation, not the list, and keeps entries for its retention only', async () => {
    const { desk, clock } = await testDesk({ options: { auditRetentionMs: 30 * 24 * 60 * MINUTE } });
    const { handover } = await desk.open({ citizen: citizen('audited'), locale: 'id' });
    await desk.list();
    expect(await desk.audit.entries()).toEqual([]);
    await desk.view(handover.id, 'ani');
    clock.advance(MINUTE);
    await desk.view(handover.id, 'budi');
    await desk.view(handover.id, 'budi');
    const t0 = clock.now().getTime() - MINUTE;
    expect(await desk.audit.entries({ target: handover.id })).toEqual([
      { at: t0, officer: 'ani', target: handover.id, action: 'view' },
      { at: t0 + MINUTE, officer: 'budi', target: handover.id, action: 'view' },
      { at: t0 + MINUTE, officer: 'budi', target: handover.id, action: 'view' },
    ]);
    expect(await desk.audit.entries({ officer: 'ani' })).toHaveLength(1);
    await expect(desk.view('h0000000000000000', 'ani')).rejects.toMatchObject({ code: 'unknown_conversation' });
    clock.advance(31 * 24 * 60 * MINUTE);
    await desk.audit.record(handover.id, 'citra');
    expect((await desk.audit.entries()).map((e) => e.officer)).toEqual(['citra']);
  });
});

describe('the desk event stream', () => {
  it('records each change without texts, in order, and resumes after a given id', async () => {
    const { desk } = await testDesk();
    const me = citizen('events');
    const { handover } = await desk.open({ citizen: me, locale: 'id', text: 'NIK 3174012345670001' });
    await desk.claim(handover.id, 'ani');
    await desk.transfer(handover.id, 'ani', 'budi');
    await desk.reply(handover.id, 'budi', 'Halo');
    await desk.citizenMessage(me, 'terima kasih');
    await desk.release(handover.id, 'budi');
    await desk.handBackByCitizen(me);
    const events = await desk.events.after();
    expect(events.map((e) => [e.type, e.state, e.officer, e.detail])).toEqual([
      ['opened', 'waiting', '', ''],
      ['claimed', 'claimed', 'ani', ''],
      ['transferred', 'claimed', 'budi', ''],
      ['replied', 'claimed', 'budi', 'deliver'],
      ['citizen', 'claimed', '', ''],
      ['released', 'waiting', '', ''],
      ['returned', 'returned', '', 'citizen'],
    ]);
    expect(events.every((e) => e.conversation === handover.id)).toBe(true);
    expect(JSON.stringify(events)).not.toMatch(/3174|Halo|terima/);
    expect((await desk.events.after(events[4]!.id)).map((e) => e.type)).toEqual(['released', 'returned']);
  });
});
