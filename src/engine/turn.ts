import { cleanText } from '../catalogue/normalise.js';
import type { ActionContext, ActionResult, EngineServices } from './action.js';
import type { ActionRegistry } from './action.js';
import { FlowError } from './flow-error.js';
import type { FlowChoice, FlowState, Flows } from './flow.js';
import type { Translator } from '../i18n.js';
import { MAX_CHOICE_ID_BYTES, MAX_TEXT_CHARS, locales, type Choice, type IncomingMessage, type OutgoingMessage } from '../message.js';
import { decodePayload, type Payload } from './payload.js';
import type { Session } from './sessions.js';
import type { Understanding } from '../understanding/index.js';
import { BACK_WORD, CANCEL_WORD, wordKey, type YesNo } from './words.js';
import type { SiteServices } from './site-services.js';
import { offers, siteLabel } from '../catalogue/sites.js';

/** Most words of an option's name typed to pick it ("yg perpanjangan skck"); longer text is a question. */
const MAX_PICK_WORDS = 3;

const MAX_HISTORY = 10;
const MAX_REDIRECTS = 6;

/** What a turn needs from the engine, read-only. */
export interface TurnSetup {
  flows: Flows;
  actions: ActionRegistry;
  translator: Translator;
  services: EngineServices;
  /** The services as one MPP site sees them (the session's `vars.site`). */
  atSite: SiteServices;
  /** Phrase -> global word. */
  words: Map<string, string>;
  yesNo: YesNo;
}

/** Where an action was run from: its outcomes are looked up in the choice's `on`, then the state's, then global.yaml's. */
interface Scope {
  state: FlowState;
  choice?: FlowChoice;
}

/** One message's worth of work on a session. */
export class Turn {
  readonly out: OutgoingMessage[] = [];
  localeChanged = false;
  endSession = false;
  /** The text's meaning, read once at the start of a text turn. */
  private understood: Understanding | undefined;

  constructor(
    private readonly setup: TurnSetup,
    private readonly session: Session,
    private readonly now: Date,
    private readonly citizen: { channel: string; userKey: string },
  ) {}

  /** Shows a state as the next message (pushes from reminders). */
  enter(stateId: string): Promise<void> {
    return this.go(stateId, { history: false });
  }

  async run(message: IncomingMessage, existing: boolean): Promise<void> {
    const { flows } = this.setup;
    const text = sanitize(message.text);
    const choice = typeof message.choice === 'string' ? message.choice : undefined;
    const word = text ? this.setup.words.get(wordKey(text)) : undefined;
    if (text) this.understand(text);

    if (!existing || !flows.states.has(this.session.state)) {
      this.session.state = flows.start;
      this.session.history = [];
      this.say(this.t('greeting.welcome', { mpp: this.services().catalogue.mpp.name }));
      if (choice !== undefined) this.say(this.t('common.expired'));
      if (!text) return this.go(flows.start, { history: false });
      if (word) return this.globalWord(word);
    } else if (choice !== undefined) {
      return this.pick(choice);
    }
    if (!text) {
      this.say(this.t('common.empty'));
      return this.go(this.session.state, { history: false });
    }
    // A choice's own words ("ya saya lansia" at the take step) come before a plain yes/no.
    const worded = this.choiceByWords(text);
    if (worded) return this.pick(worded);
    // A step's own yes/no comes before the global words: "ga jadi" at "Yakin membatalkan?" is its no.
    const answer = this.yesOrNo(text);
    if (answer) return this.pick(answer);
    if (word) return this.globalWord(word);
    const offered = this.offeredByText(text);
    if (offered) return this.pick(offered);
    const state = this.state();
    return this.apply(await this.act(state.on_text ?? flows.text, { text }, { state }));
  }

  /**
   * Reads the text once: the reply follows the language the citizen writes in (a short English
   * message with no locale hint gets English); an explicit "in english please" is remembered.
   */
  private understand(text: string): void {
    const understander = this.setup.services.understander;
    if (!understander) return;
    // Follow-ups are about the card's service, or about the candidates of an ambiguous answer.
    const service = this.session.vars.service ?? this.session.vars.results?.[0];
    // A site named in the text is the actions' business (site-words.ts); the rest is what to read.
    const sites = this.setup.services.sites;
    const normaliser = this.setup.services.search.plainNormaliser;
    const { translator } = this.setup;
    const leading = () => new Set([...translator.list('id', 'sites.filler_words'), ...translator.list('en', 'sites.filler_words')].flatMap((w) => normaliser.tokens(w)));
    const named = sites?.several ? sites.strip(text, normaliser, leading()) : undefined;
    this.understood = understander.understand(named?.rest || text, {
      now: this.now,
      locale: this.session.locale,
      timeZone: this.services().catalogue.mpp.timezone,
      ...(service ? { serviceId: service } : {}),
    });
    this.session.locale = this.understood.language;
  }

