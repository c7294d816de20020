/**
 * `npm run eval:conversations [-- FILE]`: replays conversations (format in ../shared/eval/README.md)
 * against the real web chat HTTP path, on an in-process app bound to an ephemeral loopback port
 * with a throwaway redis-server, and prints each miss and the pass rate.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { z } from 'zod';
import { systemClock } from '../clock.js';
import { compose } from '../compose.js';
import { loadConfig } from '../config.js';
import { connectRedis } from '../redis/connect.js';
import { startLocalRedis } from '../redis/local-server.js';

const turnSchema = z
  .strictObject({
    say: z.string().optional(),
    choose: z.string().optional(),
    expect: z.string().optional(),
    reject: z.string().optional(),
    allowNotFound: z.boolean().optional(),
  })
  .refine((t) => (t.say === undefined) !== (t.choose === undefined), { message: 'a turn has exactly one of say or choose' });
const conversationSchema = z.strictObject({
  name: z.string(),
  locale: z.enum(['id', 'en']).optional(),
  /** The web chat opened as `/?site=<id>` (null: no site, the citizen has not chosen an MPP); default: the replay's. */
  site: z.string().max(60).nullable().optional(),
  turns: z.array(turnSchema).min(1),
});
export const conversationsSchema = z.array(conversationSchema);
export type Conversation = z.infer<typeof conversationSchema>;

interface ReplyMessage {
  text: string;
  choices?: Array<{ id: string; label: string }>;
}

export interface Miss {
  conversation: string;
  turn: number;
  said: string;
  reply: string;
  why: string;
}

/** The fixed head of the "nothing found" answer in every locale, up to the quoted query. */
export function notFoundPattern(root: string): RegExp {
  const heads = ['id', 'en'].map((locale) => {
    const json = JSON.parse(readFileSync(path.join(root, 'locales', locale, 'search.json'), 'utf8')) as { not_found: string };
    return json.not_found.split('{{')[0]!.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(heads.join('|'));
}

/** Replays every conversation against `baseUrl`; returns the misses and the turns checked. */
/** One turn as replayed, for `--transcript`. */
export interface TurnLog {
  conversation: string;
  turn: number;
  said: string;
  reply: ReplyMessage[];
}

export async function replay(baseUrl: string, conversations: Conversation[], notFound: RegExp, onTurn?: (log: TurnLog) => void, opts: { site?: string } = {}): Promise<{ checked: number; passed: number; misses: Miss[] }> {
  const misses: Miss[] = [];
  let checked = 0;
  for (const conv of conversations) {
    let sessionId: string | undefined;
    let previous: ReplyMessage[] = [];
    for (const [i, turn] of conv.turns.entries()) {
      const body: Record<string, string> = {};
      if (sessionId) body.sessionId = sessionId;
      if (conv.locale) body.locale = conv.locale;
      const site = conv.site === undefined ? opts.site : conv.site;
      if (site) body.site = site;
      let said = turn.say ?? '';
      if (turn.choose !== undefined) {
        const pattern = new RegExp(turn.choose, 'i');
        const choice = previous.flatMap((m) => m.choices ?? []).find((c) => pattern.test(c.label));
        said = `[choose /${turn.choose}/ -> ${choice?.label ?? 'no such choice'}]`;
        if (choice) body.choice = choice.id;
        else body.text = turn.choose;
      } else body.text = said;
      const res = await fetch(`${baseUrl}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const json = (await res.json()) as { sessionId?: string; messages?: ReplyMessage[] };
      sessionId = json.sessionId ?? sessionId;
      previous = json.messages ?? [];
      const reply = previous.map((m) => m.text).join('\n');
      onTurn?.({ conversation: conv.name, turn: i + 1, said, reply: previous });
      checked++;
      const why: string[] = [];
      if (!res.ok) why.push(`HTTP ${res.status}`);
      if (turn.expect !== undefined && !new RegExp(turn.expect, 'i').test(reply)) why.push(`expected /${turn.expect}/`);
      if (turn.reject !== undefined && new RegExp(turn.reject, 'i').test(reply)) why.push(`rejected /${turn.reject}/`);
      if (!turn.allowNotFound && notFound.test(reply)) why.push('nothing found');
      if (why.length) misses.push({ conversation: conv.name, turn: i + 1, said, reply, why: why.join(', ') });
    }
  }
  return { checked, passed: checked - misses.length, misses };
}

function printTurn(t: TurnLog): void {
  if (t.turn === 1) console.log(`\n### ${t.conversation}`);
  console.log(`> ${t.said}`);
  for (const m of t.reply) {
    console.log(m.text.replace(/^/gm, '  '));
    if (m.choices?.length) console.log(`  [${m.choices.map((c) => c.label).join(' | ')}]`);
  }
}

async function main(): Promise<void> {
  const root = process.cwd();
  const args = process.argv.slice(2);
  // --transcript prints every turn and its reply (choices in brackets), not only the misses.
  const transcript = args.includes('--transcript');
  const file = path.resolve(args.find((a) => !a.startsWith('--')) ?? path.join(root, '../shared/eval/conversations.json'));
  const conversations = conversationsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  // A throwaway redis-server on a random high port, no persistence.
  const local = await startLocalRedis({ port: 20_000 + Math.floor(Math.random() * 20_000) });
  const logger = pino({ level: 'silent' });
  const config = loadConfig({ ...process.env, REDIS_URL: local.url, REDIS_PREFIX: 'eval', LOG_LEVEL: 'silent', OPENING_HOURS: 'always', CHAT_RATE_PER_MINUTE: '600', HTTP_RATE_PER_MINUTE: '100000' });
  const redis = connectRedis(local.url, logger);
  const subscriber = connectRedis(local.url, logger, 'subscriber');
  const composition = await compose({ config, redisUrl: local.url, redis, subscriber, logger, clock: systemClock });
  const server = composition.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  try {
    const log = transcript ? (t: TurnLog) => printTurn(t) : undefined;
    // The demo has several MPP sites: citizens come as from the main site's link unless `--site=<id>`
    // (`--site=` alone: no MPP chosen, so site questions are asked first).
    const siteArg = args.find((a) => a.startsWith('--site='))?.slice('--site='.length) ?? 'main';
    const { checked, passed, misses } = await replay(`http://127.0.0.1:${port}`, conversations, notFoundPattern(root), log, siteArg ? { site: siteArg } : {});
    for (const m of misses) {
      console.log(`MISS ${m.conversation} · turn ${m.turn} · ${m.why}\n  said:  ${m.said}\n  reply: ${m.reply.replace(/\n/g, '\n         ')}\n`);
    }
    console.log(`${path.relative(root, file)}: ${passed}/${checked} turns passed (${((100 * passed) / Math.max(1, checked)).toFixed(1)}%), ${conversations.length} conversations`);
  } finally {
    await composition.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all([redis.quit(), subscriber.quit()]);
    await local.stop();
  }
}

// Run only as a script; tests import replay() and the schema.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
