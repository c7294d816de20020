import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { MONDAY_9AM, type TestApp } from '../helpers.js';
import { ARTIFACTS, closeAppAndBrowser, startAppAndBrowser, watchErrors } from './browser.js';

let app: TestApp;
let browser: Browser;
const clock = new ManualClock(MONDAY_9AM);

beforeAll(async () => ({ app, browser } = await startAppAndBrowser(clock)));
afterAll(() => closeAppAndBrowser(app, browser));

/**
 * Stands in for the TV's speech engine (headless Chromium has no voices): records each utterance
 * and ends it after `speakMs`. `voices` is the list the page sees.
 */
async function stubSpeech(page: Page, voices: Array<{ lang: string; name: string }>, speakMs = 40): Promise<void> {
  await page.addInitScript(({ list, speakMs }) => {
    const w = window as unknown as Record<string, unknown>;
    const spoken: string[] = [];
    w.__spoken = spoken;
    class Utterance {
      text: string;
      voice: unknown = null;
      lang = '';
      rate = 1;
      onend: (() => void) | null = null;
      onerror: ((e: unknown) => void) | null = null;
      constructor(text: string) {
        this.text = text;
      }
    }
    const synth = {
      getVoices: () => list.map((v) => ({ ...v, default: false, localService: true, voiceURI: v.name })),
      speak(u: Utterance) {
        spoken.push(`${u.lang}|${u.text}`);
        setTimeout(() => u.onend?.(), speakMs);
      },
      cancel() {},
      addEventListener() {},
    };
    Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
    Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true });
  }, { list: voices, speakMs });
}

/** Records each clip the fallback player asks for, in order; every clip "ends" after 10 ms. */
async function stubClips(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const played: string[] = [];
    (window as unknown as Record<string, unknown>).__clips = played;
    HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
      played.push(new URL(this.src).pathname.split('/').pop()!);
      setTimeout(() => this.dispatchEvent(new Event('ended')), 10);
      return Promise.resolve();
    };
  });
}

