import type { Catalogue } from '../catalogue/loader.js';
import type { OpeningHours } from '../catalogue/hours.js';
import type { ServiceSearch } from '../catalogue/search.js';
import type { QueueService } from '../queue/queue-service.js';
import type { Appointments } from '../appointments/appointments.js';
import type { IncidentStore } from '../incidents/store.js';
import type { SurveyStore } from '../survey/store.js';
import type { Forgetting } from '../privacy/forget.js';
import type { Understander, Understanding } from '../understanding/index.js';
import type { ChecklistReader } from '../understanding/checklist.js';
import type { HandoverStore } from '../desk/handover-store.js';
import type { ComplaintStore } from '../complaints/store.js';
import type { LaporAdapter } from '../complaints/lapor.js';
import type { WorkingCalendar } from '../complaints/deadlines.js';
import type { Pickups } from '../pickup/pickups.js';
import type { DocumentMatcher } from '../visits/documents.js';
import type { Sites } from '../sites/sites.js';
import type { Card, Choice, Locale, OutgoingMessage } from '../message.js';
import type { Payload, PayloadKind, PayloadOf } from './payload.js';
import type { Session } from './sessions.js';

/** What every action may use; given once to the engine by the composition root. */
export interface EngineServices {
  catalogue: Catalogue;
  search: ServiceSearch;
  hours: OpeningHours;
  /** The virtual queue; without it the ticket actions say the service is not available. */
  queue?: QueueService;
  /** Bookings for a later day; without them the booking actions say bookings are not available. */
  appointments?: Appointments;
  /** Incidents declared by operators, read by their notices. */
  incidents?: IncidentStore;
  /** Erasure of a citizen's personal data on request. */
  forgetting?: Forgetting;
  /** Satisfaction survey answers; without it the survey thanks the citizen and stores nothing. */
  survey?: SurveyStore;
  /** Reads free text beyond a service name (follow-ups, intents, language); the engine builds one when absent. */
  understander?: Understander;
  /** Free text in a documents checklist ("yg kk belum"); without it such text goes to the default text action. */
  checklistReader?: ChecklistReader;
  /** Documents named by requirement texts, for a visit plan's combined checklist; the engine loads content/documents.yaml when absent. */
  documents?: DocumentMatcher;
  /** The help desk; without it a request for a person gets the MPP's contacts. */
  desk?: HandoverStore;
  /** Complaints (pengaduan) with their working-day calendar and the SP4N-LAPOR! adapter. */
  complaints?: { store: ComplaintStore; calendar: WorkingCalendar; lapor: LaporAdapter };
  /** Documents collected later (src/pickup); without it "is my passport ready" says the MPP's counter knows. */
  pickups?: Pickups;
  /** The deployment's MPP sites; without it (or with one site) everything is the one MPP above. */
  sites?: Sites;
}

/** The turn as an action sees it. Actions change `session.vars` and return what to say. */
export interface ActionContext {
  session: Session;
  locale: Locale;
  /** The citizen's text (cleaned) that led here, if any. */
  text?: string;
  /** What the citizen's text means, read once per turn (absent for a picked choice). */
  understood?: Understanding;
  /** The picked choice's payload, decoded (only kinds the action accepts). */
  payload?: Payload;
  now: Date;
  /** Who is talking, for the queue (tickets remember where to send notices). */
  citizen: { channel: string; userKey: string };
  t: (key: string, params?: Record<string, unknown>) => string;
  /** A list from the locales (keyword phrases), in the citizen's language and Indonesian. */
  list: (key: string) => string[];
  services: EngineServices;
  /** Changes the conversation language from now on (remembered per citizen). */
  setLocale: (locale: Locale) => void;
}

/**
 * What an action produced. With `outcome` the engine moves to the state the flow maps it to;
 * otherwise `text` (with `choices`, or the state's choices) is shown, or the state is shown again.
 */
export interface ActionResult<O extends string = string, F extends string = string> {
  /** Messages sent before the state's own message. */
  before?: OutgoingMessage[];
  text?: string;
  /** Choices made up by the action (search results, agencies), shown before the state's own. */
  choices?: Choice[];
  /** Flags that hold: fixed choices with `when: <flag>` are shown only when their flag is here. */
  flags?: readonly F[];
  card?: Card;
  /** Named result; the flow's `on:` says which state follows. */
  outcome?: O;
  /** Delete the conversation session (and language choice) instead of saving it. */
  endSession?: boolean;
  /** Show `text` with the choices the last message offered, so its buttons keep working (a follow-up answer). */
  keepOffered?: boolean;
  /** A site was just chosen: go on with what waited for it (`vars.sitePending`), else the start. */
  resume?: boolean;
}

/** A named action as the engine and the flow check see it. */
export interface Action {
  /** Every outcome `run` can return: the flow check proves each is mapped where the action is used. */
  readonly outcomes: readonly string[];
  /** Every flag `run` can return: `when:` in flows may only name these. */
  readonly flags: readonly string[];
  /** Payload kinds this action takes from a picked choice. */
  readonly accepts: readonly PayloadKind[];
  run(this: void, ctx: ActionContext): ActionResult | Promise<ActionResult>;
}

interface ActionSpec<O extends string, F extends string, K extends PayloadKind> {
  outcomes?: readonly O[];
  flags?: readonly F[];
  accepts?: readonly K[];
  // NoInfer: the declared lists alone fix O and F, so returning anything else fails to compile.
  run(this: void, ctx: ActionContext & { payload?: PayloadOf<NoInfer<K>> }): ActionResult<NoInfer<O>, NoInfer<F>> | Promise<ActionResult<NoInfer<O>, NoInfer<F>>>;
}

/**
 * Declares an action with its outcomes, flags and accepted payloads; TypeScript then refuses a
 * `run` that returns an outcome or flag not declared, so the declaration is what the check reads.
 */
export function defineAction<const O extends string = never, const F extends string = never, const K extends PayloadKind = never>(spec: ActionSpec<O, F, K>): Action {
  const accepts: readonly PayloadKind[] = spec.accepts ?? [];
  const takes = (p: Payload | undefined): p is PayloadOf<K> => p !== undefined && accepts.includes(p.kind);
  // The action sees only payload kinds it declared, so its own type for them is the truth.
  const run: Action['run'] = ({ payload, ...ctx }) => spec.run(takes(payload) ? { ...ctx, payload } : ctx);
  return { outcomes: spec.outcomes ?? [], flags: spec.flags ?? [], accepts, run };
}

/** Named actions, as referenced from `flows/`. */
export type ActionRegistry = Record<string, Action>;
