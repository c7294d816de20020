import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { actions } from '../../src/engine/actions/index.js';
import { checkFlows } from '../../src/engine/check.js';
import { loadFlows } from '../../src/engine/flow.js';
import { Translator } from '../../src/i18n.js';

describe('flow check', () => {
  it('finds nothing wrong with the shipped flows, actions and locales', async () => {
    const problems = await checkFlows(await loadFlows('flows'), actions, await Translator.load('locales'), 'src');
    expect(problems).toEqual([]);
  });

  it('reports a missing target, an unregistered action, a missing i18n key and a dead end', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mpp-flows-'));
    try {
      await writeFile(
        path.join(dir, 'broken.yaml'),
        [
          'states:',
          '  menu:',
          '    prompt: menu.prompt',
          '    choices:',
          '      - { id: go, label: menu.search, goto: nowhere }',
          '      - { id: act, label: menu.not_a_key, action: doMagic }',
          '  lonely:',
          '    prompt: help.text',
        ].join('\n'),
      );
      const problems = await checkFlows(await loadFlows(dir), actions, await Translator.load('locales'));
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringContaining('target state "nowhere" does not exist'),
          expect.stringContaining('action "doMagic" is not registered'),
          expect.stringContaining('missing key "menu.not_a_key"'),
          expect.stringContaining('lonely: no choice leads back to "menu"'),
        ]),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a flow file with an unknown field or a literal sentence as a prompt', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mpp-flows-'));
    try {
      await writeFile(path.join(dir, 'bad.yaml'), 'states:\n  menu:\n    prompt: "Halo, ada yang bisa dibantu?"\n    colour: red\n');
      await expect(loadFlows(dir)).rejects.toThrow(/must be an i18n key[\s\S]*colour|colour[\s\S]*must be an i18n key/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
