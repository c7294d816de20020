import { describe, expect, it } from 'vitest';
import { ARRIVAL_MARGIN_MINUTES, arrivesInTime } from '../../src/engine/actions/arriving.js';
import { allText } from '../helpers.js';
import { citizen, intentEngine, pushedChoices, pushedText } from './intent-engine.js';

const NPWP = 'djp-npwp';
const others = (n: number) => Array.from({ length: n }, (_, i) => ({ channel: 'test', userKey: `other-${i}-${Math.random()}` }));

describe('"otw" / "saya terlambat" typed anywhere (state ticket-arriving)', () => {
  it('confirms "otw" on the only ticket, with no notice pushed before', async () => {
    const { engine, queue } = await intentEngine();
    const u = await citizen(engine);
    const { ticket } = await queue.take({ serviceId: NPWP, citizen: u, source: 'chat' });
    const out = await engine.push(u.channel, u.userKey, 'arriving', { arriving: { late: false } });
    expect(pushedText(out)).toContain(`petugas sudah diberi tahu bahwa Anda sedang menuju (nomor ${ticket.number})`);
    expect(pushedChoices(out)).toEqual(['cancel-ticket', 'status', 'menu']);
    expect((await queue.get(ticket.id))!.onTheWay).toBeDefined();
    expect((await queue.get(ticket.id))!.postponed).toBe(false);
  });

  it('moves the ticket back for "saya terlambat" without minutes, exactly like the notice button', async () => {
    const { engine, queue } = await intentEngine();
    const u = await citizen(engine);
    const { ticket } = await queue.take({ serviceId: NPWP, citizen: u, source: 'chat' });
    for (const o of others(4)) await queue.take({ serviceId: NPWP, citizen: o, source: 'test' });
    const out = await engine.push(u.channel, u.userKey, 'arriving', { arriving: { late: true } });
    expect(pushedText(out)).toContain('nomor Anda dimundurkan 3 tempat');
    expect(pushedChoices(out)).toEqual(['on-my-way', 'cancel-ticket', 'status', 'menu']);
    expect((await queue.get(ticket.id))!.postponed).toBe(true);
    // Once per ticket: the second "telat" says so, as the notice's button does.
    const again = await engine.push(u.channel, u.userKey, 'arriving', { arriving: { late: true } });
    expect(pushedText(again)).toContain('hanya bisa dimundurkan satu kali');
  });

  it('keeps the place for "telat 15 menit" when the turn is further away than that', async () => {
    const { engine, queue } = await intentEngine();
    for (const o of others(10)) await queue.take({ serviceId: NPWP, citizen: o, source: 'test' });
    const u = await citizen(engine);
    const { ticket } = await queue.take({ serviceId: NPWP, citizen: u, source: 'chat' });
    const eta = (await queue.view(ticket)).etaMinutes;
    expect(eta).toBeGreaterThanOrEqual(15 + ARRIVAL_MARGIN_MINUTES);
    const out = await engine.push(u.channel, u.userKey, 'arriving', { arriving: { late: true, inMinutes: 15 } });
    expect(pushedText(out)).toContain('sedang menuju');
    expect(pushedText(out)).toContain(`Anda tiba sekitar 15 menit lagi, sebelum perkiraan giliran Anda (${eta} menit)`);
    expect((await queue.get(ticket.id))!.postponed).toBe(false);
  });

  it('moves the ticket back for "otw 30 menit lagi" when the turn comes sooner', async () => {
    const { engine, queue } = await intentEngine();
    const first = others(1)[0]!;
    await queue.take({ serviceId: NPWP, citizen: first, source: 'test' });
    const u = await citizen(engine);
    const { ticket } = await queue.take({ serviceId: NPWP, citizen: u, source: 'chat' });
    for (const o of others(4)) await queue.take({ serviceId: NPWP, citizen: o, source: 'test' });
    const out = await engine.push(u.channel, u.userKey, 'arriving', { arriving: { late: false, inMinutes: 30 } });
    expect(pushedText(out)).toContain('dimundurkan');
    expect((await queue.get(ticket.id))!.postponed).toBe(true);
  });

  it('says plainly that there is no ticket, and offers one and the menu', async () => {
    const { engine } = await intentEngine();
    const u = await citizen(engine);
    const out = await engine.push(u.channel, u.userKey, 'arriving', { arriving: { late: true, inMinutes: 10 } });
    expect(pushedText(out)).toContain('Anda belum punya antrean aktif hari ini');
    expect(pushedChoices(out)).toEqual(['take', 'menu']);
    const take = await engine.handle({ ...u, choice: 'take' });
    expect(allText(take)).toContain('layanan apa');
  });

  it('asks which ticket when there are several, then answers for the one picked', async () => {
    const { engine, queue } = await intentEngine();
    const u = await citizen(engine);
    const a = (await queue.take({ serviceId: NPWP, citizen: u, source: 'chat' })).ticket;
    const b = (await queue.take({ serviceId: 'dukcapil-kk-baru', citizen: u, source: 'chat' })).ticket;
    const ask = await engine.push(u.channel, u.userKey, 'arriving', { arriving: { late: false } });
    expect(pushedText(ask)).toContain('beberapa antrean hari ini');
    expect(pushedChoices(ask)).toEqual([`x.${a.id}`, `x.${b.id}`, 'menu']);
    const done = await engine.handle({ ...u, choice: `x.${b.id}` });
    expect(allText(done)).toContain(`(nomor ${b.number})`);
    expect((await queue.get(b.id))!.onTheWay).toBeDefined();
    expect((await queue.get(a.id))!.onTheWay).toBeUndefined();
    // The buttons then act on the ticket picked: cancelling asks about B, not A.
    const cancel = await engine.handle({ ...u, choice: 'cancel-ticket' });
    expect(allText(cancel)).toContain(b.number);
  });

  it('works from the middle of another process (a checklist step)', async () => {
    const { engine, queue } = await intentEngine();
    const u = await citizen(engine);
    const { ticket } = await queue.take({ serviceId: NPWP, citizen: u, source: 'chat' });
    await engine.handle({ ...u, text: 'paspor baru' });
    await engine.handle({ ...u, choice: 'take' });
    const step = await engine.handle({ ...u, choice: 'confirm' });
    expect(allText(step)).toContain('Cek dokumen 1 dari');
    const out = await engine.push(u.channel, u.userKey, 'arriving', { arriving: { late: false } });
    expect(pushedText(out)).toContain(`(nomor ${ticket.number})`);
  });

  it('answers in English, with no Indonesian in the reply', async () => {
    const { engine, queue } = await intentEngine();
    const u = await citizen(engine, 'en');
    const none = await engine.push(u.channel, u.userKey, 'arriving', { arriving: { late: false } });
    expect(pushedText(none)).toContain('You have no active ticket today');
    const { ticket } = await queue.take({ serviceId: NPWP, citizen: u, source: 'chat' });
    const out = await engine.push(u.channel, u.userKey, 'arriving', { arriving: { late: false } });
    expect(pushedText(out)).toContain(ticket.number);
    expect(pushedText(out)).not.toMatch(/\b(Anda|nomor|antrean|petugas)\b/);
    expect(out.at(-1)!.choices!.map((c) => c.label)).toContain('Main menu');
  });

  it('shows the ticket and asks when reached without the words (a stale session)', async () => {
    const { engine, queue } = await intentEngine();
    const u = await citizen(engine);
    await queue.take({ serviceId: NPWP, citizen: u, source: 'chat' });
    const out = await engine.push(u.channel, u.userKey, 'arriving', {});
    expect(pushedText(out)).toContain('sedang menuju ke MPP, atau akan terlambat?');
    expect(pushedChoices(out)).toEqual(['on-my-way', 'late', 'cancel-ticket', 'status', 'menu']);
    const late = await engine.handle({ ...u, choice: 'late' });
    expect(allText(late)).toMatch(/dimundurkan|tidak bisa dimundurkan|tetap berlaku/);
  });
});

describe('the on-my-way rule', () => {
  it('decides by the minutes when said, else by the word', () => {
    expect(arrivesInTime({ late: false }, { etaMinutes: 0 })).toBe(true);
    expect(arrivesInTime({ late: true }, { etaMinutes: 90 })).toBe(false);
    expect(arrivesInTime({ late: true, inMinutes: 10 }, { etaMinutes: 10 + ARRIVAL_MARGIN_MINUTES })).toBe(true);
    expect(arrivesInTime({ late: false, inMinutes: 10 }, { etaMinutes: 10 + ARRIVAL_MARGIN_MINUTES - 1 })).toBe(false);
  });
});
