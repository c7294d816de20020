import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const stateId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'state ids are lower-case words joined by dashes');
const choiceId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'choice ids are lower-case words joined by dashes');
const i18nKey = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, 'must be an i18n key such as menu.prompt');
const actionName = z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'action names are camelCase');

const choiceSchema = z
  .strictObject({ id: choiceId, label: i18nKey, goto: stateId.optional(), action: actionName.optional() })
  .refine((c) => c.goto !== undefined || c.action !== undefined, { message: 'a choice needs goto or action' });

const stateSchema = z.strictObject({
  /** Action run when the state is entered; may add text, dynamic choices, or redirect. */
  enter: actionName.optional(),
  /** Text shown when entering (when the enter action gives none). */
  prompt: i18nKey.optional(),
  /** Fixed options, shown after any dynamic ones. */
  choices: z.array(choiceSchema).default([]),
  /** Action that receives a picked dynamic choice (ids the enter action offered). */
  on_choice: actionName.optional(),
  /** Action for free text in this state; default: search the catalogue. */
  on_text: actionName.optional(),
  /** Where "kembali" leads; default: the previous state. */
  back: stateId.optional(),
  /** A step inside a process (taking a ticket): "batal" here cancels the process. */
  step: z.boolean().default(false),
});

const flowFileSchema = z.strictObject({
  description: z.string().optional(),
  states: z.record(stateId, stateSchema),
});

export type FlowState = z.infer<typeof stateSchema>;
export type FlowChoice = z.infer<typeof choiceSchema>;

/** All states of all files in `flows/`, by id. The state `menu` is where everything starts. */
export interface Flows {
  states: Map<string, FlowState & { file: string }>;
}

export const START_STATE = 'menu';

export async function loadFlows(dir: string): Promise<Flows> {
  const states = new Map<string, FlowState & { file: string }>();
  const problems: string[] = [];
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  for (const file of files) {
    const rel = path.join(path.basename(dir), file);
    let raw: unknown;
    try {
      raw = parse(await readFile(path.join(dir, file), 'utf8'));
    } catch (err) {
      problems.push(`${rel}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      continue;
    }
    const parsed = flowFileSchema.safeParse(raw);
    if (!parsed.success) {
      for (const i of parsed.error.issues) problems.push(`${rel}: ${i.path.join('.')}: ${i.message}`);
      continue;
    }
    for (const [id, state] of Object.entries(parsed.data.states)) {
      if (states.has(id)) problems.push(`${rel}: state ${id} is already defined in ${states.get(id)!.file}`);
      states.set(id, { ...state, file: rel });
    }
  }
  if (problems.length) throw new Error(`flows are invalid:\n  ${problems.join('\n  ')}`);
  return { states };
}
