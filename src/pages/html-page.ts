import type { Request } from 'express';
import type { Translator } from '../i18n.js';
import { isLocale, type Locale } from '../message.js';

/**
 * Fills a server-rendered page. `{{file.key}}` (with a dot) is a locale key, `{{name}}` a value
 * given here; both are HTML-escaped. `{{{name}}}` inserts markup the caller built with
 * `escapeHtml` itself (lists, options). A missing value is a bug in the page, so it throws.
 * Read templates with `readPage` (./partials.ts): it expands `{{> head …}}` before this runs.
 */
export function fillPage(template: string, translator: Translator, locale: Locale, values: Record<string, string>, html: Record<string, string> = {}): string {
  const all: Record<string, string> = { lang: locale, ...values };
  return template.replace(/\{\{\{([a-z_]+)\}\}\}|\{\{([a-z_.]+)\}\}/g, (_m, raw: string | undefined, key: string | undefined) => {
    if (raw !== undefined) {
      const value = html[raw];
      if (value === undefined) throw new Error(`page: no markup for {{{${raw}}}}`);
      return value;
    }
    if (key!.includes('.')) return escapeHtml(translator.t(locale, key!));
    const value = all[key!];
    if (value === undefined) throw new Error(`page: no value for {{${key}}}`);
    return escapeHtml(value);
  });
}

/**
 * JSON for a `<script type="application/json">` data block: `<` is escaped so no value can
 * close the element, and the block is data, never run, so the CSP (script-src 'self') holds.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** `?lang=en|id` first (a TV cannot change its browser's language), then the browser's preference. */
export function pageLanguage(req: Request): Locale {
  const asked = req.query.lang;
  return isLocale(asked) ? asked : pageLocale(req.get('accept-language'));
}

/** The raw strings under one locale key (e.g. `counter.js`), `{{param}}` left for the page script. */
export function localeTree(translator: Translator, locale: Locale, key: string): Record<string, unknown> {
  let node: unknown = translator.resources[locale];
  for (const part of key.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return node && typeof node === 'object' ? (node as Record<string, unknown>) : {};
}

/** Picks `en` only when the browser prefers English over Indonesian. */
export function pageLocale(acceptLanguage: string | undefined): Locale {
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'id';
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