  private async globalWord(word: string): Promise<void> {
    const { flows } = this.setup;
    if (word === BACK_WORD) return this.go(this.state().back ?? this.previous() ?? flows.start, { history: false });
    if (word === CANCEL_WORD && this.state().step) this.say(this.t('common.cancelled'));
    const target = flows.words[word] ?? flows.start;
    // The start state is a fresh beginning: "kembali" from there leads nowhere older.
    return target === flows.start ? this.go(target, { history: false, reset: true }) : this.go(target);
  }

  /** The last state visited that still exists (a session may outlive a rename in flows/). */
  private previous(): string | undefined {
    let id: string | undefined;
    while ((id = this.session.history.pop()) !== undefined) if (this.setup.flows.states.has(id)) return id;
    return undefined;
  }

  /**
   * A choice id: one the last message offered, one of the last service card's (its buttons stay
   * valid after a follow-up answer or a not-found), or a stale button from an older message.
   */
  private async pick(choiceId: string): Promise<void> {
    const valid = choiceId.length > 0 && Buffer.byteLength(choiceId) <= MAX_CHOICE_ID_BYTES;
    const has = (list: string[]) => list.some((c) => c.startsWith(choiceId + '\u0000'));
    let offered = valid && has(this.session.offered);
    const card = this.session.card;
    if (valid && !offered && card && has(card.offered) && this.setup.flows.states.has(card.state)) {
      this.session.state = card.state;
      offered = true;
    }
    const state = this.state();
    if (offered) {
      const fixed = state.choices.find((c) => c.id === choiceId);
      const payload = decodePayload(choiceId);
      if (fixed?.action) return this.apply(await this.act(fixed.action, this.accepted(fixed.action, payload), { state, choice: fixed }));
      if (fixed?.goto) return this.go(fixed.goto);
      const input = state.on_choice && payload ? this.accepted(state.on_choice, payload) : {};
      if (state.on_choice && input.payload) return this.apply(await this.act(state.on_choice, input, { state }));
    }
    this.say(this.t('common.stale'));
    return this.go(this.session.state, { history: false });
  }

  /** The payload, when the action takes its kind. */
  private accepted(action: string, payload: Payload | undefined): { payload?: Payload } {
    return payload && this.action(action).accepts.includes(payload.kind) ? { payload } : {};
  }

  /** "2" or the words of an offered option count as picking it. */
  private offeredByText(text: string): string | undefined {
    const offered = this.session.offered.map((c) => c.split('\u0000') as [string, string]);
    // "2", "2.", "yg 2", "pilih nomor 2", "yang kedua": the numbered option (WhatsApp shows choices as a numbered list).
    const n = this.setup.yesNo.pickedNumber(text) ?? NaN;
    if (n >= 1 && n <= offered.length) return offered[n - 1]![0];
    const wanted = cleanText(text);
    const exact = offered.find(([, label]) => cleanText(label) === wanted)?.[0];
    if (exact) return exact;
    // "yg baru" among "SKCK baru | Perpanjangan SKCK": a part of the name of exactly one listed
    // option (options the last message listed, not the fixed buttons such as "Menu utama").
    const words = wanted.split(' ').filter((w) => w && !this.setup.yesNo.isFiller(w));
    if (words.length === 0 || words.length > MAX_PICK_WORDS) return undefined;
    const hits = offered.filter(([id, label]) => decodePayload(id) !== undefined && words.every((w) => cleanText(label).split(' ').includes(w)));
    return hits.length === 1 ? hits[0]![0] : undefined;
  }

  /** An offered choice whose `words` (a locale list, every locale) the text holds as whole words, unless the text negates. */
  private choiceByWords(text: string): string | undefined {
    const worded = this.state().choices.filter((c) => c.words && this.session.offered.some((o) => o.startsWith(c.id + '\u0000')));
    if (worded.length === 0 || this.setup.yesNo.negates(text)) return undefined;
    const padded = ` ${cleanText(text)} `;
    const { translator } = this.setup;
    return worded.find((c) => locales.some((l) => translator.list(l, c.words!).some((w) => padded.includes(` ${cleanText(w)} `))))?.id;
  }

  /** A short "ya" / "tidak" picks the state's `yes` / `no` choice, when it was offered. */
  private yesOrNo(text: string): string | undefined {
    const state = this.state();
    if (!state.yes && !state.no) return undefined;
    const answer = this.setup.yesNo.read(text);
    const id = answer === 'yes' ? state.yes : answer === 'no' ? state.no : undefined;
    return id && this.session.offered.some((c) => c.startsWith(id + '\u0000')) ? id : undefined;
  }

