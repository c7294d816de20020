import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { cleanText } from '../catalogue/normalise.js';
import { pseudonym } from '../logger.js';
import type { ActionContext, ActionRegistry, ActionResult, EngineServices } from './action.js';
import { START_STATE, type Flows } from './flow.js';
import type { Translator } from '../i18n.js';
import { KeyedQueue } from './keyed-queue.js';
import { MAX_CHOICE_ID_BYTES, MAX_TEXT_CHARS, isLocale, type Choice, type IncomingMessage, type Locale, type OutgoingMessage, type TurnResult } from '../message.js';
import { SessionConflict, SessionStore, type Session } from './sessions.js';

export interface EngineOptions {
  flows: Flows;
  actions: ActionRegistry;
  translator: Translator;
  sessions: SessionStore;
  services: EngineServices;
  clock: Clock;
  logger: Logger;
  /** Messages per minute per citizen before a polite slow-down. */
  ratePerMinute: number;
  /** Called after every turn (metrics). */
  onTurn?: (channel: string, ms: number, messagesOut: number) => void;
}

type GlobalWord = 'menu' | 'back' | 'cancel' | 'help' | 'language' | 'greeting' | 'take_ticket' | 'ticket_status' | 'cancel_ticket' | 'forget';
const GLOBAL_WORDS: GlobalWord[] = ['menu', 'back', 'cancel', 'help', 'language', 'greeting', 'take_ticket', 'ticket_status', 'cancel_ticket', 'forget'];
const MAX_HISTORY = 10;
const MAX_REDIRECTS = 6;
/** Turns of one citizen racing in two processes: retry with jitter until one wins. */
const MAX_CONFLICT_RETRIES = 10;

/**
 * The conversation engine: one per process, shared by every channel. It interprets `flows/`,
 * keeps sessions in Redis, and answers every message with at least one message, never throwing.
 */
export class Engine {
  private readonly queue = new KeyedQueue();
  private readonly globalWords = new Map<string, GlobalWord>();

  constructor(private readonly opts: EngineOptions) {
    for (const locale of ['id', 'en'] as const) {
      for (const word of GLOBAL_WORDS) {
        for (const phrase of opts.translator.list(locale, `keywords.${word}`)) this.globalWords.set(wordKey(phrase), word);
      }
    }
  }

  /** Handles one message; messages of one citizen run in arrival order. */
  handle(message: IncomingMessage): Promise<TurnResult> {
    const subject = SessionStore.subject(message.channel, message.userKey);
    const started = performance.now();
    return this.queue.run(subject, async () => {
      const result = await this.handleNow(subject, message);
      this.opts.onTurn?.(message.channel, performance.now() - started, result.messages.length);
      return result;
    });
  }

  /**
   * Puts a citizen's conversation into a state and returns what that state says: reminders and
   * surveys use this, so a reply to the notice (a number, a button) is understood in context.
   */
  push(channel: string, userKey: string, state: string, vars: Record<string, string>): Promise<OutgoingMessage[]> {
    const subject = SessionStore.subject(channel, userKey);
    return this.queue.run(subject, async () => {
      for (let attempt = 0; ; attempt++) {
        const now = this.opts.clock.now();
        const loaded = await this.opts.sessions.load(subject, now.getTime(), { countRate: false });
        Object.assign(loaded.session.vars, vars);
        const turn = new Turn(this.opts, loaded.session, now, this.globalWords, { channel, userKey });
        await turn.enter(state);
        try {
          await this.opts.sessions.save(subject, loaded.session);
          return turn.out;
        } catch (err) {
          if (err instanceof SessionConflict && attempt < MAX_CONFLICT_RETRIES) continue;
          throw err;
        }
      }
    });
  }

