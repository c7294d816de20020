import type { Catalogue } from '../catalogue/loader.js';
import type { Mpp } from '../catalogue/schema.js';
import type { DocumentMatcher } from './documents.js';

type Text = { id: string; en: string };

/** What the queue knows about one service right now; the caller reads it from the queue's read model. */
export interface LiveFigures {
  /** People waiting before a new ticket. */
  waiting: number;
  /** Minutes until a ticket taken now is called. */
  etaMinutes: number;
  /** Tickets left under today's quota. */
  remainingQuota: number;
  /** Counter ids serving it now; defaults to content/mpp.yaml. */
  counters?: string[];
  /** False when the service is not offered today (agency absent, counter closed). */
  offeredToday: boolean;
}

/** Live figures by service id; `undefined` when the queue has none (the plan then estimates from content). */
export type LiveFiguresSource = (serviceId: string) => LiveFigures | undefined;

export type DayHours = NonNullable<Mpp['hours']['monday']>;

/** Everything that changes from minute to minute; the plan is a pure function of it and the catalogue. */
export interface PlanConditions {
  live: LiveFiguresSource;
  /** The MPP's hours today (holidays already applied), or null when it is closed all day. */
  hoursToday: DayHours | null;
  now: Date;
}

/** What does not change during a conversation: content and the document table. */
export interface PlanContext {
  catalogue: Pick<Catalogue, 'services' | 'agencies' | 'mpp'>;
  documents: DocumentMatcher;
}

export interface PlanStep {
  /** 1-based position in the visit. */
  step: number;
  service: string;
  agency: string;
  counters: string[];
  /** Services earlier in this plan whose product this step uses. */
  after: string[];
  waiting: number;
  etaMinutes: number;
  /** False when the queue had no figures and the wait is unknown (counted as 0). */
  live: boolean;
  serviceMinutes: number;
  /** Local minutes after midnight. */
  startsAt: number;
  endsAt: number;
  fee: number | null;
}

/** One line of the combined checklist: a document once, with every service it serves. */
export interface ChecklistItem {
  /** Document id from content/documents.yaml; null for a requirement naming no known document. */
  document: string | null;
  /** Services the citizen brings it for (a step that receives it from an earlier step is not here). */
  services: string[];
  original: boolean;
  copy: boolean;
  /** Needed only in some cases for every service that asks for it ("bila diwakilkan"). */
  conditional: boolean;
  /** The exact requirement texts, per service, for a "details" view. */
  texts: Array<{ service: string; text: Text }>;
}

/** A product of one step that a later step uses. */
export interface Handoff {
  from: string;
  to: string;
  product: Text;
  when?: Text | undefined;
  document?: string | undefined;
}

/** A service the plan's services may need first but the citizen did not ask for. */
export interface Prerequisite {
  service: string;
  needs: string;
  when?: Text | undefined;
  product: Text;
}

export interface Suggestion {
  service: string;
  with: string;
  why: Text;
}

export type PlanWarning =
  | { code: 'quota_full'; service: string }
  | { code: 'quota_low'; service: string; remaining: number }
  | { code: 'not_offered_today'; service: string }
  | { code: 'closed_today' }
  | { code: 'closes_before_finish'; service: string; closesAt: number; finishesAt: number };

export interface VisitPlan {
  /** Requested ids in the order the citizen named them (input of `addToPlan`). */
  requested: string[];
  steps: PlanStep[];
  checklist: ChecklistItem[];
  handoffs: Handoff[];
  fees: { total: number; complete: boolean; unknown: string[] };
  timing: { startsAt: number; finishesAt: number; totalMinutes: number };
  warnings: PlanWarning[];
  prerequisites: Prerequisite[];
  suggestions: Suggestion[];
}
