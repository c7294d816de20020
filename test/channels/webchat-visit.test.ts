import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers.js';

/**
 * Issue 13 on the web chat, end to end over HTTP: "mau perpanjang sim sama bayar pajak motor
 * sekalian" -> the plan -> "Ambil antrean untuk semua" -> the counters (staff API) serve both
 * tickets one after another, and the page gets the notices over Server-Sent Events: called at
 * the SIM counter (step 1 of 2, what comes after), "Selanjutnya: ... Loket 6 Samsat" once step 1
 * is done, then called at Samsat.
 */
const API_TOKEN = 'visit-token-0123456789abcdef';
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ MPP_API_TOKEN: API_TOKEN, CHAT_RATE_PER_MINUTE: '600', HTTP_RATE_PER_MINUTE: '100000', SURVEY_DELAY_MINUTES: '0' });
  await app.reminders.start({ scheduler: true });
});
afterAll(async () => {
  await app?.close();
});

interface Reply {
  sessionId: string;
  messages: Array<{ text: string; choices?: Array<{ id: string; label: string }> }>;
}

async function say(body: Record<string, unknown>): Promise<Reply> {
  const res = await fetch(`${app.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as Reply;
}

async function staff(path: string): Promise<{ status: number; ticket?: { id: string; number: string; serviceId: string } }> {
  const res = await fetch(`${app.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}` } });
  return { status: res.status, ...(res.status === 200 ? ((await res.json()) as { ticket: { id: string; number: string; serviceId: string } }) : {}) };
}

/** The page's event stream: every pushed message, read as it comes. */
function events(sessionId: string) {
  const controller = new AbortController();
  const got: string[] = [];
  let buffer = '';
  const ready = fetch(`${app.url}/api/webchat/events?sessionId=${encodeURIComponent(sessionId)}`, { signal: controller.signal }).then((res) => {
    const reader = res.body!.getReader();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buffer += new TextDecoder().decode(value);
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (block.includes('event: message') && data) got.push((JSON.parse(data.slice(6)) as { text: string }).text);
        }
      }
    })();
  });
  return {
    ready,
    async next(pattern: RegExp): Promise<string> {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const i = got.findIndex((t) => pattern.test(t));
        if (i >= 0) return got.splice(0, i + 1).at(-1)!;
        if (Date.now() > deadline) throw new Error(`no notice matching ${String(pattern)}; got: ${got.join(' | ')}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => controller.abort(),
  };
}

describe('one visit, two services, on the web chat (issue 13)', () => {
  it('plans, takes both tickets as a chain, and walks the citizen from the SIM counter to Samsat with the notices', async () => {
    const plan = await say({ text: 'mau perpanjang sim sama bayar pajak motor sekalian' });
    const planText = plan.messages.map((m) => m.text).join('\n');
    expect(planText).toMatch(/Rencana kunjungan Anda \(2 layanan\)[\s\S]*1\. Perpanjangan SIM[\s\S]*2\. Pajak kendaraan/);
    const takeAll = plan.messages.at(-1)!.choices!.find((c) => c.label === 'Ambil antrean untuk semua')!;
    const stream = events(plan.sessionId);
    await stream.ready;

    const taken = (await say({ sessionId: plan.sessionId, choice: takeAll.id })).messages.map((m) => m.text).join('\n');
    const [, simNumber] = /Langkah 1 dari 2: ([A-Z]-\d{3}) · Perpanjangan SIM/.exec(taken)!;
    const [, taxNumber] = /Langkah 2 dari 2: ([A-Z]-\d{3}) · Pajak kendaraan/.exec(taken)!;

    // Samsat's counter passes the held step 2 by while step 1 is open: never two counters at once.
    expect((await staff('/api/counters/loket-6/call-next')).status).toBe(204);

    const sim = await staff('/api/counters/loket-5/call-next');
    expect(sim.ticket?.number).toBe(simNumber);
    const called = await stream.next(new RegExp(`Nomor ${simNumber} dipanggil`));
    expect(called).toContain('Loket 5 Satpas SIM');
    expect(called).toContain('Langkah 1 dari 2');
    expect(called).toMatch(/Setelah ini: Pajak kendaraan tahunan[^\n]*Loket 6 Samsat/);
    expect((await staff('/api/counters/loket-6/call-next')).status).toBe(204);

    await staff(`/api/tickets/${sim.ticket!.id}/start`);
    await staff(`/api/tickets/${sim.ticket!.id}/done`);
    const next = await stream.next(/Selanjutnya/);
    expect(next).toMatch(/Selanjutnya: Pajak kendaraan tahunan \(pengesahan STNK\), Loket 6 Samsat/);
    expect(next).toContain(taxNumber);

    const tax = await staff('/api/counters/loket-6/call-next');
    expect(tax.ticket?.number).toBe(taxNumber);
    const calledTax = await stream.next(new RegExp(`Nomor ${taxNumber} dipanggil`));
    expect(calledTax).toContain('Loket 6 Samsat');
    expect(calledTax).toContain('Langkah 2 dari 2');
    await staff(`/api/tickets/${tax.ticket!.id}/start`);
    await staff(`/api/tickets/${tax.ticket!.id}/done`);

    const key = plan.sessionId.split('.')[0]!;
    const visitId = (await app.queue.get(tax.ticket!.id))!.visit!.id;
    const visit = await app.queue.visit(visitId);
    expect(visit!.steps.map((s) => s.status)).toEqual(['done', 'done']);
    expect(await app.queue.activeTickets('webchat', key)).toEqual([]);
    stream.close();
  });
});
