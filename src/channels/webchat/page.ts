import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Translator } from '../../i18n.js';
import type { Locale } from '../../message.js';
import { escapeHtml } from '../../pages/html-page.js';

const template = readFileSync(path.join(import.meta.dirname, 'page.html'), 'utf8');

/** The chat page in one language: `{{key}}` placeholders filled from locales, HTML-escaped. */
export function renderPage(translator: Translator, locale: Locale): string {
  return template.replace(/\{\{([a-z_.]+)\}\}/g, (_m, key: string) => escapeHtml(key === 'lang' ? locale : translator.t(locale, key)));
}
