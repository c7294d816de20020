import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ActionRegistry } from './action.js';
import { START_STATE, type Flows } from './flow.js';
import type { Translator } from '../i18n.js';
import { locales } from '../message.js';

/**
 * Binds flows, actions and locales: every transition target exists, every action is registered,
 * every i18n key a flow or the code names exists in every locale, both locales hold the same keys,
 * and every state offers a way back to the menu. Returns the problems found (empty = fine).
 */
export async function checkFlows(flows: Flows, actions: ActionRegistry, translator: Translator, srcDir?: string): Promise<string[]> {
  const problems: string[] = [];
  const keys = new Set<string>();
  if (!flows.states.has(START_STATE)) problems.push(`flows: the start state "${START_STATE}" is missing`);
  for (const [id, state] of flows.states) {
    const where = `${state.file}: ${id}`;
    const needAction = (name: string | undefined, field: string) => {
      if (name !== undefined && !actions[name]) problems.push(`${where}.${field}: action "${name}" is not registered`);
    };
    const needState = (target: string | undefined, field: string) => {
      if (target !== undefined && !flows.states.has(target)) problems.push(`${where}.${field}: target state "${target}" does not exist`);
    };
    needAction(state.enter, 'enter');
    needAction(state.on_choice, 'on_choice');
    needAction(state.on_text, 'on_text');
    needState(state.back, 'back');
    if (state.prompt) keys.add(state.prompt);
    if (!state.enter && !state.prompt) problems.push(`${where}: a state needs a prompt or an enter action`);
    const seen = new Set<string>();
    for (const choice of state.choices) {
      if (seen.has(choice.id)) problems.push(`${where}.choices: duplicate choice id "${choice.id}"`);
      seen.add(choice.id);
      needAction(choice.action, `choices.${choice.id}.action`);
      needState(choice.goto, `choices.${choice.id}.goto`);
      keys.add(choice.label);
    }
    if (id !== START_STATE && !state.choices.some((c) => c.goto === START_STATE)) {
      problems.push(`${where}: no choice leads back to "${START_STATE}" (a dead end for citizens)`);
    }
  }
  if (srcDir) for (const key of await literalKeys(srcDir)) keys.add(key);
  for (const locale of locales) {
    for (const key of keys) if (!translator.has(locale, key)) problems.push(`locales/${locale}: missing key "${key}"`);
  }
  const [first, ...rest] = locales;
  const base = new Set(translator.keys(first));
  for (const other of rest) {
    const theirs = new Set(translator.keys(other));
    for (const k of base) if (!theirs.has(k)) problems.push(`locales/${other}: missing key "${k}" (present in ${first})`);
    for (const k of theirs) if (!base.has(k)) problems.push(`locales/${first}: missing key "${k}" (present in ${other})`);
  }
  return problems;
}

/** Keys written literally in code as the first string argument of t(...). */
async function literalKeys(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const text = await readFile(path.join(entry.parentPath, entry.name), 'utf8');
    for (const m of text.matchAll(/\bt\((?:\s*[\w.]+\s*,)?\s*['"]([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)['"]/g)) out.push(m[1]!);
  }
  return out;
}