  private async go(stateId: string, opts: { history?: boolean; reset?: boolean } = {}, depth = 0): Promise<void> {
    if (depth > MAX_REDIRECTS) throw new FlowError('redirect_loop', `redirect loop at state ${stateId}`);
    const state = this.setup.flows.states.get(stateId);
    if (!state) throw new FlowError('unknown_state', `unknown state ${stateId}`);
    const askFirst = await this.siteFirst(stateId, state);
    if (askFirst) return this.go(askFirst, opts, depth + 1);
    if (opts.reset) {
      this.session.history = [];
      delete this.session.vars.sitePending;
      // A fresh start forgets the service in context and the card's buttons.
      delete this.session.card;
      delete this.session.vars.service;
      delete this.session.vars.results;
      delete this.session.vars.topic;
      delete this.session.vars.visitServices;
      delete this.session.vars.visitAdding;
    }
    else if (opts.history !== false && this.session.state && this.session.state !== stateId) {
      this.session.history = [...this.session.history, this.session.state].slice(-MAX_HISTORY);
    }
    this.session.state = stateId;
    const result: ActionResult = state.enter ? await this.act(state.enter, {}, { state }) : {};
    this.out.push(...(result.before ?? []));
    if (result.outcome) return this.go(this.target(result.outcome, { state }), { history: false }, depth + 1);
    const text = result.text ?? (state.prompt ? this.t(state.prompt) : undefined);
    this.offer(text ?? this.t('common.choose'), this.choicesFor(state, result), result);
  }

  /** Shows an action's result: its text (or the state again), or moves to the state its outcome maps to. */
  private async apply(result: ActionResult & { scope?: Scope }): Promise<void> {
    if (result.endSession) this.endSession = true;
    this.out.push(...(result.before ?? []));
    if (result.resume) return this.resume();
    if (result.outcome) return this.go(this.target(result.outcome, result.scope ?? { state: this.state() }));
    if (result.text && result.keepOffered) return this.offer(result.text, [...(result.choices ?? []), ...this.lastOffered()], result);
    if (result.text) return this.offer(result.text, this.choicesFor(this.state(), result), result);
    return this.go(this.session.state, { history: false });
  }

  /** The services of the session's MPP site (the deployment's own without one). */
  private services(): EngineServices {
    return this.setup.atSite.at(this.session.vars.site);
  }

  /**
   * "Di MPP mana?": the state to show first when `state`'s answer differs between sites and no
   * site fits yet (none chosen, or the chosen one does not offer the service). A service offered
   * at one site only needs no question: that site is used, and the citizen is told.
   */
  private async siteFirst(stateId: string, state: FlowState): Promise<string | undefined> {
    const sites = this.setup.services.sites;
    if (!state.site || !sites?.several) return undefined;
    const { vars } = this.session;
    const chosen = sites.get(vars.site);
    // "Antrean saya" with no MPP chosen: the site of the citizen's tickets today, never a question
    // (the others' tickets are named on the answer); none anywhere: the answer says so.
    if (state.site === 'held') {
      if (chosen) return undefined;
      const { channel, userKey } = this.citizen;
      const holding = await Promise.all(sites.list.map(async (s) => ((await s.queue.activeTickets(channel, userKey)).length > 0 ? s : undefined)));
      const first = holding.find((s) => s !== undefined);
      if (first) vars.site = first.id;
      return undefined;
    }
    // The service in context (or every service of the visit plan); none yet: the step asks for one first.
    if (state.site === 'visit-chosen' && !chosen) return undefined;
    const wanted = state.site === 'service' ? (vars.service ? [vars.service] : []) : state.site !== 'mpp' ? (vars.visitServices ?? []) : [];
    if (state.site !== 'mpp' && wanted.length === 0) return undefined;
    const service = wanted.length === 1 ? wanted[0] : undefined;
    const offering = sites.list.filter((s) => wanted.every((id) => offers(s.mpp, id)));
    if (offering.length === 0 || (chosen && offering.includes(chosen))) return undefined;
    if (offering.length === 1) {
      vars.site = offering[0]!.id;
      // A plan names the services the chosen site lacks: "this service" would not say which one.
      const missing = chosen && wanted.length > 1 ? wanted.filter((id) => !offers(chosen.mpp, id)).map((id) => this.services().catalogue.services.get(id)?.name[this.session.locale] ?? id) : [];
      if (missing.length) this.say(this.t('sites.not_at_moved_named', { services: missing.join(', '), site: siteLabel(offering[0]!.mpp), chosen: siteLabel(chosen!.mpp) }));
      else this.say(this.t(chosen ? 'sites.not_at_moved' : 'sites.only_at', { site: siteLabel(offering[0]!.mpp), chosen: chosen ? siteLabel(chosen.mpp) : '' }));
      return undefined;
    }
    const entry = this.setup.flows.entries.site_pick;
    if (!entry || entry === stateId) return undefined;
    vars.sitePending = { state: stateId, ...(service ? { service } : {}) };
    return entry;
  }

