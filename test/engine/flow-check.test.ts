import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { actions } from '../../src/engine/actions/index.js';
import { checkFlows } from '../../src/engine/check.js';
import { loadFlows } from '../../src/engine/flow.js';
import { Translator } from '../../src/i18n.js';

const run = promisify(execFile);
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A copy of flows/ with one file edited, as someone editing the YAML would leave it. */
async function editedFlows(file: string, edit: (text: string) => string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mpp-flows-'));
  dirs.push(dir);
  await cp('flows', dir, { recursive: true });
  const target = path.join(dir, file);
  const before = await readFile(target, 'utf8');
  const after = edit(before);
  expect(after, `edit of ${file} changed nothing`).not.toBe(before);
  await writeFile(target, after);
  return dir;
}

async function check(dir: string, srcDir?: string): Promise<string[]> {
  return checkFlows(await loadFlows(dir), actions, await Translator.load('locales'), srcDir);
}

describe('flow check', () => {
  it('finds nothing wrong with the shipped flows, actions, code and locales', async () => {
    expect(await check('flows', 'src')).toEqual([]);
  });

  it('reports a state renamed without updating the states that lead to it', async () => {
    const dir = await editedFlows('tickets.yaml', (t) => t.replace(/^ {2}ticket-review:$/m, '  ticket-check:'));
    expect(await check(dir)).toEqual(
      expect.arrayContaining([expect.stringContaining('target state "ticket-review" does not exist'), expect.stringContaining('ticket-check: nothing leads here')]),
    );
  });

  it('accepts a state renamed everywhere in flows/: no code names it', async () => {
    const dir = await editedFlows('tickets.yaml', (t) => t.replaceAll('ticket-review', 'ticket-check'));
    expect(await check(dir, 'src')).toEqual([]);
  });

  it('reports an outcome an action can return that the state does not map', async () => {
    const dir = await editedFlows('tickets.yaml', (t) => t.replace('on: { no_service: search-ask, begun: ticket-checklist, visit: visit-take }', 'on: { no_service: search-ask, visit: visit-take }'));
    expect(await check(dir)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('ticket-take.choices.confirm: outcome "begun" of action "beginChecklist" is not mapped'),
        expect.stringContaining('ticket-take.choices.confirm-priority: outcome "begun" of action "beginPriorityChecklist" is not mapped'),
      ]),
    );
  });

  it('reports a mapped outcome no action of the state returns, an unknown flag and a bad yes/no', async () => {
    const dir = await editedFlows('tickets.yaml', (t) =>
      t
        .replace('on: { no_service: search-ask, begun: ticket-checklist, visit: visit-take }', 'on: { no_service: search-ask, begun: ticket-checklist, visit: visit-take, quota_full: main-menu }')
        .replace('action: beginChecklist, when: can_take', 'action: beginChecklist, when: can_takee')
        .replace('    yes: ready\n', '    yes: readyy\n'),
    );
    expect(await check(dir)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('ticket-take.on.quota_full: no action of this state returns this outcome'),
        expect.stringContaining('ticket-take.choices.confirm.when: no action of this state declares the flag "can_takee"'),
        expect.stringContaining('ticket-checklist.yes: "readyy" is not a choice of this state'),
      ]),
    );
  });

  it('reports an entry code pushes that flows do not declare, and a word leading nowhere', async () => {
    const dir = await editedFlows('global.yaml', (t) => t.replace('  survey: survey-start\n', '').replace('help: help-page', 'help: help-pages'));
    expect(await check(dir)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('notice survey pushes entry "survey", which flows/global.yaml does not declare'),
        expect.stringContaining('words.help: target state "help-pages" does not exist'),
      ]),
    );
  });

  it('reports a state id written in code', async () => {
    const src = await mkdtemp(path.join(os.tmpdir(), 'mpp-src-'));
    dirs.push(src);
    await writeFile(path.join(src, 'action.ts'), "export const next = { goto: 'ticket-review' };\n");
    expect(await check('flows', src)).toEqual([expect.stringContaining('names the state "ticket-review"')]);
  });

  it('reports a missing target, an unregistered action, a missing i18n key and a dead end', async () => {
    const dir = await editedFlows('main.yaml', (t) =>
      t.replace('goto: search-ask }\n      - { id: take', 'goto: nowhere-here }\n      - { id: take').replace('{ id: info, label: menu.info, goto: mpp-info }', '{ id: info, label: menu.not_a_key, action: doMagic }') +
        '\n  lonely-page:\n    prompt: help.text\n',
    );
    expect(await check(dir)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('target state "nowhere-here" does not exist'),
        expect.stringContaining('action "doMagic" is not registered'),
        expect.stringContaining('missing key "menu.not_a_key"'),
        expect.stringContaining('lonely-page: no choice leads back to "main-menu"'),
      ]),
    );
  });

  it('refuses a flow file with an unknown field or a literal sentence as a prompt', async () => {
    const dir = await editedFlows('main.yaml', (t) => t.replace('prompt: menu.prompt', 'prompt: "Halo, ada yang bisa dibantu?"\n    colour: red'));
    await expect(loadFlows(dir)).rejects.toThrow(/must be an i18n key[\s\S]*colour|colour[\s\S]*must be an i18n key/);
  });

  it('makes `npm run catalogue:check` exit non-zero when a state is renamed', async () => {
    const dir = await editedFlows('tickets.yaml', (t) => t.replace(/^ {2}ticket-review:$/m, '  ticket-check:'));
    const failed = await run('npx', ['tsx', 'src/cli/catalogue-check.ts', '--flows', dir], { env: { ...process.env, LOG_LEVEL: 'silent' } }).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('target state "ticket-review" does not exist');
  }, 60_000);
});
