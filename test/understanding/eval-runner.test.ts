import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationsSchema, notFoundPattern, replay } from '../../src/cli/eval-conversations.js';
import { startTestApp, type TestApp } from '../helpers.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ OPENING_HOURS: 'always', CHAT_RATE_PER_MINUTE: '600', HTTP_RATE_PER_MINUTE: '100000' });
});
afterAll(async () => {
  await app.close();
});

describe('eval:conversations runner', () => {
  it('our own conversation file follows the shared format', () => {
    const parsed = conversationsSchema.parse(JSON.parse(readFileSync('test/conversations/understanding.json', 'utf8')));
    expect(parsed.length).toBeGreaterThanOrEqual(20);
  });

  it('replays over HTTP, follows choices, and reports a miss with what was said and the reply', async () => {
    const conversations = conversationsSchema.parse([
      { name: 'card then a choice', turns: [{ say: 'syarat perpanjang paspor', expect: 'paspor' }, { choose: 'antre', expect: '.' }] },
      { name: 'a sure miss', turns: [{ say: 'syarat skck baru', expect: 'this text is never in a reply' }] },
      { name: 'nothing found fails unless allowed', turns: [{ say: 'qwertyuiop asdfgh', allowNotFound: true }, { say: 'qwertyuiop asdfgh' }] },
    ]);
    const result = await replay(app.url, conversations, notFoundPattern(process.cwd()));
    expect(result.checked).toBe(5);
    expect(result.misses.map((m) => [m.conversation, m.turn])).toEqual([
      ['a sure miss', 1],
      ['nothing found fails unless allowed', 2],
    ]);
    expect(result.misses[0]!.said).toBe('syarat skck baru');
    expect(result.misses[0]!.reply).toMatch(/SKCK/);
    expect(result.misses[1]!.why).toBe('nothing found');
  });
});