  private async handleNow(subject: string, message: IncomingMessage): Promise<TurnResult> {
    const hinted: Locale = hintLocale(message.localeHint) ?? 'id';
    try {
      for (let attempt = 0; ; attempt++) {
        const now = this.opts.clock.now();
        const loaded = await this.opts.sessions.load(subject, now.getTime());
        if (loaded.recent > this.opts.ratePerMinute) {
          const locale = loaded.existing ? loaded.session.locale : hinted;
          // Answer a flood once, then stay quiet until the minute is over.
          const messages = loaded.recent === this.opts.ratePerMinute + 1 ? [{ text: this.opts.translator.t(locale, 'errors.rate_limited') }] : [];
          return { messages, locale, limited: true };
        }
        if (!loaded.existing) loaded.session.locale = hintLocale(message.localeHint) ?? loaded.session.locale;
        const turn = new Turn(this.opts, loaded.session, now, this.globalWords, { channel: message.channel, userKey: message.userKey });
        await turn.run(message, loaded.existing);
        try {
          if (turn.endSession) {
            await this.opts.sessions.delete(subject);
            return { messages: turn.out, locale: loaded.session.locale };
          }
          await this.opts.sessions.save(subject, loaded.session);
          if (turn.localeChanged) await this.opts.sessions.setLocale(subject, loaded.session.locale);
          return { messages: turn.out, locale: loaded.session.locale };
        } catch (err) {
          // Another process handled a message of the same citizen meanwhile: redo on fresh state.
          if (err instanceof SessionConflict && attempt < MAX_CONFLICT_RETRIES) {
            await new Promise((r) => setTimeout(r, Math.random() * 10 * (attempt + 1)));
            continue;
          }
          throw err;
        }
      }
    } catch (err) {
      this.opts.logger.error({ err, subject: pseudonym(subject), channel: message.channel }, 'turn failed');
      return { messages: [{ text: this.opts.translator.t(hinted, 'errors.unavailable') }], locale: hinted };
    }
  }

}

/** One message's worth of work on a session. */
class Turn {
  readonly out: OutgoingMessage[] = [];
  localeChanged = false;
  endSession = false;

  constructor(
    private readonly opts: EngineOptions,
    private readonly session: Session,
    private readonly now: Date,
    private readonly words: Map<string, GlobalWord>,
    private readonly citizen: { channel: string; userKey: string },
  ) {}

  /** Shows a state as the next message (pushes from reminders). */
  enter(stateId: string): Promise<void> {
    return this.go(stateId, { history: false });
  }

  async run(message: IncomingMessage, existing: boolean): Promise<void> {
    const text = sanitize(message.text);
    const choice = typeof message.choice === 'string' ? message.choice : undefined;
    const word = text ? this.words.get(wordKey(text)) : undefined;

    if (!existing || !this.opts.flows.states.has(this.session.state)) {
      this.session.state = START_STATE;
      this.session.history = [];
      this.say(this.t('greeting.welcome', { mpp: this.opts.services.catalogue.mpp.name }));
      if (choice !== undefined) this.say(this.t('common.expired'));
      if (!text) return this.go(START_STATE, { history: false });
      if (word) return this.globalWord(word);
    } else if (choice !== undefined) {
      return this.pick(choice);
    }
    if (!text) {
      this.say(this.t('common.empty'));
      return this.go(this.session.state, { history: false });
    }
    if (word) return this.globalWord(word);
    const offered = this.offeredByText(text);
    if (offered) return this.pick(offered);
    const state = this.state();
    return this.apply(await this.act(state.on_text ?? 'answerText', { text }));
  }

  private async globalWord(word: GlobalWord): Promise<void> {
    switch (word) {
      case 'menu':
      case 'greeting':
        return this.go(START_STATE, { history: false, reset: true });
      case 'cancel':
        if (this.state().step) this.say(this.t('common.cancelled'));
        return this.go(START_STATE, { history: false, reset: true });
      case 'back': {
        const target = this.state().back ?? this.session.history.pop() ?? START_STATE;
        return this.go(target, { history: false });
      }
      case 'help':
        return this.go('help');
      case 'language':
        return this.go('language');
      case 'take_ticket':
        return this.go('ticket-take');
      case 'ticket_status':
        return this.go('ticket-status');
      case 'cancel_ticket':
        return this.go('ticket-cancel');
      case 'forget':
        return this.go('privacy-forget');
    }
  }

  /** A choice id: one the last message offered, or a stale button from an older one. */
  private async pick(choiceId: string): Promise<void> {
    const valid = choiceId.length > 0 && Buffer.byteLength(choiceId) <= MAX_CHOICE_ID_BYTES;
    const offered = valid && this.session.offered.some((c) => c.startsWith(choiceId + '\u0000'));
    if (!offered) {
      this.say(this.t('common.stale'));
      return this.go(this.session.state, { history: false });
    }
    const state = this.state();
    const fixed = state.choices.find((c) => c.id === choiceId);
    if (fixed?.action) return this.apply(await this.act(fixed.action, { choice: choiceId }));
    if (fixed?.goto) return this.go(fixed.goto);
    if (state.on_choice) return this.apply(await this.act(state.on_choice, { choice: choiceId }));
    this.say(this.t('common.stale'));
    return this.go(this.session.state, { history: false });
  }

