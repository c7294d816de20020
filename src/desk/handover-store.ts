import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { localTime } from '../catalogue/local-time.js';
import { citizenSubject } from '../citizen.js';
import type { Clock } from '../clock.js';
import type { Locale } from '../message.js';
import { maskPersonalData } from '../privacy/mask.js';
import { ReadAudit } from './audit.js';
import { parseHandover, windowRemaining, type BotContext, type CitizenAddress, type DeliveryStatus, type DeskMessage, type Handover, type ReturnReason } from './conversation.js';
import { DeskError, type DeskErrorCode } from './errors.js';
import { DeskEvents } from './events.js';
import { DeskFigures, type ReplyEstimate } from './figures.js';
import { DeskKeys } from './keys.js';
import { defaultDeskOptions, type DeskHours, type DeskOptions } from './options.js';
import { DeskScripts, type ClaimMode } from './scripts.js';
import { DEFAULT_SITE } from '../redis/keyspace.js';

/** Telegram and WhatsApp both cap a text message at 4096 characters. */
export const MESSAGE_MAX_CHARS = 4096;
/** A context turn is a reminder for the officer, not a transcript. */
const CONTEXT_TURN_MAX_CHARS = 300;
/** First-response samples kept per day for p50/p90: far above a desk's daily volume. */
const DAY_SAMPLES_KEPT = 5000;

export interface OpenResult {
  handover: Handover;
  /** False when the citizen already had an active hand-over (this is that one). */
  created: boolean;
  /** Whether the desk is staffed now; when not, `opensAt` says when it will see the request. */
  deskOpen: boolean;
  opensAt?: Date;
  replyEstimate: ReplyEstimate;
}

export interface ReplyResult {
  message: DeskMessage;
  /** `pending`: send it now and report with setDelivery; `queued_for_template`: held for the window. */
  delivery: 'pending' | 'queued_for_template';
  /** Send the approved utility template now (once per closed window). */
  templateNeeded: boolean;
  /** This reply claimed a conversation nobody held. */
  claimedNow: boolean;
  /** Where to deliver (also for the template). */
  address: CitizenAddress;
}

export interface CitizenMessageResult {
  handover: Handover;
  message: DeskMessage;
  /** Officer replies that were held for the WhatsApp window: deliver them now (unmasked), then setDelivery. */
  release: Array<{ id: string; text: string }>;
  address: CitizenAddress;
}

export interface EndResult {
  id: string;
  outcome: 'returned' | 'closed';
  reason?: ReturnReason;
  /** The citizen to tell; the store forgot the address as it returned it. */
  address: CitizenAddress;
  locale: Locale;
}

export interface ConversationView {
  handover: Handover;
  messages: DeskMessage[];
  /** Free-text time left (ms) on channels with a window (WhatsApp Cloud); undefined elsewhere. */
  windowRemainingMs?: number;
}

/**
 * Hand-over conversations between a citizen and a desk officer, in Redis (key layout in keys.ts).
 * Every state change is one Lua script, so two officers, a webhook and the sweep never interleave.
 * The citizen's channel address is kept only while the conversation is active (deleted when it
 * ends, and within `retentionSec` in any case); transcripts are masked (src/privacy/mask.ts) and
 * expire `retentionSec` after their last activity.
 */
