import type { Catalogue } from '../../catalogue/loader.js';
import { localTime, minutesToHhmm } from '../../catalogue/local-time.js';
import type { Translator } from '../../i18n.js';
import type { Locale } from '../../message.js';
import { escapeHtml } from '../../pages/html-page.js';
import type { OutOfOrderCall } from '../../queue/queue-service.js';

/** A ticket called before its turn, as the queue logs it (`QueueService.outOfOrderCalls`). */
export type OutOfOrderFigure = OutOfOrderCall;

/** A semester of a busy MPP could log thousands; the page lists the newest, the count says how many. */
const MAX_ROWS = 200;

/**
 * The report's "called before their turn" section: every out-of-order call in the period with the
 * officer's reason, newest first, since the console tells officers their reason is seen here.
 */
export function outOfOrderSection(translator: Translator, catalogue: Catalogue, locale: Locale, calls: readonly OutOfOrderFigure[]): string {
  const t = (key: string, params?: Record<string, unknown>) => translator.t(locale, `report.out_of_order.${key}`, params);
  const tz = catalogue.mpp.timezone;
  const counterName = (id: string) => catalogue.mpp.counters.find((c) => c.id === id)?.name[locale] ?? id;
  const serviceName = (id: string) => catalogue.services.get(id)?.name[locale] ?? id;
  const newest = [...calls].sort((a, b) => b.at - a.at).slice(0, MAX_ROWS);
  const intro = calls.length ? t(calls.length > newest.length ? 'summary_newest' : 'summary', { count: calls.length, shown: newest.length }) : t('none');
  const heads = ['when', 'counter', 'officer', 'number', 'service', 'reason'].map((k) => `<th scope="col">${escapeHtml(t(`col_${k}`))}</th>`).join('');
  const rows = newest
    .map((c) => {
      const local = localTime(new Date(c.at), tz);
      const when = `${local.date} ${minutesToHhmm(local.minutes)}`;
      return `<tr>${[when, counterName(c.counter), c.officer, c.number, serviceName(c.service), c.reason].map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const table = newest.length ? `<div class="table-wrap"><table><thead><tr>${heads}</tr></thead><tbody>${rows}</tbody></table></div>` : '';
  return `<section class="out-of-order"><h2>${escapeHtml(t('heading'))}</h2><p class="intro">${escapeHtml(intro)}</p>${table}</section>`;
}