  /** "2" or the words of an offered option count as picking it. */
  private offeredByText(text: string): string | undefined {
    const offered = this.session.offered.map((c) => c.split('\u0000') as [string, string]);
    const n = /^\d{1,2}$/.test(text.trim()) ? Number(text.trim()) : NaN;
    if (n >= 1 && n <= offered.length) return offered[n - 1]![0];
    const wanted = cleanText(text);
    return offered.find(([, label]) => cleanText(label) === wanted)?.[0];
  }

  private async go(stateId: string, opts: { history?: boolean; reset?: boolean } = {}, depth = 0): Promise<void> {
    if (depth > MAX_REDIRECTS) throw new Error(`redirect loop at state ${stateId}`);
    const state = this.opts.flows.states.get(stateId);
    if (!state) throw new Error(`unknown state ${stateId}`);
    if (opts.reset) this.session.history = [];
    else if (opts.history !== false && this.session.state && this.session.state !== stateId) {
      this.session.history = [...this.session.history, this.session.state].slice(-MAX_HISTORY);
    }
    this.session.state = stateId;
    const result: ActionResult = state.enter ? await this.act(state.enter, {}) : {};
    this.out.push(...(result.before ?? []));
    if (result.goto) return this.go(result.goto, { history: false }, depth + 1);
    const text = result.text ?? (state.prompt ? this.t(state.prompt) : undefined);
    this.offer(text ?? this.t('common.choose'), this.choicesFor(stateId, result), result);
  }

  /** Shows an action's result: its text (or the state again), or moves on. */
  private async apply(result: ActionResult): Promise<void> {
    if (result.endSession) this.endSession = true;
    this.out.push(...(result.before ?? []));
    if (result.goto) return this.go(result.goto);
    if (result.text) return this.offer(result.text, this.choicesFor(this.session.state, result), result);
    return this.go(this.session.state, { history: false });
  }

  private offer(text: string, choices: Choice[], result: ActionResult): void {
    this.session.offered = choices.map((c) => `${c.id}\u0000${c.label}`);
    this.out.push({ text, ...(choices.length ? { choices } : {}), ...(result.card ? { card: result.card } : {}) });
  }

  /** The action's own choices, then the state's fixed ones (those it asked to show). */
  private choicesFor(stateId: string, result: ActionResult): Choice[] {
    const fixed = (this.opts.flows.states.get(stateId)?.choices ?? []).filter((c) => !result.show || result.show.includes(c.id));
    return [...(result.choices ?? []), ...fixed.map((c) => ({ id: c.id, label: this.t(c.label) }))];
  }

  private act(name: string, input: { text?: string; choice?: string }): ActionResult | Promise<ActionResult> {
    const action = this.opts.actions[name];
    if (!action) throw new Error(`action ${name} is not registered`);
    const ctx: ActionContext = {
      session: this.session,
      locale: this.session.locale,
      ...input,
      now: this.now,
      citizen: this.citizen,
      t: (key, params) => this.t(key, params),
      list: (key) => (this.session.locale === 'id' ? this.opts.translator.list('id', key) : [...this.opts.translator.list(this.session.locale, key), ...this.opts.translator.list('id', key)]),
      services: this.opts.services,
      setLocale: (locale) => {
        this.session.locale = locale;
        this.localeChanged = true;
      },
    };
    return action(ctx);
  }

  private state() {
    return this.opts.flows.states.get(this.session.state) ?? this.opts.flows.states.get(START_STATE)!;
  }

  private say(text: string): void {
    this.out.push({ text });
  }

  private t(key: string, params?: Record<string, unknown>): string {
    return this.opts.translator.t(this.session.locale, key, params);
  }
}

/** Commands keep their slash ("/batal", "/batal@mpp_bot" from Telegram groups); other words are cleaned. */
function wordKey(text: string): string {
  const command = /^\/([a-z_]+)(@\w+)?$/i.exec(text.trim());
  return command ? `/${command[1]!.toLowerCase()}` : cleanText(text);
}

/** Drops control characters and cuts very long text; returns undefined when nothing is left. */
export function sanitize(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  const cleaned = text.slice(0, MAX_TEXT_CHARS).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\ufeff]/g, ' ').trim();
  return cleaned ? cleaned : undefined;
}

function hintLocale(hint: string | undefined): Locale | undefined {
  if (!hint) return undefined;
  const base = hint.toLowerCase().split(/[-_]/)[0];
  if (base === 'in' || base === 'ms') return 'id';
  return isLocale(base) ? base : base ? 'en' : undefined;
}