  /** The flags a state's enter action would give (which of its fixed choices show). */
  private async flagsOf(state: FlowState): Promise<readonly string[] | undefined> {
    return state.enter ? (await this.act(state.enter, {}, { state })).flags : undefined;
  }

  /** After a site was chosen: the state or the question that waited for it, else the start. */
  private async resume(): Promise<void> {
    const pending = this.session.vars.sitePending;
    delete this.session.vars.sitePending;
    if (pending?.text) {
      this.understand(pending.text);
      const result = await this.act(this.setup.flows.text, { text: pending.text }, { state: this.state() });
      // An answer given in place keeps the last buttons, which were the sites: the menu's instead.
      if (!result.keepOffered || !result.text) return this.apply(result);
      this.out.push(...(result.before ?? []));
      this.session.state = this.setup.flows.start;
      return this.offer(result.text, this.choicesFor(this.state(), { flags: await this.flagsOf(this.state()) }), {});
    }
    if (pending?.state && this.setup.flows.states.has(pending.state)) return this.go(pending.state, { history: false });
    return this.go(this.setup.flows.start, { history: false, reset: true });
  }

  private target(outcome: string, scope: Scope): string {
    const target = scope.choice?.on[outcome] ?? scope.state.on[outcome] ?? this.setup.flows.on[outcome];
    if (!target) throw new FlowError('unmapped_outcome', `outcome ${outcome} is not mapped in state ${this.session.state}`);
    return target;
  }

  /** The choices of the last message, as it offered them (deduplicated against new ones by the caller's order). */
  private lastOffered(): Choice[] {
    return this.session.offered.map((c) => {
      const [id, label] = c.split('\u0000') as [string, string];
      return { id, label };
    });
  }

  private offer(text: string, choices: Choice[], result: ActionResult): void {
    const seen = new Set<string>();
    choices = choices.filter((c) => !seen.has(c.id) && seen.add(c.id));
    this.session.offered = choices.map((c) => `${c.id}\u0000${c.label}`);
    if (result.card?.kind === 'service') this.session.card = { state: this.session.state, offered: this.session.offered };
    this.out.push({ text, ...(choices.length ? { choices } : {}), ...(result.card ? { card: result.card } : {}) });
  }

  /** The action's own choices, then the state's fixed ones: all, or with flags only those whose `when` holds. */
  private choicesFor(state: FlowState, result: ActionResult): Choice[] {
    const fixed = state.choices.filter((c) => !c.when || !result.flags || result.flags.includes(c.when));
    return [...(result.choices ?? []), ...fixed.map((c) => ({ id: c.id, label: this.t(c.label) }))];
  }

  private async act(name: string, input: { text?: string; payload?: Payload }, scope: Scope): Promise<ActionResult & { scope: Scope }> {
    const ctx: ActionContext = {
      session: this.session,
      locale: this.session.locale,
      ...input,
      ...(input.text !== undefined && this.understood ? { understood: this.understood } : {}),
      now: this.now,
      citizen: this.citizen,
      t: (key, params) => this.t(key, params),
      list: (key) => {
        const { translator } = this.setup;
        return this.session.locale === 'id' ? translator.list('id', key) : [...translator.list(this.session.locale, key), ...translator.list('id', key)];
      },
      services: this.services(),
      setLocale: (locale) => {
        this.session.locale = locale;
        this.localeChanged = true;
      },
    };
    return { ...(await this.action(name).run(ctx)), scope };
  }

  private action(name: string) {
    const action = this.setup.actions[name];
    if (!action) throw new FlowError('unknown_action', `action ${name} is not registered`);
    return action;
  }

  private state(): FlowState {
    return this.setup.flows.states.get(this.session.state) ?? this.setup.flows.states.get(this.setup.flows.start)!;
  }

  private say(text: string): void {
    this.out.push({ text });
  }

  private t(key: string, params?: Record<string, unknown>): string {
    return this.setup.translator.t(this.session.locale, key, params);
  }
}

/** Drops control characters and cuts very long text; returns undefined when nothing is left. */
export function sanitize(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  const cleaned = text.slice(0, MAX_TEXT_CHARS).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\ufeff]/g, ' ').trim();
  return cleaned ? cleaned : undefined;
}
