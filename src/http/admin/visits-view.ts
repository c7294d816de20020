import type { Catalogue } from '../../catalogue/loader.js';
import type { Translator } from '../../i18n.js';
import type { Locale } from '../../message.js';
import { escapeHtml } from '../../pages/html-page.js';

/**
 * Multi-service visit figures over a period, as the visit-queue branch's `visitReport(queue, days,
 * timezone)` (src/reports/visits.ts) returns them (`VisitReport` of src/visits/report.ts); written
 * structurally here so the report builds before and after that branch is merged.
 */
export interface VisitFigures {
  visits: number;
  completedSameDay: number;
  combinations: ReadonlyArray<{ services: readonly string[]; visits: number; completedSameDay: number; completedLater: number; incomplete: number }>;
}

/** The report's "visits with several services" section: per combination, completed the same day, later, or not. */
export function visitSection(translator: Translator, catalogue: Catalogue, locale: Locale, figures: VisitFigures): string {
  const t = (key: string, params?: Record<string, unknown>) => translator.t(locale, `report.visits.${key}`, params);
  const pct = new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'id-ID', { style: 'percent', maximumFractionDigits: 1 });
  const name = (id: string) => catalogue.services.get(id)?.name[locale] ?? id;
  const summary = figures.visits > 0 ? t('summary', { visits: figures.visits, same: figures.completedSameDay, share: pct.format(figures.completedSameDay / figures.visits) }) : t('none');
  const heads = ['combination', 'visits', 'same_day', 'later', 'incomplete'].map((k) => `<th scope="col">${escapeHtml(t(`col_${k}`))}</th>`).join('');
  const rows = figures.combinations
    .map((c) => `<tr><th scope="row">${escapeHtml(c.services.map(name).join(' + '))}</th>${[c.visits, c.completedSameDay, c.completedLater, c.incomplete].map((n) => `<td>${n}</td>`).join('')}</tr>`)
    .join('\n');
  const table = figures.combinations.length ? `<div class="table-wrap"><table><thead><tr>${heads}</tr></thead><tbody>${rows}</tbody></table></div>` : '';
  return `<section class="visits"><h2>${escapeHtml(t('heading'))}</h2><p class="intro">${escapeHtml(summary)}</p>${table}</section>`;
}
