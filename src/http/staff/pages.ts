import type { Request } from 'express';
import { escapeHtml, pageLocale } from '../../pages/html-page.js';
import { readPage } from '../../pages/partials.js';
import type { Translator } from '../../i18n.js';
import type { Locale } from '../../message.js';

/** Keys of locales/<lang>/staff.json, checked by tsc (the locale test keeps id and en equal). */
export type StaffText = keyof typeof import('../../../locales/en/staff.json');

const read = (name: string) => readPage(import.meta.dirname, name);
const templates = { login: read('login.html'), message: read('message.html'), password: read('password.html') };

/** What the login form shows above the fields: a staff text and its styling. */
export interface Notice {
  kind: 'error' | 'info';
  key: StaffText;
  params?: Record<string, string | number>;
}

export interface LoginPageValues {
  csrf: string;
  next: string;
  username?: string;
  notice?: Notice;
}

/**
 * Server-rendered staff pages. In the templates `{{staff.key}}` (with a dot) is a locale key and
 * `{{name}}` (without) a value given here; both are HTML-escaped, so nothing typed by a user or
 * stored in a locale file can inject markup.
 */
export class StaffPages {
  constructor(private readonly translator: Translator) {}

  login(locale: Locale, values: LoginPageValues): string {
    return this.fill(templates.login, locale, {
      csrf: values.csrf,
      next: values.next,
      username: values.username ?? '',
      notice_kind: values.notice?.kind ?? '',
      notice: values.notice ? this.translator.t(locale, `staff.${values.notice.key}`, values.notice.params) : '',
    });
  }

  /** The password-change form of the signed-in staff member. */
  password(locale: Locale, values: { csrf: string; username: string; notice?: Notice }): string {
    return this.fill(templates.password, locale, {
      csrf: values.csrf,
      username: values.username,
      notice_kind: values.notice?.kind ?? '',
      notice: values.notice ? this.translator.t(locale, `staff.${values.notice.key}`, values.notice.params) : '',
    });
  }

  /** A page with a title and one sentence, e.g. "no access" or "form expired". */
  message(locale: Locale, titleKey: StaffText, messageKey: StaffText): string {
    return this.fill(templates.message, locale, { title: this.translator.t(locale, `staff.${titleKey}`), message: this.translator.t(locale, `staff.${messageKey}`) });
  }

  /** A short sentence for JSON error bodies, in the caller's language. */
  text(locale: Locale, key: StaffText): string {
    return this.translator.t(locale, `staff.${key}`);
  }

  private fill(template: string, locale: Locale, values: Record<string, string>): string {
    const all: Record<string, string> = { lang: locale, ...values };
    return template.replace(/\{\{([a-z_.]+)\}\}/g, (_m, key: string) => {
      if (key.includes('.')) return escapeHtml(this.translator.t(locale, key));
      const value = all[key];
      if (value === undefined) throw new Error(`staff page: no value for {{${key}}}`);
      return escapeHtml(value);
    });
  }
}

/** Staff pages follow the browser's language like the chat page: English only when preferred. */
export function requestLocale(req: Request): Locale {
  return pageLocale(req.get('accept-language'));
}

/** Placeholders of every staff template that name locale keys, for the locale completeness test. */
export function templateKeys(): string[] {
  const keys = Object.values(templates).flatMap((t) => [...t.matchAll(/\{\{([a-z_]+\.[a-z_.]+)\}\}/g)].map((m) => m[1]!));
  return [...new Set(keys)];
}
