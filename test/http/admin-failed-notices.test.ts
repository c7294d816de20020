import { describe, expect, it } from 'vitest';
import { PermanentDeliveryError } from '../../src/reminders/notifier.js';
import { staffSession, until } from '../helpers.js';
import { setupNotices } from '../appointments/support.js';
import { recordingNotifier } from '../recording-notifier.js';

const SKCK = 'polri-skck-baru';

describe('the failed notices page', () => {
  it('lists undelivered notices in Indonesian with the recipient and reason masked, and sends one again', async () => {
    const { app, runtime } = await setupNotices();
    // Telegram refuses the first notice for good (the citizen had blocked the bot), then accepts.
    const telegram = recordingNotifier({ channel: 'telegram', fail: (n) => (n === 1 ? new PermanentDeliveryError('Forbidden: bot was blocked by the user, chat 081234567890') : undefined) });
    app.notifiers.register(telegram.notifier);
    await app.queue.take({ serviceId: SKCK, citizen: { channel: 'telegram', userKey: '987654321' }, source: 'chat' });
    await app.incidents.declare({ scope: { type: 'service', id: SKCK }, kind: 'blanko_habis', message: 'Blanko habis.', offers: { cancel: true, move: false }, by: 'op' });
    await runtime.start({ scheduler: false });
    await until(async () => (await runtime.outbox.queue('telegram').getFailedCount()) === 1);

    const op = await staffSession(app, 'operator1', 'operator');
    const page = await fetch(`${app.url}/admin/failed-notices`, { headers: { cookie: op.cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Pemberitahuan gagal terkirim');
    expect(html).toContain('1 pemberitahuan gagal');
    expect(html).toContain('<td>Pengumuman gangguan</td><td>telegram</td><td class="to">•••321</td>');
    expect(html).toContain('Forbidden: bot was blocked by the user, chat [phone]');
    expect(html).not.toMatch(/987654321|081234567890/);
    expect(await (await fetch(`${app.url}/admin`, { headers: { cookie: op.cookie } })).text()).toContain('href="/admin/failed-notices"');

    expect(await (await fetch(`${app.url}/admin/incidents`, { headers: { cookie: op.cookie } })).text()).toContain('<a href="/admin/failed-notices">1 gagal terkirim</a>');
    const job = /name="job" value="([^"]+)"/.exec(html)![1]!;
    const post = (fields: Record<string, string>, csrf = op.csrf) => fetch(`${app.url}/admin/failed-notices/retry`, { method: 'POST', headers: { cookie: op.cookie, accept: 'text/html' }, body: new URLSearchParams({ _csrf: csrf, ...fields }), redirect: 'manual' });
    expect((await post({ channel: 'telegram', job }, 'wrong')).status).toBe(403);
    expect((await post({ channel: 'nope', job })).headers.get('location')).toBe('/admin/failed-notices?retried=0');
    const retried = await post({ channel: 'telegram', job });
    expect(retried.headers.get('location')).toBe('/admin/failed-notices?retried=1');
    await until(() => telegram.sent.length === 1);
    expect(telegram.sent[0]!.message.text).toContain('Blanko habis.');
    const after = await (await fetch(`${app.url}/admin/failed-notices?retried=1`, { headers: { cookie: op.cookie } })).text();
    expect(after).toContain('Pemberitahuan dijadwalkan untuk dikirim ulang.');
    expect(after).toContain('Tidak ada pemberitahuan yang gagal.');
    expect((await post({ channel: 'telegram', job })).headers.get('location')).toBe('/admin/failed-notices?retried=0');
  });

  it('is for operators and admins only', async () => {
    const { app } = await setupNotices();
    expect((await fetch(`${app.url}/admin/failed-notices`, { redirect: 'manual' })).status).toBe(303);
    const clerk = await staffSession(app, 'loket4', 'counter', ['loket-4']);
    expect((await fetch(`${app.url}/admin/failed-notices`, { headers: { cookie: clerk.cookie } })).status).toBe(403);
    expect((await fetch(`${app.url}/admin/failed-notices/retry`, { method: 'POST', headers: { cookie: clerk.cookie }, body: new URLSearchParams({ _csrf: clerk.csrf, channel: 'telegram', job: 'x' }), redirect: 'manual' })).status).toBe(403);
  });
});