/** Notes in the page when each number first shows in the grid and on the highlight card. */
async function watchArrivals(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const grid: Record<string, number> = {};
    const card: Record<string, number> = {};
    Object.assign(window, { __grid: grid, __card: card });
    const scan = () => {
      const now = Date.now();
      for (const n of Array.from(document.querySelectorAll('#calls .call-number'))) grid[n.textContent] ??= now;
      for (const n of Array.from(document.querySelectorAll('#flash:not([hidden]) .flash-number'))) card[n.textContent] ??= now;
    };
    new MutationObserver(scan).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

/** A service each counter serves (its own list, else its agency's first service). */
function serviceOf(counterId: string): string {
  const counter = app.catalogue.mpp.counters.find((c) => c.id === counterId)!;
  return counter.services?.[0] ?? [...app.catalogue.services.values()].find((s) => s.agency === counter.agency)!.id;
}

interface Geometry {
  viewport: { width: number; height: number };
  footerTop: number;
  headerBottom: number;
  cells: Array<{ number: string; top: number; bottom: number; left: number; right: number; numberHeight: number; lineHeight: number; clipped: boolean }>;
  fonts: Record<string, number[]>;
  chips: Array<{ height: number; lineHeight: number }>;
}

function geometry(page: Page): Promise<Geometry> {
  return page.evaluate(() => {
    const px = (e: Element, prop: 'fontSize' | 'lineHeight') => parseFloat(window.getComputedStyle(e)[prop]);
    const sizes = (sel: string) => Array.from(document.querySelectorAll(sel)).filter((e) => (e as HTMLElement).offsetParent).map((e) => px(e, 'fontSize'));
    return {
      viewport: { width: window.innerWidth, height: window.innerHeight },
      footerTop: document.querySelector('footer')!.getBoundingClientRect().top,
      headerBottom: document.querySelector('header')!.getBoundingClientRect().bottom,
      cells: Array.from(document.querySelectorAll('#calls .call')).map((cell) => {
        const r = cell.getBoundingClientRect();
        const num = cell.querySelector('.call-number')!;
        return { number: num.textContent, top: r.top, bottom: r.bottom, left: r.left, right: r.right, numberHeight: num.getBoundingClientRect().height, lineHeight: px(num, 'lineHeight'), clipped: num.scrollWidth > num.clientWidth + 1 || num.getBoundingClientRect().right > r.right + 1 };
      }),
      fonts: { counter: sizes('.call-counter'), chip: sizes('.chip'), waiting: sizes('.waiting'), group: sizes('.group-name'), ticker: sizes('.tick') },
      chips: Array.from(document.querySelectorAll('.chip')).filter((e) => (e as HTMLElement).offsetParent).map((e) => ({ height: e.getBoundingClientRect().height, lineHeight: px(e, 'lineHeight') })),
    };
  });
}

/** Every active call inside the viewport between header and running text, each number on one line. */
function expectAllVisible(g: Geometry, numbers: string[]): void {
  expect(g.cells.map((c) => c.number).sort()).toEqual([...numbers].sort());
  for (const c of g.cells) {
    expect(c.top, c.number).toBeGreaterThanOrEqual(g.headerBottom - 1);
    expect(c.bottom, c.number).toBeLessThanOrEqual(g.footerTop + 1);
    expect(c.left, c.number).toBeGreaterThanOrEqual(0);
    expect(c.right, c.number).toBeLessThanOrEqual(g.viewport.width);
    expect(c.numberHeight, `${c.number} on one line`).toBeLessThan(c.lineHeight * 1.5);
    expect(c.clipped, `${c.number} not cut`).toBe(false);
  }
  for (const chip of g.chips) expect(chip.height).toBeLessThan(chip.lineHeight * 1.5);
  // Readable from 5 m: 48 px at 1080p, the same share of a 720p screen.
  const least = (48 * g.viewport.height) / 1080 - 0.5;
  for (const [what, sizes] of Object.entries(g.fonts)) {
    expect(sizes.length, what).toBeGreaterThan(0);
    for (const size of sizes) expect(size, what).toBeGreaterThanOrEqual(least);
  }
}

/** WCAG contrast ratios of text against the background it sits on, for the given elements. */
function contrasts(page: Page, pairs: Array<[text: string, background: string]>): Promise<Record<string, number>> {
  return page.evaluate((list) => {
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const luminance = (css: string) => {
      const [r, g, b] = rgb(css).map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const out: Record<string, number> = {};
    for (const [text, background] of list) {
      const fg = luminance(window.getComputedStyle(document.querySelector(text)!).color);
      const bg = luminance(window.getComputedStyle(document.querySelector(background)!).backgroundColor);
      out[text] = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    }
    return out;
  }, pairs);
}

describe('display board in a morning rush', () => {
  it('shows each of 10 calls in 10 s within 2 s, keeps all 11 calls in view at 1080p and 720p, and says each once in order', async () => {
    const counters = Array.from({ length: 10 }, (_, i) => `loket-${i + 1}`);
    // A busy hall: a ticket for every counter of the burst, more waiting, one counter already calling.
    for (const id of counters) await app.queue.take({ serviceId: serviceOf(id), source: 'test' });
    for (const id of ['loket-1', 'loket-3', 'loket-4', 'loket-6', 'loket-8', 'loket-11', 'loket-11', 'loket-12', 'loket-23', 'loket-23', 'loket-23']) await app.queue.take({ serviceId: serviceOf(id), source: 'test' });
    await app.queue.callNext('loket-11');
    clock.advance(60_000);
    await app.incidents.declare({ scope: { type: 'agency', id: 'imigrasi' }, kind: 'sistem_offline', message: 'Sistem paspor sedang gangguan, mohon menunggu.', offers: { cancel: false, move: false }, by: 'operator' });

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'id-ID' });
    const errors = watchErrors(page);
    await stubSpeech(page, [
      { lang: 'en-US', name: 'English' },
      { lang: 'id-ID', name: 'Indonesia' },
    ]);
    await watchArrivals(page);
    await page.goto(`${app.url}/board`);
    await page.locator('#calls .call-number').first().waitFor();
    await expect.poll(() => app.board.openStreams, { timeout: 5000 }).toBeGreaterThan(0);

    const called: Array<{ id: string; number: string; counter: string; at: number }> = [];
    for (const id of counters) {
      const start = Date.now();
      const ticket = await app.queue.callNext(id);
      called.push({ id: ticket!.id, number: ticket!.number, counter: id, at: Date.now() });
      clock.advance(1000);
      if (called.length === 5) {
        await page.locator('#flash .flash-number', { hasText: ticket!.number }).waitFor({ timeout: 1000 });
        await page.waitForTimeout(450); // the card's slide-in
        await page.screenshot({ path: path.join(ARTIFACTS, 'board-burst-card.png') });
        // Several calls on the card at once, each number whole and on one line, none over the grid.
        const card = await page.evaluate(() => {
          const box = document.getElementById('flash')!.getBoundingClientRect();
          const grid = document.getElementById('calls')!.getBoundingClientRect();
          return {
            overGrid: box.left < grid.right,
            items: Array.from(document.querySelectorAll('#flash .flash-call')).map((li) => {
              const num = li.querySelector('.flash-number')!;
              const r = num.getBoundingClientRect();
              const name = li.querySelector('.flash-counter')!.getBoundingClientRect();
              return { inside: r.left >= box.left && r.right <= box.right + 1 && name.bottom <= box.bottom + 1, oneLine: r.height < parseFloat(window.getComputedStyle(num).lineHeight) * 1.5 };
            }),
          };
        });
        expect(card.overGrid).toBe(false);
        expect(card.items.length).toBeGreaterThanOrEqual(2);
        for (const item of card.items) expect(item).toEqual({ inside: true, oneLine: true });
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - start))));
    }
    const numbers = called.map((c) => c.number);
    await expect.poll(() => page.evaluate(() => Object.keys((window as unknown as { __grid: object }).__grid).length), { timeout: 5000 }).toBeGreaterThanOrEqual(11);
    const { grid, card } = await page.evaluate(() => ({ grid: (window as unknown as { __grid: Record<string, number> }).__grid, card: (window as unknown as { __card: Record<string, number> }).__card }));
    const delays = called.map((c) => ({ number: c.number, grid: grid[c.number]! - c.at, card: card[c.number]! - c.at }));
    for (const d of delays) {
      expect(d.grid, `${d.number} in the grid`).toBeLessThanOrEqual(2000);
      expect(d.card, `${d.number} on the card`).toBeLessThanOrEqual(2000);
    }
    process.stdout.write(`board burst: per-call delay grid ${delays.map((d) => d.grid).join(',')} ms; card ${delays.map((d) => d.card).join(',')} ms\n`);

    // The card is short-lived: never a long overlay.
    await page.locator('#flash').waitFor({ state: 'hidden', timeout: 4000 });
    const all = [...numbers, (await app.board.state('id')).calling.find((c) => c.counter === 'loket-11')!.number];
    await page.waitForTimeout(300);
    expectAllVisible(await geometry(page), all);
    await expect.poll(() => page.locator('.tick.incident').first().textContent()).toContain('Sistem paspor sedang gangguan');
    await page.screenshot({ path: path.join(ARTIFACTS, 'board-burst-1080p.png') });
    // WCAG AA (4.5:1) for the header logo and name, the calls, the waiting lines and the running text.
    const ratios = await contrasts(page, [
      ['.logo', '.logo'],
      ['.top h1', '.top'],
      ['.date', '.top'],
      ['#calls .call.latest .call-counter', '#calls .call.latest'],
      ['#calls .call:not(.latest) .call-counter', '#calls .call:not(.latest)'],
      ['#calls .call:not(.latest) .call-number', '#calls .call:not(.latest)'],
      ['.group:not([hidden]) .waiting', '.group:not([hidden])'],
      ['.tick.info', '.bottom'],
      ['.tick.incident', '.bottom'],
    ]);
    for (const [what, ratio] of Object.entries(ratios)) expect(ratio, what).toBeGreaterThanOrEqual(4.5);

    // Said once each, in the order called, in Indonesian, digits one by one.
    await expect.poll(() => page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken.length), { timeout: 10_000 }).toBe(10);
    const spoken = await page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken);
    const digits = ['nol', 'satu', 'dua', 'tiga', 'empat', 'lima', 'enam', 'tujuh', 'delapan', 'sembilan'];
    const letter: Record<string, string> = { A: 'a', B: 'be', C: 'ce', D: 'de', E: 'e', F: 'ef' };
    const counterWords = (n: number) => (n === 10 ? 'sepuluh' : digits[n]);
    expect(spoken).toEqual(
      called.map(({ number, counter }) => {
        const [prefix, seq] = number.split('-') as [string, string];
        return `id-ID|Nomor antrean ${letter[prefix]} ${[...seq].map((d) => digits[Number(d)]).join(' ')}, silakan ke loket ${counterWords(Number(counter.split('-')[1]))}`;
      }),
    );
    expect(spoken[0]).toBe('id-ID|Nomor antrean a nol nol satu, silakan ke loket satu');

    // The same board on a 720p TV.
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.waitForTimeout(400);
    expectAllVisible(await geometry(page), all);
    await page.screenshot({ path: path.join(ARTIFACTS, 'board-burst-720p.png') });

    // A recall is said again, and shows on the card marked as a second call.
    clock.advance(30_000);
    await app.queue.act(called[2]!.id, 'recall');
    await page.locator('#flash .flash-call', { hasText: called[2]!.number }).locator('.flash-recall').waitFor({ timeout: 2000 });
    await expect.poll(() => page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken.slice(10)), { timeout: 5000 }).toEqual([spoken[2]]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('without an Indonesian voice, plays the recorded clips for each call once, in order, one call after the other', async () => {
    const counters = ['loket-12', 'loket-23', 'loket-14'];
    for (const id of counters) await app.queue.take({ serviceId: serviceOf(id), source: 'test' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, locale: 'id-ID' });
    const errors = watchErrors(page);
    await stubSpeech(page, [{ lang: 'en-US', name: 'English' }]);
    await stubClips(page);
    await page.goto(`${app.url}/board`);
    await expect.poll(() => app.board.openStreams, { timeout: 5000 }).toBeGreaterThan(0);
    const called: string[] = [];
    for (const id of counters) {
      clock.advance(1000);
      called.push((await app.queue.callNext(id))!.number);
    }
    const clip = (ch: string) => (/\d/.test(ch) ? `d${ch}.wav` : `letter-${ch.toLowerCase()}.wav`);
    const spell = (n: string) => [...n.replace('-', '')].map(clip);
    const expected = [
      // Loket 12: "dua belas"; loket 23: "dua puluh tiga"; loket 14: "empat belas".
      ['intro.wav', ...spell(called[0]!), 'go.wav', 'd2.wav', 'teen.wav'],
      ['intro.wav', ...spell(called[1]!), 'go.wav', 'd2.wav', 'tens.wav', 'd3.wav'],
      ['intro.wav', ...spell(called[2]!), 'go.wav', 'd4.wav', 'teen.wav'],
    ];
    await expect.poll(() => page.evaluate(() => (window as unknown as { __clips: string[] }).__clips.length), { timeout: 10_000 }).toBe(expected.flat().length);
    expect(await page.evaluate(() => (window as unknown as { __clips: string[] }).__clips)).toEqual(expected.flat());
    // Nothing was said through the speech engine: it has no Indonesian voice.
    expect(await page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken)).toEqual([]);
    // Every clip the player asks for exists.
    for (const file of new Set(expected.flat())) expect((await fetch(`${app.url}/board/assets/voice/${file}`)).headers.get('content-type'), file).toMatch(/audio\/(wav|x-wav|wave)/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('in a rush says every call once, in order, leaving out "Nomor antrean" while two or more calls wait', async () => {
    const counters = ['loket-17', 'loket-18', 'loket-19', 'loket-20'];
    for (const id of counters) await app.queue.take({ serviceId: serviceOf(id), source: 'test' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, locale: 'id-ID' });
    await stubSpeech(page, [{ lang: 'id-ID', name: 'Indonesia' }], 2000);
    await page.goto(`${app.url}/board`);
    await expect.poll(() => app.board.openStreams, { timeout: 5000 }).toBeGreaterThan(0);
    const numbers: string[] = [];
    for (const id of counters) {
      clock.advance(1000);
      numbers.push((await app.queue.callNext(id))!.number);
    }
    await expect.poll(() => page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken.length), { timeout: 10_000 }).toBe(4);
    const spoken = await page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken);
    // While the first is said, the other three arrive: the second is said with two still waiting.
    expect(spoken.map((s) => s.startsWith('id-ID|Nomor antrean '))).toEqual([true, false, true, true]);
    const digits = ['nol', 'satu', 'dua', 'tiga', 'empat', 'lima', 'enam', 'tujuh', 'delapan', 'sembilan'];
    const letters: Record<string, string> = { A: 'a', B: 'be', C: 'ce', D: 'de', E: 'e', F: 'ef', G: 'ge', H: 'ha', J: 'je', K: 'ka', L: 'el', M: 'em' };
    const [prefix, seq] = numbers[1]!.split('-') as [string, string];
    expect(spoken[1]).toBe(`id-ID|${letters[prefix]} ${[...seq].map((d) => digits[Number(d)]).join(' ')}, silakan ke loket delapan belas`);
    expect(spoken.map((s) => /silakan ke loket (.+)$/.exec(s)![1])).toEqual(['tujuh belas', 'delapan belas', 'sembilan belas', 'dua puluh']);
    await page.close();
  });

  it('keeps all 31 counters in view when every one of them calls, at 1080p and 720p', async () => {
    const real = await app.board.state('id');
    const calling = app.catalogue.mpp.counters.map((c, i) => ({ counter: c.id, counterName: c.name.id, counterNo: i + 1, number: `${'ABCDEFGHJKLM'[i % 12]}-${String(100 + i).padStart(3, '0')}`, status: i % 3 ? 'called' : 'serving', calledAt: 1000 + i, counterStatus: 'open' as const }));
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'id-ID' });
    await page.route('**/board/events*', (route) => route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: `retry: 600000\nevent: snapshot\ndata: ${JSON.stringify({ ...real, calling })}\n\n` }));
    await page.goto(`${app.url}/board`);
    await expect.poll(() => page.locator('#calls .call').count()).toBe(31);
    for (const size of [{ width: 1920, height: 1080 }, { width: 1280, height: 720 }]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(300);
      const g = await geometry(page);
      // So many calls leave less room for names: every number must still be whole and in view.
      expectAllVisible({ ...g, fonts: {} }, calling.map((c) => c.number));
      await page.screenshot({ path: path.join(ARTIFACTS, `board-31-counters-${size.height}p.png`) });
    }
    await page.close();
  });

  it('greys a counter on a break or closed, says so in words, and runs its status in the ticker', async () => {
    // The counter console reports `status`/`statusSince` per counter; this board state carries them.
    await app.queue.take({ serviceId: serviceOf('loket-15'), source: 'test' });
    await app.queue.take({ serviceId: serviceOf('loket-16'), source: 'test' });
    clock.advance(1000);
    await app.queue.callNext('loket-15');
    clock.advance(1000);
    await app.queue.callNext('loket-16');
    const real = await app.board.state('id');
    const since = Date.parse('2026-11-30T05:00:00Z'); // 12:00 in Jakarta
    // As the console's snapshot has it: every counter with a status, calls without their counter's.
    const calling = real.calling.filter((c) => ['loket-15', 'loket-16'].includes(c.counter)).map(({ counterStatus: _, ...c }) => c);
    const set: Record<string, { status: 'break' | 'closed'; statusSince: number }> = { 'loket-16': { status: 'break', statusSince: since }, 'loket-13': { status: 'closed', statusSince: since - 3_600_000 }, 'loket-14': { status: 'break', statusSince: 0 } };
    const counters = real.counters.map((c) => ({ ...c, ...set[c.counter] }));
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'id-ID' });
    await page.route('**/board/events*', (route) => route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: `retry: 600000\nevent: snapshot\ndata: ${JSON.stringify({ ...real, calling, counters })}\n\n` }));
    const errors = watchErrors(page);
    await page.goto(`${app.url}/board`);
    // Calling but on a break: greyed in the grid, the status in words (never only a colour).
    const off = page.locator('#calls .call.off');
    await expect.poll(() => off.count()).toBe(1);
    expect(await off.locator('.call-counter').textContent()).toBe('Loket 16 BPOM');
    expect(await off.locator('.call-state').textContent()).toBe('Istirahat');
    expect(await off.evaluate((e) => window.getComputedStyle(e).backgroundColor)).not.toBe(await page.locator('#calls .call:not(.off)').first().evaluate((e) => window.getComputedStyle(e).backgroundColor));
    // Not calling: the strip under the grid.
    expect(await page.locator('#offs .off-counter').allTextContents()).toEqual(['Loket 13 KemenagTutup', 'Loket 14 Halal (BPJPH)Istirahat']);
    const ticks = await page.locator('.tick.counter').allTextContents();
    expect([...new Set(ticks)]).toEqual(['Loket 13 Kemenag tutup', 'Loket 14 Halal (BPJPH) sedang istirahat', 'Loket 16 BPOM istirahat sejak 12.00']);
    // Every counter and the strip stay above the running text.
    const footerTop = await page.locator('footer').evaluate((e) => e.getBoundingClientRect().top);
    for (const box of [await page.locator('#offs').boundingBox(), ...(await Promise.all((await page.locator('#calls .call').all()).map((c) => c.boundingBox())))]) expect(box!.y + box!.height).toBeLessThanOrEqual(footerTop + 1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'board-counter-status.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('starts its sound without a tap in Chromium started with the kiosk flags of the README, and asks for a tap otherwise', async () => {
    const plain = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await plain.goto(`${app.url}/board`);
    await plain.locator('#sound').waitFor({ state: 'visible', timeout: 5000 });
    await plain.close();
    const kiosk = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'] });
    try {
      const page = await kiosk.newPage({ viewport: { width: 1280, height: 720 } });
      await page.goto(`${app.url}/board`);
      await page.locator('#calls, #no-calls').first().waitFor({ state: 'attached' });
      expect(await page.evaluate(() => new AudioContext().state)).toBe('running');
      expect(await page.locator('#sound').isHidden()).toBe(true);
      // Every recorded clip decodes in Chromium and is a short word, not silence or a long file.
      const durations = await page.evaluate(async () => {
        const { clips } = (await (await fetch('/board/assets/voice/clips.json')).json()) as { clips: Record<string, string> };
        const out: Record<string, number> = {};
        for (const [key, file] of Object.entries(clips)) {
          const audio = new Audio(`/board/assets/voice/${file}`);
          out[key] = await new Promise<number>((resolve) => {
            audio.onloadedmetadata = () => resolve(audio.duration);
            audio.onerror = () => resolve(-1);
          });
        }
        return out;
      });
      expect(Object.keys(durations)).toEqual(expect.arrayContaining(['intro', 'go', 'd0', 'd9', 'n10', 'n11', 'teen', 'tens', 'letter-a', 'letter-m']));
      for (const [key, seconds] of Object.entries(durations)) {
        expect(seconds, key).toBeGreaterThan(0.15);
        expect(seconds, key).toBeLessThan(2.5);
      }
    } finally {
      await kiosk.close();
    }
  });
});
