import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Translator } from '../../engine/i18n.js';
import type { Locale } from '../../engine/message.js';

const template = readFileSync(path.join(import.meta.dirname, 'page.html'), 'utf8');

/** The chat page in one language: `{{key}}` placeholders filled from locales, HTML-escaped. */
export function renderPage(translator: Translator, locale: Locale): string {
  return template.replace(/\{\{([a-z_.]+)\}\}/g, (_m, key: string) => escapeHtml(key === 'lang' ? locale : translator.t(locale, key)));
}

/** Picks `en` only when the browser prefers English over Indonesian. */
export function pageLocale(acceptLanguage: string | undefined): Locale {
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'id';
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
