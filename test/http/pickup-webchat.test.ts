import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until, startTestApp } from '../helpers.js';

const TOKEN = 'test-token-0123456789abcdefghij';
let app: Awaited<ReturnType<typeof startTestApp>>;

beforeAll(async () => {
  app = await startTestApp({ MPP_API_TOKEN: TOKEN, HTTP_RATE_PER_MINUTE: '1000', SURVEY_DELAY_MINUTES: '0' });
  // What `npm start` runs: notice delivery, and the recorder of finished tickets.
  await app.reminders.start({ scheduler: false });
  await app.pickupRecorder.start();
});
afterAll(async () => {
  await app.close();
});

async function chat(body: Record<string, unknown>): Promise<{ sessionId: string; messages: Array<{ text: string }> }> {
  const res = await fetch(`${app.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as { sessionId: string; messages: Array<{ text: string }> };
}

/** Reads a web chat event stream until a message containing `expected` arrives. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, expected: string): Promise<string> {
  let received = '';
  while (!received.includes(expected)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended before "${expected}": ${received}`);
    received += new TextDecoder().decode(value);
  }
  return received;
}

describe('a document marked ready reaches the citizen\'s web chat', () => {
  it('records the passport application when the ticket is done, and pushes "sudah jadi" with where and the hours when staff mark it ready', async () => {
    const opened = await chat({ text: 'halo' });
    const userKey = opened.sessionId.split('.')[0]!;
    const { ticket } = await app.queue.take({ serviceId: 'imigrasi-paspor-baru', citizen: { channel: 'webchat', userKey }, source: 'chat' });
    await app.queue.callNext('loket-3');
    await app.queue.act(ticket.id, 'done');
    // The recorder reads the queue's "done" event.
    await until(async () => (await app.pickups.get(ticket.id)) !== undefined);
    const reference = (await app.pickups.get(ticket.id))!.reference;

    // Before: the chat says it is not ready yet, with the expected day.
    const before = await chat({ sessionId: opened.sessionId, text: 'paspor saya sudah jadi?' });
    const beforeText = before.messages.map((m) => m.text).join('\n');
    expect(beforeText).toContain('Belum jadi');
    expect(beforeText).toContain('Kamis, 26 November');

    const controller = new AbortController();
    const res = await fetch(`${app.url}/api/webchat/events?sessionId=${encodeURIComponent(opened.sessionId)}`, { signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read(); // ": connected"

    const marked = await fetch(`${app.url}/api/pickups/${encodeURIComponent(reference)}/ready`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ receipt: 'TT-2026-0042' }) });
    expect(marked.status).toBe(200);
    expect(await marked.json()).toMatchObject({ changed: true, pickup: { reference, receipt: 'TT-2026-0042', status: 'ready', notifiable: true } });

    const pushed = await readUntil(reader, 'Jam layanan');
    controller.abort();
    expect(pushed).toContain('event: message');
    expect(pushed).toContain('sudah jadi dan bisa diambil');
    expect(pushed).toContain('Loket Imigrasi di MPP');
    expect(pushed).toContain('TT-2026-0042');

    // After: the same record answers the chat.
    const after = await chat({ sessionId: opened.sessionId, text: 'is my passport ready?' });
    expect(after.messages.map((m) => m.text).join('\n')).toMatch(/Sudah jadi|Ready to collect/);
  });
});
