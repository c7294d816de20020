import type { Translator } from '../../i18n.js';
import type { Locale } from '../../message.js';
import { errorCodes } from '../../errors.js';
import { escapeHtml } from '../../pages/html-page.js';
import { readPage } from '../../pages/partials.js';

const template = readPage(import.meta.dirname, 'page.html');

/**
 * The chat page in one language: `{{key}}` placeholders filled from locales, HTML-escaped.
 * `{{errors_json}}` is the text of every error code, so the page never shows the server's own message.
 */
export function renderPage(translator: Translator, locale: Locale): string {
  const errors = JSON.stringify(Object.fromEntries(errorCodes.map((code) => [code, translator.t(locale, `errors.${code}`)])));
  return template.replace(/\{\{([a-z_.]+)\}\}/g, (_m, key: string) => escapeHtml(key === 'lang' ? locale : key === 'errors_json' ? errors : translator.t(locale, key)));
}