export class HandoverStore {
  readonly keys: DeskKeys;
  readonly audit: ReadAudit;
  readonly figures: DeskFigures;
  readonly events: DeskEvents;
  private readonly opts: DeskOptions;
  private readonly scripts: DeskScripts;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly clock: Clock,
    private readonly hours: DeskHours,
    options: Partial<DeskOptions> = {},
    /** How a citizen is keyed; the house's citizenSubject unless a keyed pseudonym is given. */
    private readonly subjectOf: (channel: string, userKey: string) => string = citizenSubject,
    /** The MPP site (its keys share the site's hash tag). */
    site: string = DEFAULT_SITE,
  ) {
    this.opts = { ...defaultDeskOptions, ...options };
    this.keys = new DeskKeys(prefix, site);
    this.audit = new ReadAudit(redis, this.keys.audit, clock, this.opts.auditRetentionMs);
    this.figures = new DeskFigures(redis, this.keys, this.opts);
    this.events = new DeskEvents(redis, this.keys);
    this.scripts = new DeskScripts(redis, this.keys, { keep: this.opts.messagesKept, ttlSec: this.opts.retentionSec, statsTtlSec: this.opts.figuresTtlSec, recentKeep: this.opts.estimateSamples, dayKeep: DAY_SAMPLES_KEPT });
  }

  /**
   * Hands a citizen over to the desk, or returns their active hand-over. During closed hours it
   * waits (never dropped) and the desk sees it first when it opens: the list is oldest first.
   */
  async open(req: { citizen: CitizenAddress; locale: Locale; text?: string; context?: BotContext }): Promise<OpenResult> {
    const now = this.clock.now();
    const status = this.hours.status(now);
    const visibleAt = status.open ? now : (status.nextOpen?.at ?? now);
    const local = localTime(now, this.hours.timezone);
    const id = 'h' + randomBytes(8).toString('hex');
    const entry = req.text ? this.entry('citizen', req.text, now) : undefined;
    const { created, id: actual } = await this.scripts.open({
      id,
      subject: this.subjectOf(req.citizen.channel, req.citizen.userKey),
      channel: req.citizen.channel,
      to: req.citizen.userKey,
      locale: req.locale,
      nowMs: now.getTime(),
      visibleAtMs: visibleAt.getTime(),
      context: JSON.stringify(this.cleanContext(req.context ?? {})),
      entry: entry ? JSON.stringify(entry) : '',
      day: local.date,
      hour: Math.floor(local.minutes / 60),
    });
    // Two requests at once (a double tap, a retried webhook): the second one's words still count.
    if (!created && req.text) await this.citizenMessage(req.citizen, req.text);
    const handover = (await this.get(actual))!;
    return { handover, created, deskOpen: status.open, ...(status.open ? {} : { opensAt: visibleAt }), replyEstimate: await this.figures.replyEstimate() };
  }

  async get(id: string): Promise<Handover | undefined> {
    if (!/^h[0-9a-f]{16}$/.test(id)) return undefined;
    const [[, raw], [, queued]] = (await this.redis.multi().hgetall(this.keys.conversation(id)).llen(this.keys.queued(id)).exec()) as [[null, Record<string, string>], [null, number]];
    return parseHandover(raw, queued);
  }

  /** The citizen's active hand-over (waiting or claimed), if any. */
  async activeFor(citizen: CitizenAddress): Promise<Handover | undefined> {
    const id = await this.redis.get(this.keys.held(this.subjectOf(citizen.channel, citizen.userKey)));
    const handover = id ? await this.get(id) : undefined;
    return handover && (handover.state === 'waiting' || handover.state === 'claimed') ? handover : undefined;
  }

  /**
   * One GET: whether the desk holds this citizen, so the engine stays silent (except queue notices).
   * True while waiting too: the bot must not talk over an officer about to answer.
   */
  async isHeld(citizen: CitizenAddress): Promise<boolean> {
    return (await this.redis.exists(this.keys.held(this.subjectOf(citizen.channel, citizen.userKey)))) === 1;
  }

  /** Takes a conversation; exactly one of two officers claiming at once wins, the other gets `claimed_by_other`. */
  async claim(id: string, officer: string): Promise<Handover> {
    return this.claimOp(id, 'claim', officer);
  }

  /** Puts a claimed conversation back in the waiting list, at its original place. */
  async release(id: string, officer: string): Promise<Handover> {
    return this.claimOp(id, 'release', officer);
  }

  /** Hands a claimed conversation to another officer; only its holder may. */
  async transfer(id: string, officer: string, to: string): Promise<Handover> {
    return this.claimOp(id, 'transfer', officer, to);
  }

  /**
   * An officer's reply. Claims a waiting conversation; refused (`claimed_by_other`) when another
   * officer holds it. Outside the channel's free-text window the reply is queued until the
   * citizen writes again, and `templateNeeded` asks the caller to send the approved template.
   */
  async reply(id: string, officer: string, text: string): Promise<ReplyResult> {
    if (text.length === 0 || text.length > MESSAGE_MAX_CHARS) throw new RangeError(`a reply needs 1–${MESSAGE_MAX_CHARS} characters`);
    const now = this.clock.now();
    const message: DeskMessage = { ...this.entry('officer', text, now), officer };
    const handover = await this.get(id);
    const r = await this.scripts.reply({
      id,
      officer,
      msgId: message.id,
      entry: JSON.stringify(message),
      queuedEntry: JSON.stringify({ id: message.id, text }),
      nowMs: now.getTime(),
      windowMs: (handover && this.opts.replyWindowsMs[handover.channel]) ?? 0,
    });
    this.check(r.status, r.detail, ['deliver', 'queued_for_template']);
    const delivery = r.status === 'deliver' ? 'pending' : 'queued_for_template';
    return { message: { ...message, delivery }, delivery, templateNeeded: r.templateNeeded, claimedNow: r.claimedNow, address: { channel: r.channel, userKey: r.to } };
  }

  /**
   * A citizen's message while the desk holds them: logged for the officer, and the engine says
   * nothing. Undefined when the desk does not hold them (the engine answers as usual).
   */
  async citizenMessage(citizen: CitizenAddress, text: string): Promise<CitizenMessageResult | undefined> {
    const subject = this.subjectOf(citizen.channel, citizen.userKey);
    const id = await this.redis.get(this.keys.held(subject));
    if (!id) return undefined;
    const now = this.clock.now();
    const message = this.entry('citizen', text.slice(0, MESSAGE_MAX_CHARS), now);
    const r = await this.scripts.citizen({ id, subject, entry: JSON.stringify(message), nowMs: now.getTime() });
    if (r.status !== 'ok') return undefined;
    return { handover: (await this.get(id))!, message, release: r.released, address: { channel: r.channel, userKey: r.to } };
  }

  /** "Return to assistant" by an officer (must hold it, or it is waiting), or "menu" by the citizen. */
  async handBack(id: string, reason: 'officer' | 'citizen', officer = ''): Promise<EndResult> {
    const result = await this.end(id, 'returned', reason, reason === 'officer' ? officer : '', 0, '');
    if (!result) throw new DeskError('conversation_ended', 'conversation moved');
    return result;
  }

  /** The citizen said "menu" (or similar): hands their active conversation back, if any. */
  async handBackByCitizen(citizen: CitizenAddress): Promise<EndResult | undefined> {
    const active = await this.activeFor(citizen);
    return active ? this.handBack(active.id, 'citizen') : undefined;
  }

  /** Resolved by the desk: only the officer holding it may close it. */
  async close(id: string, officer: string): Promise<EndResult> {
    const result = await this.end(id, 'closed', '', officer, 0, '');
    if (!result) throw new DeskError('conversation_ended', 'conversation moved');
    return result;
  }

  /**
   * Hands back what has gone quiet: claimed conversations idle for `idleTimeoutMs` (`queuedHoldMs`
   * while officer replies wait for the citizen to reopen the WhatsApp window), and (when
   * `waitingTimeoutMs` is set and the desk is open) waiting ones nobody answered. Re-checked in
   * Lua, so a conversation that moved after it was listed stays. For the worker: no timers here.
   */
  async sweep(now: Date = this.clock.now()): Promise<EndResult[]> {
    const out: EndResult[] = [];
    const idleCutoff = now.getTime() - this.opts.idleTimeoutMs;
    const queuedCutoff = now.getTime() - Math.max(this.opts.idleTimeoutMs, this.opts.queuedHoldMs);
    for (const id of await this.redis.zrangebyscore(this.keys.claimed, '-inf', idleCutoff)) {
      // Replies waiting for the WhatsApp template's answer keep the conversation longer.
      const cutoff = (await this.redis.llen(this.keys.queued(id))) > 0 ? queuedCutoff : idleCutoff;
      const r = await this.end(id, 'returned', 'timeout', '', cutoff, 'claimed', now).catch(ignoreDeskError);
      if (r) out.push(r);
    }
    const wait = this.opts.waitingTimeoutMs;
    // Only while the desk has been open for the whole wait: a request left at closing time is
    // the first thing the morning shift sees, not something the first sweep of the day drops.
    if (wait !== undefined && this.hours.status(now).open && this.hours.status(new Date(now.getTime() - wait)).open) {
      for (const id of await this.redis.zrange(this.keys.waiting, 0, -1)) {
        const h = await this.get(id);
        if (!h || Math.max(h.visibleAt, h.lastActivityAt) + wait > now.getTime()) continue;
        const r = await this.end(id, 'returned', 'unanswered', '', h.lastActivityAt, 'waiting', now).catch(ignoreDeskError);
        if (r) out.push(r);
      }
    }
    return out;
  }

  /** Records how a reply's delivery went (set by the caller that sent it). */
  async setDelivery(id: string, messageId: string, status: Exclude<DeliveryStatus, 'pending' | 'queued_for_template' | 'dropped'>): Promise<void> {
    const key = this.keys.delivery(id);
    if (!(await this.redis.hexists(key, messageId))) throw new DeskError('unknown_message', 'no such reply');
    const m = this.redis.multi().hset(key, messageId, status);
    if (status === 'unreachable') m.hset(this.keys.conversation(id), 'unreachable', '1');
    else if (status === 'sent') m.hdel(this.keys.conversation(id), 'unreachable');
    await m.exec();
  }

  /**
   * The desk's list: waiting (oldest first) and claimed conversations. No citizen text at all,
   * not even the bot turns (service and ticket only): reading words is `view`, which is audited.
   */
  async list(): Promise<{ waiting: Handover[]; claimed: Handover[] }> {
    const [waiting, claimed] = await Promise.all([this.redis.zrange(this.keys.waiting, 0, -1), this.redis.zrange(this.keys.claimed, 0, -1)]);
    const summary = ({ context: { turns: _turns, ...context }, ...h }: Handover): Handover => ({ ...h, context });
    const load = async (ids: string[]) => (await Promise.all(ids.map((i) => this.get(i)))).filter((h): h is Handover => h !== undefined).map(summary);
    return { waiting: await load(waiting), claimed: (await load(claimed)).sort((a, b) => a.openedAt - b.openedAt) };
  }

  /** A conversation with its transcript, for an officer; every call is written to the audit log. */
  async view(id: string, officer: string): Promise<ConversationView> {
    const handover = await this.get(id);
    if (!handover) throw new DeskError('unknown_conversation', 'no such conversation');
    await this.audit.record(id, officer, 'view');
    const [entries, delivery] = await Promise.all([this.redis.lrange(this.keys.messages(id), 0, -1), this.redis.hgetall(this.keys.delivery(id))]);
    const messages = entries.map((e) => {
      const m = JSON.parse(e) as DeskMessage;
      const d = delivery[m.id] as DeliveryStatus | undefined;
      return d ? { ...m, delivery: d } : m;
    });
    const remaining = this.windowRemaining(handover);
    return { handover, messages, ...(remaining === undefined ? {} : { windowRemainingMs: remaining }) };
  }

  /** Free-text time left on the conversation's channel (WhatsApp Cloud: 24 h after the citizen's last message). */
  windowRemaining(handover: Pick<Handover, 'channel' | 'lastInboundAt'>, now: Date = this.clock.now()): number | undefined {
    return windowRemaining(handover, now, this.opts.replyWindowsMs);
  }

  /**
   * The retention sweep's safety net (src/privacy/retention.ts): every key holding a citizen's
   * words or address gets back an expiry of `retentionSec` if it ever lost one.
   */
  retention(): Array<{ match: string; ttlSec: number }> {
    const ttlSec = this.opts.retentionSec;
    return ['conv', 'msgs', 'dlv', 'queued', 'held', 'cit'].map((kind) => ({ match: `${this.keys.base}:${kind}:*`, ttlSec }));
  }

  /** "Hapus data saya": deletes the citizen's conversations and transcripts (figures stay). Fits Forgetting's Eraser. */
  async erase(channel: string, userKey: string): Promise<number> {
    const subject = this.subjectOf(channel, userKey);
    const ids = await this.redis.smembers(this.keys.citizen(subject));
    const m = this.redis.multi();
    for (const id of ids) {
      m.del(this.keys.conversation(id), this.keys.messages(id), this.keys.delivery(id), this.keys.queued(id));
      m.zrem(this.keys.waiting, id).zrem(this.keys.claimed, id);
    }
    await m.del(this.keys.held(subject), this.keys.citizen(subject)).exec();
    return ids.length;
  }

  private async claimOp(id: string, mode: ClaimMode, officer: string, target?: string): Promise<Handover> {
    const now = this.clock.now();
    const note = this.entry('system', mode === 'transfer' ? 'transferred' : mode === 'claim' ? 'claimed' : 'released', now);
    const r = await this.scripts.claim({ id, mode, officer, ...(target ? { target } : {}), nowMs: now.getTime(), entry: JSON.stringify({ ...note, officer: target ?? officer }) });
    this.check(r.status, r.detail, ['ok']);
    return (await this.get(id))!;
  }

  private async end(id: string, outcome: 'returned' | 'closed', reason: '' | ReturnReason, by: string, cutoffMs: number, requiredState: '' | 'waiting' | 'claimed', now = this.clock.now()): Promise<EndResult | undefined> {
    const handover = await this.get(id);
    if (!handover) throw new DeskError('unknown_conversation', 'no such conversation');
    const note = this.entry('system', outcome === 'closed' ? 'closed' : `returned:${reason}`, now);
    const r = await this.scripts.end({ id, subject: handover.subject, outcome, reason, by, nowMs: now.getTime(), entry: JSON.stringify(by ? { ...note, officer: by } : note), cutoffMs, requiredState });
    if (r.status === 'moved') return undefined;
    this.check(r.status, r.detail, ['ok']);
    return { id, outcome, ...(reason ? { reason } : {}), address: { channel: r.channel, userKey: r.to }, locale: (r.locale || 'id') as Locale };
  }

  private check(status: string, detail: string | undefined, ok: string[]): void {
    if (ok.includes(status)) return;
    throw new DeskError(status as DeskErrorCode, `desk: ${status}`, status === 'claimed_by_other' ? detail : undefined);
  }

  private entry(from: DeskMessage['from'], text: string, now: Date): DeskMessage {
    return { id: 'm' + randomBytes(6).toString('hex'), from, text: from === 'system' ? text : maskPersonalData(text), at: now.getTime() };
  }

  private cleanContext(context: BotContext): BotContext {
    const turns = context.turns?.slice(-this.opts.contextTurns).map((t) => ({ from: t.from, text: maskPersonalData(t.text.slice(0, CONTEXT_TURN_MAX_CHARS)) }));
    return { ...context, ...(turns ? { turns } : {}) };
  }
}

/** The sweep lost a race with an officer or the citizen: that conversation is simply not swept. */
function ignoreDeskError(err: unknown): undefined {
  if (err instanceof DeskError) return undefined;
  throw err;
}
