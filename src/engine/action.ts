import type { Catalogue } from '../catalogue/loader.js';
import type { OpeningHours } from '../catalogue/hours.js';
import type { ServiceSearch } from '../catalogue/search.js';
import type { QueueService } from '../queue/queue-service.js';
import type { Appointments } from '../appointments/appointments.js';
import type { IncidentStore } from '../incidents/store.js';
import type { SurveyStore } from '../survey/store.js';
import type { Forgetting } from '../privacy/forget.js';
import type { Card, Choice, Locale, OutgoingMessage } from '../message.js';
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
}

/** The turn as an action sees it. Actions change `session.vars` and return what to say. */
export interface ActionContext {
  session: Session;
  locale: Locale;
  /** The citizen's text (cleaned) or picked choice id that led here, if any. */
  text?: string;
  choice?: string;
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
 * What an action produced. With `goto` the engine moves to that state; otherwise `text` (with
 * `choices`, or the current state's choices) is shown, or the state is shown again.
 */
export interface ActionResult {
  /** Messages sent before the state's own message. */
  before?: OutgoingMessage[];
  text?: string;
  /** Choices made up by the action (search results, agencies), shown before the state's own. */
  choices?: Choice[];
  /** Which of the state's fixed choices to show (ids); all of them when absent. */
  show?: string[];
  card?: Card;
  goto?: string;
  /** Delete the conversation session (and language choice) instead of saving it. */
  endSession?: boolean;
}

export type Action = (ctx: ActionContext) => ActionResult | Promise<ActionResult>;

/** Named actions, as referenced from `flows/`. */
export type ActionRegistry = Record<string, Action>;
