import type { ActionRegistry } from './action.js';
import type { FlowState, Flows } from './flow.js';

/**
 * Proves the contract between actions and flows: every outcome an action declares is mapped
 * where the action runs (the choice's `on`, its state's `on`, or global.yaml's `on`), every mapped
 * outcome is one an action of that place can return, and every `when` names a declared flag.
 */
export function checkOutcomes(flows: Flows, actions: ActionRegistry): string[] {
  const problems: string[] = [];
  const outcomes = (name: string | undefined) => (name ? (actions[name]?.outcomes ?? []) : []);
  const flags = (name: string | undefined) => (name ? (actions[name]?.flags ?? []) : []);
  for (const outcome of Object.keys(flows.on)) {
    if (!outcomes(flows.text).includes(outcome)) problems.push(`flows/global.yaml: on.${outcome}: the text action "${flows.text}" never returns this outcome`);
  }
  for (const [id, state] of flows.states) {
    const where = `${state.file}: ${id}`;
    const stateActions = [state.enter, state.on_choice, state.on_text ?? flows.text];
    const all = [...stateActions, ...state.choices.map((c) => c.action)];
    for (const name of stateActions) {
      for (const outcome of outcomes(name)) {
        if (!mapped(outcome, flows, state)) problems.push(`${where}: outcome "${outcome}" of action "${name}" is not mapped in on:`);
      }
    }
    for (const choice of state.choices) {
      for (const outcome of outcomes(choice.action)) {
        if (!mapped(outcome, flows, state, choice.on)) problems.push(`${where}.choices.${choice.id}: outcome "${outcome}" of action "${choice.action}" is not mapped in on:`);
      }
      for (const outcome of Object.keys(choice.on)) {
        if (!outcomes(choice.action).includes(outcome)) problems.push(`${where}.choices.${choice.id}.on.${outcome}: action "${choice.action ?? '(none)'}" never returns this outcome`);
      }
      if (choice.when && !all.some((name) => flags(name).includes(choice.when!))) {
        problems.push(`${where}.choices.${choice.id}.when: no action of this state declares the flag "${choice.when}"`);
      }
    }
    for (const outcome of Object.keys(state.on)) {
      if (!all.some((name) => outcomes(name).includes(outcome))) problems.push(`${where}.on.${outcome}: no action of this state returns this outcome`);
    }
  }
  return problems;
}

function mapped(outcome: string, flows: Flows, state: FlowState, choiceOn: Record<string, string> = {}): boolean {
  return outcome in choiceOn || outcome in state.on || outcome in flows.on;
}
