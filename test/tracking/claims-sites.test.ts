import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers.js';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

describe('"continue in the chat" claims in a deployment of several MPPs', () => {
  it('gives a Kec. Utara kiosk ticket to the citizen who redeems its claim, once, and no claim for a finished one', async () => {
    const app = await startTestApp();
    apps.push(app);
    const utara = app.sites.get('kec-utara')!;
    // An anonymous kiosk ticket at Kec. Utara, with its printed tracking code.
    const { ticket } = await utara.queue.take({ serviceId: 'dukcapil-kk-baru', source: 'kiosk' });
    const code = await app.tracking.issue(ticket.id, ticket.day);
    const token = await app.claims.create(code);
    expect(token).toBeDefined();
    const view = await app.claims.redeem(token!, 'test', 'utara-claimer');
    expect(view).toMatchObject({ id: ticket.id, number: ticket.number });
    expect(await utara.queue.get(ticket.id)).toMatchObject({ channel: 'test', to: 'utara-claimer' });
    expect((await utara.queue.activeTickets('test', 'utara-claimer')).map((t) => t.id)).toEqual([ticket.id]);
    // Spent: the same link does nothing the second time.
    await expect(app.claims.redeem(token!, 'test', 'someone-else')).rejects.toMatchObject({ code: 'unknown_ticket' });
    // No claim for a finished Kec. Utara ticket, nor for an unknown code.
    const finished = (await utara.queue.take({ serviceId: 'polri-skck-baru', source: 'kiosk' })).ticket;
    expect((await utara.queue.callNext('loket-2'))?.id).toBe(finished.id);
    await utara.queue.act(finished.id, 'done');
    expect(await app.claims.create(await app.tracking.issue(finished.id, finished.day))).toBeUndefined();
    expect(await app.claims.create('A'.repeat(22))).toBeUndefined();
  });
});
