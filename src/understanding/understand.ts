import type { SearchOutcome, ServiceSearch } from '../catalogue/search.js';
import { ChatterStripper } from './chatter.js';
import { LanguageDetector } from './language.js';
import type { UnderstandingData } from './load.js';
import { NotHereMatcher } from './not-here.js';
import { PhraseSet, without, type PhraseHit } from './phrases.js';
import { followUpTopics, type FollowUpTopic, type IntentName, type NotHereEntry } from './schema.js';
import { ServiceSplitter, type ServiceRelations } from './split.js';
import type { Intent, MppTopic, Understanding, UnderstandContext } from './types.js';
import { WhenParser } from './when.js';

/** Single words of politeness that may ride along a short yes/no ("iya kak", "ga usah min"). */
const POLITE = ['kak', 'kakak', 'min', 'mimin', 'admin', 'pak', 'bu', 'mas', 'mbak', 'dong', 'deh', 'sih', 'ya', 'yah', 'aja', 'saja', 'please', 'sir', 'maam'];
/** Search score (0 best) under which the rest of a message counts as naming a service. */
const NAMED_MAX_SCORE = 0.15;
const MPP_TOPICS: MppTopic[] = ['hours', 'address', 'facilities', 'contact'];
/** Intents looked at before services, strongest first; the rest come after. */
const EARLY: IntentName[] = ['ticket_cancel', 'pickup_status', 'kiosk_ticket', 'ticket_take', 'ticket_status'];
/** Words before the take words that say the ticket was taken already ("udah ambil nomor"): no new ticket. */
const PAST = new Set(['sudah', 'telah', 'tadi', 'already']);
/** The queue verb alone (content/intents.yaml lists it as `^antri`): a request only with a service after it. */
const BARE_TAKE = ['antri', 'antre', 'ngantri', 'ngantre'];
/** Intents that yield to a service named in the same message ("admin, syarat ktp apa"). */
const SOCIAL: IntentName[] = ['complaint', 'human', 'insult', 'frustration', 'small_talk'];
/** Openers and closers: only the message when nothing else is in it. */
const COURTESY: IntentName[] = ['thanks', 'greeting'];

/**
 * The understanding layer: what a citizen's message asks for, beyond a single service name.
 * Pure: phrase data in, typed intents out; the catalogue search is passed in and only read.
 */
export class Understander {
  private readonly intentSets = new Map<IntentName, PhraseSet>();
  private readonly topicSets = new Map<FollowUpTopic, PhraseSet>();
  private readonly yes: PhraseSet;
  private readonly no: PhraseSet;
  private readonly polite: RegExp;
  private readonly notHere: NotHereMatcher;
  private readonly chatter: ChatterStripper;
  private readonly splitter: ServiceSplitter;
  private readonly language: LanguageDetector;
  private readonly when: WhenParser;
  private readonly bareTake: Set<string>;
  private readonly notHereEntries: Map<string, NotHereEntry>;
  private readonly categorySets: Array<[string, PhraseSet]>;

  constructor(
    data: UnderstandingData,
    private readonly search: ServiceSearch,
    /** Visit links and agencies of services (split.ts serviceRelations), to tell variants apart in a list. */
    private readonly relations?: ServiceRelations,
  ) {
    const n = search.plainNormaliser;
    const both = (l: { id: string[]; en: string[] }) => [...l.id, ...l.en];
    for (const [name, lists] of Object.entries(data.intents.intents) as Array<[IntentName, { id: string[]; en: string[] }]>) this.intentSets.set(name, new PhraseSet(both(lists), n));
    for (const topic of followUpTopics) this.topicSets.set(topic, new PhraseSet(both(data.intents.follow_up[topic]), n));
    const anchored = (l: { id: string[]; en: string[] }) => both(l).map((p) => `^${p}$`);
    this.yes = new PhraseSet(anchored(data.intents.answers.yes), n);
    this.no = new PhraseSet(anchored(data.intents.answers.no), n);
    this.polite = new RegExp(`(?<=^| )(?:${POLITE.join('|')})(?= |$)`, 'g');
    this.notHere = new NotHereMatcher(data.notHere.entries, n);
    this.notHereEntries = new Map(data.notHere.entries.map((e) => [e.id, e]));
    this.categorySets = Object.entries(data.intents.complaint_categories).map(([c, lists]) => [c, new PhraseSet(both(lists), n)]);
    this.chatter = new ChatterStripper(both(data.intents.chatter));
    this.splitter = new ServiceSplitter(both(data.intents.connectors));
    this.language = new LanguageDetector(data.intents.language);
    this.when = new WhenParser(data.intents.dates);
    this.bareTake = new Set(BARE_TAKE.flatMap((w) => n.tokens(w)));
  }

