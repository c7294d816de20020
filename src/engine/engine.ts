import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { pseudonym } from '../logger.js';
import type { ActionRegistry, EngineServices } from './action.js';
import { FlowError } from './flow-error.js';
import type { Flows } from './flow.js';
import type { Translator } from '../i18n.js';
import { KeyedQueue } from './keyed-queue.js';
import { isLocale, type IncomingMessage, type Locale, type OutgoingMessage, type TurnResult } from '../message.js';
import { PersonalParts } from './personal.js';
import type { SessionVars } from './session-vars.js';
import { SessionConflict, SessionStore } from './sessions.js';
import { SiteServices } from './site-services.js';
import { Turn, type TurnSetup } from './turn.js';
import { YesNo, globalWords, wordKey } from './words.js';

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

/** Turns of one citizen racing in two processes: retry with jitter until one wins. */
const MAX_CONFLICT_RETRIES = 10;

/**
 * The conversation engine: one per process, shared by every channel. It interprets `flows/`,
 * keeps sessions in Redis, and answers every message with at least one message, never throwing.
 */
export class Engine {
  private readonly queue = new KeyedQueue();
  private readonly setup: TurnSetup;
  /** What a group chat must never see (Telegram), derived from `personal: true` in flows/. */
  readonly personal: PersonalParts;

