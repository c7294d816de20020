import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StaffPages, templateKeys } from '../../src/http/staff/pages.js';
import { translator } from './staff-app.js';

const keysOf = (locale: string) => Object.keys(JSON.parse(readFileSync(`locales/${locale}/staff.json`, 'utf8')) as object).sort();

describe('staff pages and their locales', () => {
  it('id and en staff.json hold the same keys', () => {
    expect(keysOf('en')).toEqual(keysOf('id'));
  });

  it('every placeholder of the staff templates exists in both languages', async () => {
    const t = await translator();
    expect(templateKeys().length).toBeGreaterThan(4);
    for (const key of templateKeys()) for (const locale of ['id', 'en'] as const) expect(t.has(locale, key), `${locale}: ${key}`).toBe(true);
  });

  it('escapes locale text and values, and leaves no placeholder behind', async () => {
    const html = new StaffPages(await translator()).login('en', { csrf: 'tok"en', next: '/a?b=1&c=<2>', username: "o'neil" });
    expect(html).toContain('value="tok&quot;en"');
    expect(html).toContain('value="/a?b=1&amp;c=&lt;2&gt;"');
    expect(html).toContain('value="o&#39;neil"');
    expect(html).not.toContain('{{');
  });
});