  /** What a complaint is about, from content/intents.yaml `complaint_categories` (first listed match). */
  complaintCategory(text: string): string | undefined {
    const norm = this.search.plainNormaliser.tokens(text).join(' ');
    for (const [category, set] of this.categorySets) if (set.test(norm)) return category;
    return undefined;
  }

  /** A not-here entry by id (what `not_here` intents name), for the answer's text. */
  notHereEntry(id: string): NotHereEntry | undefined {
    return this.notHereEntries.get(id);
  }

  /** Reads one message. Never throws; an empty or unreadable message is `unknown`. */
  understand(text: string, ctx: UnderstandContext): Understanding {
    const language = this.language.detect(text, ctx.locale ?? 'id');
    const norm = this.search.plainNormaliser.tokens(text).join(' ');
    const cleaned = this.chatter.strip(text);
    const found: Intent[] = [];
    const has = (name: IntentName): PhraseHit | undefined => this.intentSets.get(name)!.find(norm);

    // Whole-message commands first: a switch of language, the menu, back, a bare yes or no.
    if (has('language_en')) found.push({ kind: 'language', to: 'en' });
    else if (has('language_id')) found.push({ kind: 'language', to: 'id' });
    if (has('menu')) found.push({ kind: 'menu' });
    if (has('back')) found.push({ kind: 'back' });
    const answer = this.answer(norm);
    if (answer) found.push(answer);

    const topicHit = this.topic(norm);
    // "ambil nomor antrian" asks for a ticket; its words also say "nomor antrian", which is not a status check here.
    const takeHit = has('ticket_take');
    // A bare "antri" opening the message asks for a ticket only when a service follows ("antri skck");
    // "antri lama banget" is a complaint and "antri sampai mana" a question about one's place.
    const bare = takeHit && takeHit.start === 0 && this.bareTake.has(norm.slice(takeHit.start, takeHit.end).trim()) && !this.namedService(norm.slice(takeHit.end).trim());
    const taking = takeHit && !bare && !PAST.has(norm.slice(0, takeHit.start).trim().split(' ').pop() ?? '') ? takeHit : undefined;
    for (const name of EARLY) if (has(name) && (name !== 'ticket_take' || taking) && !(taking && name === 'ticket_status')) found.push(simple(name));
    const social = SOCIAL.map((name) => ({ name, hit: has(name) })).filter((s) => s.hit);
    // Social words beside a service name are chatter around the request; alone they are the request.
    const socialFirst = social.filter((s) => !this.namedService(without(norm, s.hit!)));
    for (const s of socialFirst) if (s.name === 'complaint' || s.name === 'human') found.push(socialIntent(s.name));
    const when = this.when.parse(text, ctx.now, ctx.timeZone);
    const fines = this.topicSets.get('fines')!.test(norm);
    const late = !fines && has('late');
    if (has('on_my_way') || late) found.push({ kind: 'arriving', late: Boolean(late), ...(when?.inMinutes !== undefined ? { inMinutes: when.inMinutes } : {}) });

    const notHere = this.notHere.match(norm);
    if (notHere) found.push({ kind: 'not_here', entryId: notHere.id, ...(notHere.related ? { related: notHere.related } : {}) });

    // The take words are not part of a service's name ("ambil nomor antrian" is no search for "nomor").
    const untaken = taking ? without(norm, taking) : undefined;
    const services = untaken !== undefined ? (untaken ? this.services(untaken, this.chatter.strip(untaken)) : undefined) : this.services(text, cleaned);
    // A follow-up is about the service in context unless the message names another service, or several.
    const several = services !== undefined && !services.ambiguous && services.serviceIds.length >= 2;
    if (topicHit && ctx.serviceId && !several) {
      const other = this.namedService(without(norm, topicHit.hit));
      if (!other || other === ctx.serviceId) found.push({ kind: 'follow_up', topic: topicHit.topic, serviceId: ctx.serviceId });
    }
    const mppHit = MPP_TOPICS.map((topic) => ({ topic, hit: has(topic) })).find((m) => m.hit);
    // The MPP's hours or address come first unless services stand without the MPP's words:
    // "ganti alamat ktp dan kk" is the citizen's address; "alamat mpp dan jam buka" names no service.
    const mppRest = mppHit ? this.withoutMppWords(norm) : '';
    const mppFirst = mppHit !== undefined && !this.namedService(mppRest) && this.splitter.services(mppRest, this.search, (part) => this.chatter.strip(part), this.relations).length === 0;
    if (mppHit && mppFirst) found.push({ kind: 'mpp_info', topic: mppHit.topic, ...(when ? { when } : {}) });
    // Off-topic words beside a service clearly named ("roya sertifikat abis lunas kpr") are chatter.
    const outOfScope = has('out_of_scope');
    if (outOfScope && !this.namedService(without(norm, outOfScope))) found.push({ kind: 'out_of_scope' });

    for (const s of socialFirst) found.push(socialIntent(s.name));
    // "mksh ya" is thanks; "makasih, kalau skck baru gimana" is a service with thanks around it.
    const courtesy = COURTESY.map((name) => ({ name, hit: has(name) })).filter((c) => c.hit);
    for (const c of courtesy) if (!this.anyService(without(norm, c.hit!))) found.push(simple(c.name));
    if (services) found.push({ ...services, ...(topicHit ? { topic: topicHit.topic } : {}) });
    if (mppHit && !found.some((i) => i.kind === 'mpp_info')) found.push({ kind: 'mpp_info', topic: mppHit.topic, ...(when ? { when } : {}) });
    for (const s of social) found.push(socialIntent(s.name));
    for (const c of courtesy) found.push(simple(c.name));
    if (when && (when.date || when.time)) found.push({ kind: 'when', when });
    // "biayanya brp?" with nothing else is about a service not named yet; "harga emas hari ini" is not.
    const rest = topicHit ? without(norm, topicHit.hit).split(' ').filter((w) => w && !this.search.plainNormaliser.isStopword(w)) : [];
    if (topicHit && !ctx.serviceId && !services && rest.length === 0) found.push({ kind: 'topic_without_service', topic: topicHit.topic });

    // Only chatter ("min mau nanya", "permisi kak"): the question is still to come; greet and ask for it.
    if (found.length === 0 && this.chatter.only(text)) found.push({ kind: 'greeting' });
    const intents = dedupe(found);
    return { language, text: cleaned, intents: intents.length ? (intents as [Intent, ...Intent[]]) : [{ kind: 'unknown' }] };
  }

