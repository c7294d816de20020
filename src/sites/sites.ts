import type { Appointments } from '../appointments/appointments.js';
import type { BookingStore } from '../appointments/store.js';
import type { OpeningHours } from '../catalogue/hours.js';
import type { Catalogue } from '../catalogue/loader.js';
import type { Normaliser } from '../catalogue/normalise.js';
import type { Mpp } from '../catalogue/schema.js';
import { offers, siteLabel } from '../catalogue/sites.js';
import type { IncidentBroadcast } from '../incidents/broadcast.js';
import type { IncidentStore } from '../incidents/store.js';
import type { QueueService } from '../queue/queue-service.js';
import type { Ticket } from '../queue/ticket.js';
import type { SurveyStore } from '../survey/store.js';

/** One MPP site of the deployment, with the stores that are per site (their keys share `{site:<id>}`). */
export interface Site {
  id: string;
  mpp: Mpp;
  /** The conversation's view: every shared service, with this site's overrides; `mpp` is this site. */
  catalogue: Catalogue;
  hours: OpeningHours;
  /** Tickets, numbering, counters of this site (its catalogue view offers only what the site offers). */
  queue: QueueService;
  /** Satisfaction answers about this site's tickets (their keys share the ticket's slot). */
  survey: SurveyStore;
  bookings: BookingStore;
  appointments: Appointments;
  incidentStore: IncidentStore;
  incidents: IncidentBroadcast;
}

/** Ticket ids remembered with their site, so notices and claims find a ticket's site in one read. */
const REMEMBERED_TICKETS = 20_000;

/**
 * The deployment's MPP sites, the main one (content/mpp.yaml) first. A ticket id does not name its
 * site: `ticket()` asks each site's queue (one GET each) and remembers the answer.
 */
export class Sites {
  private readonly byId: Map<string, Site>;
  private readonly ticketSite = new Map<string, string>();

  constructor(readonly list: readonly Site[]) {
    if (list.length === 0) throw new Error('a deployment has at least one site');
    this.byId = new Map(list.map((s) => [s.id, s]));
  }

  get main(): Site {
    return this.list[0]!;
  }

  /** More than one site: the chat says where, and asks when it matters. */
  get several(): boolean {
    return this.list.length > 1;
  }

  get(id: string | undefined): Site | undefined {
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** The site of `id`, or the main site when `id` is missing or unknown (an old session, a removed site). */
  orMain(id: string | undefined): Site {
    return this.get(id) ?? this.main;
  }

  /** Sites that offer a service, in content order. */
  offering(serviceId: string): Site[] {
    return this.list.filter((s) => offers(s.mpp, serviceId));
  }

  /** The site a citizen names in free text ("yang utara", "mpp kota"), by its id, names and aliases. */
  named(text: string, normaliser: Pick<Normaliser, 'tokens'>): Site | undefined {
    return this.naming(text, normaliser)?.site;
  }

  /**
   * The text without the site it names, for reading the rest: "antri kk di utara" is a KK ticket
   * at Kec. Utara, and "utara" must not make the search miss "kk". Undefined when no site is named.
   */
  strip(text: string, normaliser: Pick<Normaliser, 'tokens'>, leading: ReadonlySet<string> = new Set()): { site: Site; rest: string } | undefined {
    const found = this.naming(text, normaliser);
    if (!found) return undefined;
    const said = normaliser.tokens(text);
    for (let i = 0; i + found.words.length <= said.length; i++) {
      if (found.words.every((w, j) => said[i + j] === w)) {
        // "… di utara", "… ke mpp kota": the little words that only led to the name go with it.
        let from = i;
        while (from > 0 && leading.has(said[from - 1]!)) from--;
        return { site: found.site, rest: [...said.slice(0, from), ...said.slice(i + found.words.length)].join(' ') };
      }
    }
    return { site: found.site, rest: said.join(' ') };
  }

  /**
   * The one site among `among` whose names hold a word of the text that no other site's names hold
   * ("mpp kecamatan" when one site is a kecamatan's). Only for a reply to "di MPP mana?": inside a
   * question such a word ("surat pindah kecamatan") names no site.
   */
  namedByWord(text: string, normaliser: Pick<Normaliser, 'tokens'>, among: readonly Site[] = this.list): Site | undefined {
    const words = (site: Site) => new Set([site.id.replace(/-/g, ' '), site.mpp.name, siteLabel(site.mpp), ...site.mpp.aliases].flatMap((n) => normaliser.tokens(n)));
    const named = among.map((site) => ({ site, words: words(site) }));
    const hits = new Set<Site>();
    for (const w of normaliser.tokens(text)) {
      const owners = named.filter((n) => n.words.has(w));
      if (owners.length === 1) hits.add(owners[0]!.site);
    }
    return hits.size === 1 ? [...hits][0] : undefined;
  }

  /** The longest site name, short name, alias or id found in the text, as words. */
  private naming(text: string, normaliser: Pick<Normaliser, 'tokens'>): { site: Site; words: string[] } | undefined {
    const said = ` ${normaliser.tokens(text).join(' ')} `;
    let best: { site: Site; words: string[] } | undefined;
    for (const site of this.list) {
      for (const name of [site.id.replace(/-/g, ' '), site.mpp.name, siteLabel(site.mpp), ...site.mpp.aliases]) {
        const words = normaliser.tokens(name);
        const n = words.join(' ');
        if (n && said.includes(` ${n} `) && (!best || n.length > best.words.join(' ').length)) best = { site, words };
      }
    }
    return best;
  }

  /** A ticket and its site, whichever site issued it. */
  async ticket(ticketId: string): Promise<{ site: Site; ticket: Ticket } | undefined> {
    const known = this.get(this.ticketSite.get(ticketId));
    if (known) {
      const ticket = await known.queue.get(ticketId);
      if (ticket) return { site: known, ticket };
    }
    const found = await Promise.all(this.list.map(async (site) => ({ site, ticket: await site.queue.get(ticketId) })));
    const hit = found.find((f) => f.ticket);
    if (!hit?.ticket) return undefined;
    if (this.ticketSite.size >= REMEMBERED_TICKETS) this.ticketSite.delete(this.ticketSite.keys().next().value!);
    this.ticketSite.set(ticketId, hit.site.id);
    return { site: hit.site, ticket: hit.ticket };
  }

  /** The queue that holds a ticket (the main site's when no site has it, so callers get their usual "not found"). */
  async queueOf(ticketId: string): Promise<QueueService> {
    return (await this.ticket(ticketId))?.site.queue ?? this.main.queue;
  }
}
