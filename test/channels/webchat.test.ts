import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '../../src/errors.js';
import { startTestApp } from '../helpers.js';

let app: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  app = await startTestApp({ CHAT_RATE_PER_MINUTE: '20', HTTP_RATE_PER_MINUTE: '1000' });
});
afterAll(async () => {
  await app.close();
});

interface Reply {
  sessionId: string;
  messages: Array<{ text: string; choices?: Array<{ id: string; label: string }> }>;
  error?: { code: string; message: string };
}

async function post(body: unknown, raw?: string): Promise<{ status: number; json: Reply }> {
  const res = await fetch(`${app.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ?? JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Reply };
}

describe('web chat page', () => {
  it('carries a text in the page language for every error code, so the page never shows the server message', async () => {
    for (const [lang, sample] of [['en', 'Please start again'], ['id', 'Silakan']] as const) {
      const html = await (await fetch(`${app.url}/`, { headers: { 'accept-language': lang } })).text();
      const attr = /data-errors="([^"]*)"/.exec(html)?.[1] ?? '';
      const texts = JSON.parse(attr.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as Record<string, string>;
      expect(Object.keys(texts).sort()).toEqual([...errorCodes].sort());
      for (const code of errorCodes) expect(texts[code], code).not.toMatch(/^errors\./);
      expect(texts.unknown_session).toContain(sample);
    }
  });
});

describe('web chat API', () => {
  it('issues a sessionId when none is given and answers in the documented shape', async () => {
    const { status, json } = await post({ text: 'syarat skck' });
    expect(status).toBe(200);
    expect(json.sessionId).toMatch(/^[\w-]{22}\.[\w-]{22}$/);
    for (const m of json.messages) {
      expect(Object.keys(m).every((k) => k === 'text' || k === 'choices')).toBe(true);
      for (const c of m.choices ?? []) expect(Object.keys(c).sort()).toEqual(['id', 'label']);
    }
    const choice = json.messages.at(-1)!.choices!.find((c) => c.id === 's.polri-skck-baru')!;
    const next = await post({ sessionId: json.sessionId, choice: choice.id });
    expect(next.json.sessionId).toBe(json.sessionId);
    expect(next.json.messages.map((m) => m.text).join('\n')).toContain('Persyaratan');
  });

  it('speaks English when the page asks for it', async () => {
    const { json } = await post({ text: 'hello', locale: 'en' });
    expect(json.messages.map((m) => m.text).join('\n')).toContain('How can I help');
  });

  it('refuses a forged sessionId with a clear JSON error', async () => {
    const { status, json } = await post({ sessionId: 'AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB', text: 'halo' });
    expect(status).toBe(404);
    expect(json.error?.code).toBe('unknown_session');
    const garbage = await post({ sessionId: '../../etc/passwd', text: 'halo' });
    expect(garbage.status).toBe(404);
  });

  it('answers malformed JSON with 400 and a clear JSON error', async () => {
    const { status, json } = await post(undefined, '{"text": "halo",');
    expect(status).toBe(400);
    expect(json.error).toEqual({ code: 'bad_request', message: expect.stringContaining('JSON') });
  });

  it('answers wrong field types with 400 naming the field', async () => {
    const { status, json } = await post({ text: 42, locale: 'fr' });
    expect(status).toBe(400);
    expect(json.error?.message).toContain('text');
    expect(json.error?.message).toContain('locale');
  });

  it.each([
    ['empty', ''],
    ['10,000 characters', 'paspor hilang '.repeat(800).slice(0, 10_000)],
    ['emoji only', '😀😀😀'],
    ['control characters', '\u0000\u0001\u001b'],
    ['script tag', '<script>alert(1)</script>'],
  ])('answers %s politely with 200', async (_name, text) => {
    const { status, json } = await post({ text });
    expect(status).toBe(200);
    expect(json.messages.length).toBeGreaterThan(0);
  });

  it('re-prompts a stale choice id', async () => {
    const first = await post({ text: 'menu' });
    const { status, json } = await post({ sessionId: first.json.sessionId, choice: 's.does-not-exist' });
    expect(status).toBe(200);
    expect(json.messages[0]!.text).toContain('sudah tidak berlaku');
  });

  it('rejects a body over the size limit with 413', async () => {
    const { status, json } = await post({ text: 'a'.repeat(200_000) });
    expect(status).toBe(413);
    expect(json.error?.code).toBe('payload_too_large');
  });

  it('slows a flooding session down politely with 429, then stays quiet', async () => {
    const first = await post({ text: 'halo' });
    const statuses: number[] = [];
    let politeness = '';
    for (let i = 0; i < 21; i++) {
      const r = await post({ sessionId: first.json.sessionId, text: 'halo' });
      statuses.push(r.status);
      if (r.status === 429 && !politeness) politeness = r.json.messages[0]?.text ?? '';
    }
    expect(statuses.filter((s) => s === 429).length).toBe(2);
    expect(politeness).toContain('terlalu cepat');
  });

  it('shows a survey pushed while the tab was closed when the page opens, and its buttons still answer', async () => {
    const { json: first } = await post({ text: 'halo' });
    const key = first.sessionId.split('.')[0]!;
    const { ticket } = await app.queue.take({ serviceId: 'polri-skck-baru', citizen: { channel: 'webchat', userKey: key }, source: 'test' });
    await app.queue.callNext('loket-4');
    await app.queue.act(ticket.id, 'done');
    // What the survey notice does with no page open: the engine speaks it, web chat keeps it.
    for (const message of await app.engine.push('webchat', key, 'survey', { ticket: ticket.id, notice: 'survey' })) await app.hub.deliver(key, message);
    // The page opens again (app.js): it says it opened instead of sending "menu".
    const opened = await post({ sessionId: first.sessionId, open: true });
    const survey = opened.json.messages.at(-1)!;
    expect(survey.choices?.length).toBeGreaterThan(0);
    const answer = await post({ sessionId: first.sessionId, choice: survey.choices![0]!.id });
    expect(answer.json.messages.map((m) => m.text).join('\n')).not.toContain('tidak berlaku');
    // Nothing pending: opening the page shows the menu as before.
    const again = await post({ sessionId: first.sessionId, open: true });
    expect(again.json.messages.at(-1)!.choices?.map((c) => c.id)).toContain('take');
  });

  it('pushes messages to the page over Server-Sent Events', async () => {
    const { json } = await post({ text: 'halo' });
    const controller = new AbortController();
    const res = await fetch(`${app.url}/api/webchat/events?sessionId=${encodeURIComponent(json.sessionId)}`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    await reader.read(); // ": connected"
    const key = json.sessionId.split('.')[0]!;
    await app.hub.push(key, { text: 'Nomor antrean Anda sudah dekat', choices: [{ id: 'menu', label: 'Menu' }] });
    let received = '';
    while (!received.includes('\n\n')) received += new TextDecoder().decode((await reader.read()).value);
    expect(received).toContain('event: message');
    expect(JSON.parse(received.split('data: ')[1]!.split('\n')[0]!)).toEqual({ text: 'Nomor antrean Anda sudah dekat', choices: [{ id: 'menu', label: 'Menu' }] });
    controller.abort();
  });

  it('refuses an event stream for an unknown session', async () => {
    const res = await fetch(`${app.url}/api/webchat/events?sessionId=nope`);
    expect(res.status).toBe(404);
  });

  it('serves the chat page with a Content Security Policy and no external resources', async () => {
    const res = await fetch(`${app.url}/`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(html).toContain('<html lang="id">');
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).not.toContain('{{');
    const en = await (await fetch(`${app.url}/`, { headers: { 'accept-language': 'en-GB,en;q=0.9' } })).text();
    expect(en).toContain('<html lang="en">');
  });
});
