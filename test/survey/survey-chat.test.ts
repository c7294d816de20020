import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { SurveyStore } from '../../src/survey/store.js';
import { allText, choiceIds, testEngine, testRedis } from '../helpers.js';

const SKCK = 'polri-skck-baru';
const CHANNEL = 'test';

/** A finished SKCK ticket of `userKey`: taken, called at loket-4, served, done. */
async function servedTicket(env: Awaited<ReturnType<typeof testEngine>>, userKey: string) {
  const queue = env.queue!;
  const { ticket } = await queue.take({ serviceId: SKCK, citizen: { channel: CHANNEL, userKey }, source: 'test' });
  expect((await queue.callNext('loket-4'))?.id).toBe(ticket.id);
  await queue.act(ticket.id, 'start');
  await queue.act(ticket.id, 'done');
  return ticket;
}

async function setup() {
  const redis = testRedis();
  const env = await testEngine({ redis });
  const store = new SurveyStore(redis, env.queue!.ticketSlot);
  return { env, store, engine: env.engine };
}

const answer = (engine: Engine, userKey: string, reply: { choice?: string; text?: string }) => engine.handle({ channel: CHANNEL, userKey, ...reply });

describe('satisfaction survey in chat', () => {
  it('asks the nine elements, takes buttons and typed numbers, stores the answers and the comment once', async () => {
    const { env, store, engine } = await setup();
    const ticket = await servedTicket(env, 'warga-1');
    const pushed = await engine.push(CHANNEL, 'warga-1', 'survey', { ticket: ticket.id, notice: 'survey' });
    expect(pushed[0]!.text).toContain(ticket.number);
    expect(pushed.at(-1)!.text).toContain('1 dari 9');
    expect(pushed.at(-1)!.choices?.map((c) => c.id)).toEqual(['s1', 's2', 's3', 's4', 'skip', 'menu']);
    expect(pushed.at(-1)!.choices?.[3]?.label).toBe('Sangat sesuai');

    // Eight answers by button, one typed; free text in between is not an answer.
    const scores = [3, 4, 4, 3, 2, 4, 4, 3, 4];
    for (const [i, s] of scores.entries()) {
      if (i === 2) {
        const confused = await answer(engine, 'warga-1', { text: 'bagus sekali' });
        expect(allText(confused)).toContain('angka 1 sampai 4');
        expect(allText(confused)).toContain('3 dari 9');
      }
      const turn = i === 4 ? await answer(engine, 'warga-1', { text: String(s) }) : await answer(engine, 'warga-1', { choice: `s${s}` });
      if (i < 8) expect(allText(turn)).toContain(`${i + 2} dari 9`);
      else expect(choiceIds(turn)).toEqual(['no-comment', 'menu']);
    }
    // Counted as soon as the nine are in; the comment is optional.
    expect((await env.queue!.get(ticket.id))?.surveyed).toBe(true);
    const done = await answer(engine, 'warga-1', { text: 'Petugas ramah, tapi antre lama. Hubungi saya 081234567890' });
    expect(allText(done)).toContain('Terima kasih atas penilaian Anda');

    const day = (await store.days([SKCK], ticket.day)).get(SKCK)!;
    expect(day.responses).toBe(1);
    expect(day.comments).toBe(1);
    expect(day.elements.map((e) => e.sum)).toEqual(scores);
    expect(day.elements.every((e) => e.n === 1)).toBe(true);
    expect(await store.comments(SKCK, ticket.day)).toEqual(['Petugas ramah, tapi antre lama. Hubungi saya [phone]']);
    const raw = await testRedis().hgetall(store.totalsKey(SKCK, ticket.day));
    expect(raw).toMatchObject({ u1_sum: '3', u1_n: '1', u5_sum: '2', u9_n: '1', responses: '1' });
    expect(await testRedis().ttl(store.totalsKey(SKCK, ticket.day))).toBeGreaterThan(399 * 86400);

    // A second push for the same ticket (a duplicate job, a second process) stores nothing.
    const again = await engine.push(CHANNEL, 'warga-1', 'survey', { ticket: ticket.id, notice: 'survey' });
    expect(again.map((m) => m.text).join('\n')).toContain('sudah Anda isi');
    expect(await store.record(ticket, scores)).toBe('already');
    expect(await store.comment(ticket, 'lagi')).toBe(false);
    expect((await store.days([SKCK], ticket.day)).get(SKCK)).toMatchObject({ responses: 1, comments: 1 });
  });

  it('counts a survey once when two conversations finish it for the same ticket', async () => {
    const { env, store, engine } = await setup();
    const ticket = await servedTicket(env, 'warga-2');
    // Two pushes before either is answered: both walk the questions, only the first is counted.
    await engine.push(CHANNEL, 'warga-2', 'survey', { ticket: ticket.id, notice: 'survey' });
    for (let i = 0; i < 9; i++) await answer(engine, 'warga-2', { choice: 's4' });
    await answer(engine, 'warga-2', { choice: 'no-comment' });
    await engine.push(CHANNEL, 'warga-2', 'survey', { ticket: ticket.id, notice: 'survey' });
    const [a, b] = await Promise.all([store.record(ticket, Array(9).fill(1)), store.record(ticket, Array(9).fill(2))]);
    expect([a, b]).toEqual(['already', 'already']);
    const day = (await store.days([SKCK], ticket.day)).get(SKCK)!;
    expect(day).toMatchObject({ responses: 1, comments: 0 });
    expect(day.elements.map((e) => e.sum)).toEqual(Array(9).fill(4));
  });

  it('stores nothing when the citizen skips part-way', async () => {
    const { env, store, engine } = await setup();
    const ticket = await servedTicket(env, 'warga-3');
    await engine.push(CHANNEL, 'warga-3', 'survey', { ticket: ticket.id, notice: 'survey' });
    await answer(engine, 'warga-3', { choice: 's4' });
    await answer(engine, 'warga-3', { choice: 's3' });
    const skipped = await answer(engine, 'warga-3', { choice: 'skip' });
    expect(allText(skipped)).toContain('survei dilewati');
    expect(choiceIds(skipped)).toEqual(['menu']);
    expect((await env.queue!.get(ticket.id))?.surveyed).toBe(false);
    expect((await store.days([SKCK], ticket.day)).get(SKCK)?.responses).toBe(0);
    expect(await testRedis().exists(store.totalsKey(SKCK, ticket.day))).toBe(0);
    // An old answer button after skipping is stale, not a tenth answer.
    const stale = await answer(engine, 'warga-3', { choice: 's4' });
    expect(allText(stale)).toContain('sudah tidak berlaku');
  });

  it('does not survey a ticket that is not done or belongs to someone else', async () => {
    const { env, engine } = await setup();
    const done = await servedTicket(env, 'warga-5');
    const { ticket } = await env.queue!.take({ serviceId: SKCK, citizen: { channel: CHANNEL, userKey: 'warga-4' }, source: 'test' });
    const waiting = await engine.push(CHANNEL, 'warga-4', 'survey', { ticket: ticket.id, notice: 'survey' });
    expect(waiting.map((m) => m.text).join('\n')).toContain('sudah tidak tersedia');
    const stranger = await engine.push(CHANNEL, 'warga-6', 'survey', { ticket: done.id, notice: 'survey' });
    expect(stranger.map((m) => m.text).join('\n')).toContain('sudah tidak tersedia');
  });

  it('asks in English with the element wording of the locale', async () => {
    const { env, engine } = await setup();
    const ticket = await servedTicket(env, 'warga-7');
    await engine.handle({ channel: CHANNEL, userKey: 'warga-7', text: 'halo', localeHint: 'en' });
    const pushed = await engine.push(CHANNEL, 'warga-7', 'survey', { ticket: ticket.id, notice: 'survey' });
    expect(pushed.at(-1)!.text).toContain('Question 1 of 9');
    for (let i = 0; i < 2; i++) await answer(engine, 'warga-7', { choice: 's3' });
    const fourth = await answer(engine, 'warga-7', { choice: 's3' });
    expect(fourth.messages.at(-1)!.text).toContain('fair');
    expect(fourth.messages.at(-1)!.choices?.map((c) => c.label)).toEqual(['Very expensive', 'Rather expensive', 'Cheap', 'Free', 'Skip survey', 'Main menu']);
  });
});
