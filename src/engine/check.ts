import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ActionRegistry } from './action.js';
import type { Flows } from './flow.js';
import type { Translator } from '../i18n.js';
import { locales } from '../message.js';
import { NOTICE_ENTRIES } from '../reminders/notices.js';
import { checkOutcomes } from './check-outcomes.js';
import { BACK_WORD, CANCEL_WORD } from './words.js';

/**
 * Binds flows, actions, code and locales: every target state exists, every action is registered,
 * every outcome an action can return is mapped where it runs (and nothing else is), every `when`
 * names a flag its state's actions declare, yes/no name choices of their state, every entry code
 * pushes exists, no state id is written in code, every i18n key exists in both locales, and every
 * state offers a way back to the start. Returns the problems found (empty = fine).
 */
export async function checkFlows(flows: Flows, actions: ActionRegistry, translator: Translator, srcDir?: string): Promise<string[]> {
  const problems: string[] = [];
  const keys = new Set<string>(['keywords.yes', 'keywords.no', 'keywords.particles']);
  const needState = (where: string, target: string | undefined) => {
    if (target !== undefined && !flows.states.has(target)) problems.push(`${where}: target state "${target}" does not exist`);
  };
  const needAction = (where: string, name: string | undefined) => {
    if (name !== undefined && !actions[name]) problems.push(`${where}: action "${name}" is not registered`);
  };
  needState('flows/global.yaml: start', flows.start);
  needAction('flows/global.yaml: text', flows.text);
  for (const [word, target] of Object.entries(flows.words)) needState(`flows/global.yaml: words.${word}`, target);
  if (!(CANCEL_WORD in flows.words)) problems.push(`flows/global.yaml: words.${CANCEL_WORD} is missing: "batal" would stop nothing`);
  for (const word of [...Object.keys(flows.words), BACK_WORD]) keys.add(`keywords.${word}`);
  for (const [entry, target] of Object.entries(flows.entries)) needState(`flows/global.yaml: entries.${entry}`, target);
  for (const [kind, entry] of Object.entries(NOTICE_ENTRIES)) {
    if (!(entry in flows.entries)) problems.push(`src/reminders/notices.ts: notice ${kind} pushes entry "${entry}", which flows/global.yaml does not declare`);
  }
  for (const [outcome, target] of Object.entries(flows.on)) needState(`flows/global.yaml: on.${outcome}`, target);

  for (const [id, state] of flows.states) {
    const where = `${state.file}: ${id}`;
    needAction(`${where}.enter`, state.enter);
    needAction(`${where}.on_choice`, state.on_choice);
    needAction(`${where}.on_text`, state.on_text);
    needState(`${where}.back`, state.back);
    for (const [outcome, target] of Object.entries(state.on)) needState(`${where}.on.${outcome}`, target);
    if (state.prompt) keys.add(state.prompt);
    if (!state.enter && !state.prompt) problems.push(`${where}: a state needs a prompt or an enter action`);
    if (state.on_choice && actions[state.on_choice]?.accepts.length === 0) problems.push(`${where}.on_choice: action "${state.on_choice}" accepts no choice payload`);
    const seen = new Set<string>();
    for (const choice of state.choices) {
      if (seen.has(choice.id)) problems.push(`${where}.choices: duplicate choice id "${choice.id}"`);
      seen.add(choice.id);
      needAction(`${where}.choices.${choice.id}.action`, choice.action);
      needState(`${where}.choices.${choice.id}.goto`, choice.goto);
      for (const [outcome, target] of Object.entries(choice.on)) needState(`${where}.choices.${choice.id}.on.${outcome}`, target);
      keys.add(choice.label);
      if (choice.words) keys.add(choice.words);
    }
    for (const answer of ['yes', 'no'] as const) {
      const choice = state[answer];
      if (choice !== undefined && !seen.has(choice)) problems.push(`${where}.${answer}: "${choice}" is not a choice of this state`);
    }
    if (id !== flows.start && !state.choices.some((c) => c.goto === flows.start)) {
      problems.push(`${where}: no choice leads back to "${flows.start}" (a dead end for citizens)`);
    }
  }
  problems.push(...checkOutcomes(flows, actions));
  for (const id of unreached(flows)) problems.push(`${flows.states.get(id)!.file}: ${id}: nothing leads here (no choice, outcome, word, entry or back)`);
  if (srcDir) {
    const sources = await sourceFiles(srcDir);
    for (const key of literalKeys(sources)) keys.add(key);
    problems.push(...stateLiterals(flows, sources));
  }
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

type Sources = Array<{ file: string; text: string }>;

async function sourceFiles(dir: string): Promise<Sources> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => path.join(e.parentPath, e.name));
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(file, 'utf8') })));
}

/** Keys written literally in code as the first string argument of t(...). */
function literalKeys(sources: Sources): string[] {
  return sources.flatMap(({ text }) => [...text.matchAll(/\bt\((?:\s*[\w.]+\s*,)?\s*['"]([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)['"]/g)].map((m) => m[1]!));
}

/** State ids belong to flows/ alone: code that names one breaks silently when the state is renamed. */
function stateLiterals(flows: Flows, sources: Sources): string[] {
  const problems: string[] = [];
  for (const { file, text } of sources) {
    for (const id of flows.states.keys()) {
      if (text.includes(`'${id}'`) || text.includes(`"${id}"`) || text.includes(`\`${id}\``)) problems.push(`${file}: names the state "${id}"; name an outcome, a word or an entry of flows/ instead`);
    }
  }
  return problems;
}

/** States no choice, outcome, word, entry, back or the start leads to: dead YAML, or the new name of a renamed state. */
function unreached(flows: Flows): string[] {
  const reached = new Set<string>([flows.start, ...Object.values(flows.words), ...Object.values(flows.entries), ...Object.values(flows.on)]);
  for (const state of flows.states.values()) {
    if (state.back) reached.add(state.back);
    for (const target of Object.values(state.on)) reached.add(target);
    for (const c of state.choices) {
      if (c.goto) reached.add(c.goto);
      for (const target of Object.values(c.on)) reached.add(target);
    }
  }
  return [...flows.states.keys()].filter((id) => !reached.has(id));
}
