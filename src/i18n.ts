import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import i18next, { type i18n } from 'i18next';
import { defaultLocale, locales, type Locale } from './message.js';

type Resources = Record<string, unknown>;

/** Translates keys from `locales/<lang>/*.json`; the file name is the first part of the key. */
export class Translator {
  private readonly lists = new Map<string, string[]>();

  private constructor(
    private readonly i18n: i18n,
    readonly resources: Record<Locale, Resources>,
  ) {}

  static async load(dir: string): Promise<Translator> {
    const resources = {} as Record<Locale, Resources>;
    for (const locale of locales) {
      const folder = path.join(dir, locale);
      const files = (await readdir(folder)).filter((f) => f.endsWith('.json')).sort();
      const merged: Resources = {};
      for (const file of files) {
        try {
          merged[path.basename(file, '.json')] = JSON.parse(await readFile(path.join(folder, file), 'utf8')) as unknown;
        } catch (err) {
          throw new Error(`${path.join(folder, file)}: invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      resources[locale] = merged;
    }
    const instance = i18next.createInstance();
    await instance.init({
      lng: defaultLocale,
      fallbackLng: defaultLocale,
      supportedLngs: [...locales],
      resources: Object.fromEntries(locales.map((l) => [l, { translation: resources[l] }])),
      // Text goes to chat apps, not HTML: adapters escape for their own format.
      interpolation: { escapeValue: false },
      returnNull: false,
      showSupportNotice: false,
    } as Parameters<i18n['init']>[0]);
    return new Translator(instance, resources);
  }

  t(locale: Locale, key: string, params: Record<string, unknown> = {}): string {
    return String(this.raw(key, { ...params, lng: locale }));
  }

  /** An array value (e.g. keyword lists), or [] when the key is missing. */
  list(locale: Locale, key: string): string[] {
    // Locale files never change at run time, and lists are read on every message (keywords).
    const cacheKey = `${locale}\u0000${key}`;
    let cached = this.lists.get(cacheKey);
    if (!cached) {
      const value = this.raw(key, { lng: locale, returnObjects: true });
      cached = Array.isArray(value) ? value.map(String) : [];
      this.lists.set(cacheKey, cached);
    }
    return cached;
  }

  has(locale: Locale, key: string): boolean {
    // A plural key exists when its `_other` form does.
    return this.i18n.exists(key, { lng: locale, fallbackLng: false }) || this.i18n.exists(`${key}_other`, { lng: locale, fallbackLng: false });
  }

  /** i18next's t without its overloads, which cannot take a computed key and options together. */
  private raw(key: string, options: Record<string, unknown>): unknown {
    return (this.i18n.t.bind(this.i18n) as unknown as (k: string, o: Record<string, unknown>) => unknown)(key, options);
  }

  /** Every leaf key of a locale, for the completeness check. */
  keys(locale: Locale): string[] {
    const out: string[] = [];
    const walk = (node: unknown, prefix: string) => {
      if (node && typeof node === 'object' && !Array.isArray(node)) {
        for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
      } else out.push(prefix.replace(/_(zero|one|two|few|many|other)$/, ''));
    };
    walk(this.resources[locale], '');
    return [...new Set(out)];
  }
}