  /** The message without any MPP topic phrase (hours, address, ...). */
  private withoutMppWords(norm: string): string {
    let rest = norm;
    for (const topic of MPP_TOPICS) {
      for (let hit = this.intentSets.get(topic)!.find(rest); hit; hit = this.intentSets.get(topic)!.find(rest)) rest = without(rest, hit);
    }
    return rest;
  }

  /** The topic with the widest phrase in the message; on a tie the one listed first (most specific). */
  private topic(norm: string): { topic: FollowUpTopic; hit: PhraseHit } | undefined {
    let best: { topic: FollowUpTopic; hit: PhraseHit; words: number } | undefined;
    for (const topic of followUpTopics) {
      const hit = this.topicSets.get(topic)!.find(norm);
      if (!hit) continue;
      const words = norm.slice(hit.start, hit.end).split(' ').length;
      if (!best || words > best.words) best = { topic, hit, words };
    }
    return best;
  }

  private answer(norm: string): Intent | undefined {
    // A bare "ya" is a polite word and the answer itself: only strip politeness around something else.
    const bare = norm.replace(this.polite, ' ').replace(/ +/g, ' ').trim() || norm.split(' ')[0]!;
    if (!bare || bare.split(' ').length > 4) return undefined;
    if (this.no.test(bare)) return { kind: 'answer', yes: false };
    if (this.yes.test(bare)) return { kind: 'answer', yes: true };
    // A few answer words in a row ("ok sip", "oh gitu y") say the same; mixed ("ga ngerti") say neither.
    const words = bare.split(' ');
    if (words.length > 1 && words.every((w) => this.no.test(w))) return { kind: 'answer', yes: false };
    if (words.length > 1 && words.every((w) => this.yes.test(w))) return { kind: 'answer', yes: true };
    return undefined;
  }