  constructor(private readonly opts: EngineOptions) {
    const { flows, actions, translator, services } = opts;
    this.setup = { flows, actions, translator, services, atSite: new SiteServices(services), words: globalWords(flows, translator), yesNo: new YesNo(translator) };
    this.personal = new PersonalParts(flows, actions, translator);
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
   * Puts a citizen's conversation into the state of an entry of flows/global.yaml and returns what
   * that state says: reminders and surveys use this, so a reply to the notice (a number, a
   * button) is understood in context.
   */
  push(channel: string, userKey: string, entry: string, vars: Partial<SessionVars>): Promise<OutgoingMessage[]> {
    const subject = SessionStore.subject(channel, userKey);
    const state = this.opts.flows.entries[entry];
    if (!state) return Promise.reject(new FlowError('unknown_entry', `no entry ${entry} in flows/global.yaml`));
    return this.queue.run(subject, async () => {
      const site = await this.noticeSite(vars);
      for (let attempt = 0; ; attempt++) {
        const now = this.opts.clock.now();
        const loaded = await this.opts.sessions.load(subject, now.getTime(), { countRate: false });
        Object.assign(loaded.session.vars, vars);
        // The notice is about its site's ticket: the reply ("batal", "otw") acts on that site's queue.
        if (site) loaded.session.vars.site = site;
        else if (!this.knownSite(loaded.session.vars.site)) delete loaded.session.vars.site;
        const turn = new Turn(this.setup, loaded.session, now, { channel, userKey });
        await turn.enter(state);
        try {
          await this.opts.sessions.save(subject, loaded.session, now.getTime());
          return turn.out;
        } catch (err) {
          if (err instanceof SessionConflict && attempt < MAX_CONFLICT_RETRIES) continue;
          throw err;
        }
      }
    });
  }

  /** The site a notice is about: the one it names, else the site that issued its ticket (several sites only). */
  private async noticeSite(vars: Partial<SessionVars>): Promise<string | undefined> {
    const sites = this.opts.services.sites;
    if (!sites?.several) return undefined;
    const named = this.knownSite(vars.site);
    if (named) return named;
    if (vars.ticket) return (await sites.ticket(vars.ticket))?.site.id;
    if (!vars.booking) return undefined;
    const held = await Promise.all(sites.list.map(async (site) => ((await site.bookings.get(vars.booking!)) ? site.id : undefined)));
    return held.find((id) => id !== undefined);
  }

  /** A site id of this deployment, or undefined (an unknown hint, a removed site, one-site deployments). */
  private knownSite(id: string | undefined): string | undefined {
    const sites = this.opts.services.sites;
    return sites?.several ? sites.get(id)?.id : undefined;
  }

  private async handleNow(subject: string, message: IncomingMessage): Promise<TurnResult> {
    const hinted: Locale = hintLocale(message.localeHint) ?? 'id';
    try {
      let before: OutgoingMessage[] = [];
      for (let attempt = 0; ; attempt++) {
        const now = this.opts.clock.now();
        const loaded = await this.opts.sessions.load(subject, now.getTime());
        if (loaded.recent > this.opts.ratePerMinute) {
          const locale = loaded.existing ? loaded.session.locale : hinted;
          // Answer a flood once, then stay quiet until the minute is over.
          const messages = loaded.recent === this.opts.ratePerMinute + 1 ? [{ text: this.opts.translator.t(locale, 'errors.rate_limited') }] : [];
          return { messages, locale, limited: true };
        }
        // The desk first (once: a retry after a session conflict must not log the message twice).
        if (attempt === 0) {
          const desk = await this.deskTurn(message);
          if (desk && 'held' in desk) return desk.held;
          before = desk?.before ?? [];
        }
        if (!loaded.existing) loaded.session.locale = hintLocale(message.localeHint) ?? loaded.session.locale;
        const hintedSite = this.knownSite(message.siteHint);
        const chosen = this.knownSite(loaded.session.vars.site) ?? this.knownSite(loaded.site);
        // A site hint (the page or deep link the citizen came from) counts only while none is chosen.
        const site = chosen ?? hintedSite;
        if (site) loaded.session.vars.site = site;
        else delete loaded.session.vars.site;
        const turn = new Turn(this.setup, loaded.session, now, { channel: message.channel, userKey: message.userKey });
        await turn.run(message, loaded.existing);
        try {
          if (turn.endSession) {
            await this.opts.sessions.delete(subject);
            return { messages: [...before, ...turn.out], locale: loaded.session.locale };
          }
          await this.opts.sessions.save(subject, loaded.session, now.getTime());
          if (turn.localeChanged) await this.opts.sessions.setLocale(subject, loaded.session.locale);
          const chosenSite = loaded.session.vars.site;
          if (chosenSite && chosenSite !== loaded.site && this.opts.services.sites?.several) await this.opts.sessions.setSite(subject, chosenSite);
          return { messages: [...before, ...turn.out], locale: loaded.session.locale };
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
      // The code (a FlowError's unknown_state, a Redis error's own) says which contract broke.
      const code = err instanceof Error && 'code' in err ? String(err.code) : undefined;
      this.opts.logger.error({ err, code, subject: pseudonym(subject), channel: message.channel }, 'turn failed');
      return { messages: [{ text: this.opts.translator.t(hinted, 'errors.unavailable') }], locale: hinted };
    }
  }

  /**
   * While the help desk holds a citizen the assistant says nothing: their message goes to the
   * officer, and only officer replies held for the WhatsApp window come back (the citizen just
   * reopened it). "menu" / "batal" hands them back, and the turn then runs as usual. Pushes
   * (reminders, queue notices) do not pass here, so they still arrive.
   */
  private async deskTurn(message: IncomingMessage): Promise<{ held: TurnResult } | { before: OutgoingMessage[] } | undefined> {
    const desk = this.opts.services.desk;
    const citizen = { channel: message.channel, userKey: message.userKey };
    if (!desk || !(await desk.isHeld(citizen))) return undefined;
    const word = message.text ? this.setup.words.get(wordKey(message.text)) : undefined;
    if (word === 'menu' || word === 'cancel' || message.choice === 'menu') {
      const ended = await desk.handBackByCitizen(citizen);
      return { before: ended ? [{ text: this.opts.translator.t(ended.locale, 'desk.handover.returned_by_citizen') }] : [] };
    }
    const r = await desk.citizenMessage(citizen, message.text ?? message.choice ?? '');
    if (!r) return undefined;
    // Returned as this turn's answer, inside the window the citizen's message just opened.
    for (const held of r.release) await desk.setDelivery(r.handover.id, held.id, 'sent');
    return { held: { messages: r.release.map((m) => ({ text: m.text })), locale: r.handover.locale } };
  }
}

function hintLocale(hint: string | undefined): Locale | undefined {
  if (!hint) return undefined;
  const base = hint.toLowerCase().split(/[-_]/)[0];
  if (base === 'in' || base === 'ms') return 'id';
  return isLocale(base) ? base : base ? 'en' : undefined;
}
