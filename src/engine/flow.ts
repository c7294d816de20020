import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { FlowError } from './flow-error.js';

const stateId = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/, 'state ids are two or more lower-case words joined by dashes');
const choiceId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'choice ids are lower-case words joined by dashes');
const i18nKey = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, 'must be an i18n key such as menu.prompt');
const actionName = z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'action names are camelCase');
const name = z.string().regex(/^[a-z][a-z0-9_]*$/, 'outcome, flag, word and entry names are snake_case');
/** Outcome name -> state: where the conversation goes when an action returns that outcome. */
const outcomeMap = z.record(name, stateId);

const choiceSchema = z
  .strictObject({
    id: choiceId,
    label: i18nKey,
    goto: stateId.optional(),
    action: actionName.optional(),
    /** Outcomes of this choice's action; looked up before the state's `on`. */
    on: outcomeMap.default({}),
    /** Shown only when the action that drew the state says this flag holds. */
    when: name.optional(),
    /**
     * Locale list of words that pick this choice when typed, before a plain yes/no is read: "ya
     * saya lansia" at the take step is the priority ticket, not the plain yes. Not in a negated text.
     */
    words: i18nKey.optional(),
  })
  .refine((c) => c.goto !== undefined || c.action !== undefined, { message: 'a choice needs goto or action' });

const stateSchema = z.strictObject({
  /** Action run when the state is entered; may add text, dynamic choices, or name an outcome. */
  enter: actionName.optional(),
  /** Text shown when entering (when the enter action gives none). */
  prompt: i18nKey.optional(),
  /** Fixed options, shown after any dynamic ones. */
  choices: z.array(choiceSchema).default([]),
  /** Action that receives a picked dynamic choice (payloads the enter action offered). */
  on_choice: actionName.optional(),
  /** Action for free text in this state; default: the `text` action of flows/global.yaml. */
  on_text: actionName.optional(),
  /** Outcomes of this state's actions (enter, on_choice, on_text, and its choices' actions). */
  on: outcomeMap.default({}),
  /** Where "kembali" leads; default: the previous state. */
  back: stateId.optional(),
  /** A step inside a process (taking a ticket): "batal" here cancels the process. */
  step: z.boolean().default(false),
  /** About one citizen's tickets or bookings: never shown in a group chat. */
  personal: z.boolean().default(false),
  /**
   * The answer differs between MPP sites: with several sites and none chosen yet, the citizen is
   * asked which MPP first (entry `site_pick`), then this state follows. `service`: only sites that
   * offer the service in context are offered, and a service offered at one site only needs no question;
   * `visit`: likewise for every service of the visit plan in context. `visit-chosen`: like `visit`,
   * but only when a site is chosen and lacks a service of the plan (a plan with none chosen is shown
   * as it is, and the site is asked when the tickets are taken). `held`: the site where the citizen
   * holds tickets today, never asked ("antrean saya": a ticket is found wherever it was taken).
   */
  site: z.enum(['mpp', 'service', 'visit', 'visit-chosen', 'held']).optional(),
  /** The choice a short "ya" / "tidak" picks, when the state asks a yes/no question. */
  yes: choiceId.optional(),
  no: choiceId.optional(),
});

const flowFileSchema = z.strictObject({
  description: z.string().optional(),
  states: z.record(stateId, stateSchema),
});

/** flows/global.yaml: what holds in every state. */
const globalSchema = z.strictObject({
  description: z.string().optional(),
  /** Where every conversation starts (and "menu" leads). */
  start: stateId,
  /** Free-text action of states without their own `on_text`. */
  text: actionName,
  /** Global word (its phrases are `keywords.<word>` in locales) -> target state. */
  words: z.record(name, stateId),
  /** Entries code may push a conversation into (reminders, surveys, incidents) -> state. */
  entries: z.record(name, stateId),
  /** Outcomes mapped the same everywhere (the default free-text search). */
  on: outcomeMap.default({}),
});

export type FlowState = z.infer<typeof stateSchema>;
export type FlowChoice = z.infer<typeof choiceSchema>;
export type FlowGlobals = z.infer<typeof globalSchema>;

/** All states of all files in `flows/`, by id, with the global table. */
export interface Flows extends FlowGlobals {
  states: Map<string, FlowState & { file: string }>;
}

const GLOBAL_FILE = 'global.yaml';

export async function loadFlows(dir: string): Promise<Flows> {
  const states = new Map<string, FlowState & { file: string }>();
  const problems: string[] = [];
  let globals: FlowGlobals | undefined;
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  if (!files.includes(GLOBAL_FILE)) problems.push(`${path.join(path.basename(dir), GLOBAL_FILE)}: missing`);
  for (const file of files) {
    const rel = path.join(path.basename(dir), file);
    let raw: unknown;
    try {
      raw = parse(await readFile(path.join(dir, file), 'utf8'));
    } catch (err) {
      problems.push(`${rel}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      continue;
    }
    const parsed = (file === GLOBAL_FILE ? globalSchema : flowFileSchema).safeParse(raw);
    if (!parsed.success) {
      for (const i of parsed.error.issues) problems.push(`${rel}: ${i.path.join('.')}: ${i.message}`);
      continue;
    }
    if (file === GLOBAL_FILE) {
      globals = parsed.data as FlowGlobals;
      continue;
    }
    for (const [id, state] of Object.entries((parsed.data as z.infer<typeof flowFileSchema>).states)) {
      if (states.has(id)) problems.push(`${rel}: state ${id} is already defined in ${states.get(id)!.file}`);
      states.set(id, { ...state, file: rel });
    }
  }
  if (problems.length || !globals) throw new FlowError('invalid_flows', `flows are invalid:\n  ${problems.join('\n  ')}`);
  return { ...globals, states };
}