  /** Whether the search finds anything at all in a text (after chatter is removed). */
  private anyService(text: string): boolean {
    return text !== '' && this.search.search(this.chatter.strip(text), 1).results.length > 0;
  }

  /** The service a text names clearly, if any: a near-complete match, not one loose word. */
  private namedService(text: string): string | undefined {
    if (!text) return undefined;
    const top = this.search.search(this.chatter.strip(text), 2).results[0];
    return top && top.score <= NAMED_MAX_SCORE ? top.id : undefined;
  }

  private services(raw: string, cleaned: string): Extract<Intent, { kind: 'services' }> | undefined {
    const several = this.splitter.services(raw, this.search, (part) => this.chatter.strip(part), this.relations);
    if (several.length >= 2) return { kind: 'services', serviceIds: several, ambiguous: false };
    const outcome = this.search.search(cleaned);
    if (outcome.results.length === 0 && cleaned !== raw) {
      const again = this.search.search(raw);
      if (again.results.length) return { kind: 'services', serviceIds: named(again), ambiguous: again.ambiguous };
    }
    // Unknown words around one clear part ("npwp suami dan istri") can sink the whole-message search.
    if (outcome.results.length === 0 && several.length === 1) return { kind: 'services', serviceIds: several, ambiguous: false };
    if (outcome.results.length === 0) return undefined;
    return { kind: 'services', serviceIds: named(outcome), ambiguous: outcome.ambiguous };
  }
}

/** One search's answer: the close candidates when it is ambiguous, else only the best (several ids mean several services). */
function named(outcome: SearchOutcome): string[] {
  const ids = outcome.results.map((r) => r.id);
  return outcome.ambiguous ? ids : ids.slice(0, 1);
}

function simple(name: IntentName): Intent {
  switch (name) {
    case 'ticket_status':
    case 'ticket_take':
    case 'kiosk_ticket':
    case 'ticket_cancel':
    case 'pickup_status':
    case 'human':
    case 'complaint':
    case 'greeting':
    case 'thanks':
    case 'small_talk':
    case 'menu':
    case 'back':
    case 'out_of_scope':
      return { kind: name };
    default:
      return { kind: 'unknown' };
  }
}

function socialIntent(name: IntentName): Intent {
  return name === 'insult' || name === 'frustration' ? { kind: 'frustration', insult: name === 'insult' } : simple(name);
}

function dedupe(list: Intent[]): Intent[] {
  const seen = new Set<string>();
  return list.filter((i) => {
    if (i.kind === 'unknown' || seen.has(i.kind)) return false;
    seen.add(i.kind);
    return true;
  });
}
