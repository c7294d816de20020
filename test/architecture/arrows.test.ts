import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const DEPCRUISE = 'node_modules/.bin/depcruise';

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** Runs dependency-cruiser with the project's rules on some files; returns the rule violations found. */
async function violations(files: string[]): Promise<Violation[]> {
  const { stdout } = await run(DEPCRUISE, ['--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...files]).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const tag = randomBytes(4).toString('hex');
/** Deliberately wrong imports, each written into src/ for the run and removed after. */
const wrong: Array<{ file: string; source: string; rule: string }> = [
  { file: `src/queue/arrow-${tag}.ts`, source: "export { WEBCHAT } from '../channels/webchat/routes.js';\n", rule: 'domain-not-up' },
  { file: `src/reminders/arrow-${tag}.ts`, source: "export type { Engine } from '../engine/engine.js';\n", rule: 'domain-not-up' },
  { file: `src/engine/arrow-${tag}.ts`, source: "export { createApp } from '../http/app.js';\n", rule: 'engine-not-up' },
  { file: `src/channels/arrow-${tag}.ts`, source: "export type { StaffAuth } from '../http/staff/index.js';\n", rule: 'channels-not-http' },
  { file: `src/pages/arrow-${tag}.ts`, source: "export type { QueueService } from '../queue/queue-service.js';\n", rule: 'shared-not-up' },
  { file: `src/http/arrow-${tag}.ts`, source: "export { compose } from '../compose.js';\n", rule: 'composition-root-from-entries-only' },
  { file: `src/appointments/arrow-${tag}.ts`, source: "export type { Queue } from 'bullmq';\n", rule: 'bullmq-in-reminders' },
  { file: `src/incidents/arrow-${tag}.ts`, source: "export type { Outbox } from '../reminders/outbox.js';\n", rule: 'outbox-through-its-port' },
  { file: `src/survey/arrow-${tag}.ts`, source: "export { QueueKeys } from '../queue/keys.js';\n", rule: 'queue-keys-private' },
];

afterAll(async () => {
  await Promise.all(wrong.map((w) => rm(w.file, { force: true })));
});

describe('import arrows (STYLE.md, .dependency-cruiser.cjs)', () => {
  it('fails every deliberately wrong import with the rule it breaks', async () => {
    await Promise.all(wrong.map((w) => writeFile(w.file, w.source)));
    const found = await violations(wrong.map((w) => w.file));
    for (const w of wrong) {
      expect(found.filter((v) => v.from === w.file).map((v) => v.rule.name), w.file).toContain(w.rule);
    }
  });

  it('fails an import cycle', async () => {
    const a = `src/queue/cycle-a-${tag}.ts`;
    const b = `src/queue/cycle-b-${tag}.ts`;
    wrong.push({ file: a, source: '', rule: '' }, { file: b, source: '', rule: '' });
    await writeFile(a, `export { b } from './cycle-b-${tag}.js';\nexport const a = 1;\n`);
    await writeFile(b, `export { a } from './cycle-a-${tag}.js';\nexport const b = 2;\n`);
    const found = await violations([a]);
    expect(found.map((v) => v.rule.name)).toContain('no-cycles');
  });
});
