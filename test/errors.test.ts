import { describe, expect, it } from 'vitest';
import { errorCodes } from '../src/errors.js';
import { Translator } from '../src/i18n.js';
import { httpStatus } from '../src/http/errors.js';

describe('error codes', () => {
  it('every code has an HTTP status and a message in every language', async () => {
    const t = await Translator.load('locales');
    for (const code of errorCodes) {
      expect(httpStatus(code), code).toBeGreaterThanOrEqual(400);
      expect(t.has('id', `errors.${code}`), `id errors.${code}`).toBe(true);
      expect(t.has('en', `errors.${code}`), `en errors.${code}`).toBe(true);
    }
  });
});
