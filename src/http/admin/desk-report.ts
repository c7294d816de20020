import type { Catalogue } from '../../catalogue/loader.js';
import type { ComplaintFigureTotals } from '../../complaints/figures.js';
import type { DeskDayFigures } from '../../desk/figures.js';
import type { Translator } from '../../i18n.js';
import type { Locale } from '../../message.js';
import { escapeHtml } from '../../pages/html-page.js';
import { barChart } from './charts.js';
import { csvDocument } from './csv.js';

/** The day's help desk and complaint figures, as the report page's section and as CSV. */
export interface DeskReport {
  day: string;
  desk: DeskDayFigures;
  complaints: ComplaintFigureTotals;
}

/** Counts and durations only: nothing a citizen wrote, nobody's identity. */
export class DeskReportView {
  constructor(
    private readonly translator: Translator,
    private readonly catalogue: Catalogue,
  ) {}

  /** `at`: `&site=…` for the CSV link, so the file is asked for where the page was. */
  html(locale: Locale, r: DeskReport, at = ''): string {
    const t = (key: string, params?: Record<string, unknown>) => escapeHtml(this.translator.t(locale, key, params));
    const cards = this.metrics(locale, r).map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join('');
    // A day without hand-overs has no per-hour chart, only the zero in the cards.
    const hours = r.desk.opened === 0 ? `<p class="intro">${t('report.no_data')}</p>` : barChart({
      title: t('report.desk.per_hour'),
      labels: r.desk.perHour.map((_n, h) => String(h).padStart(2, '0')),
      series: [{ key: 'opened', label: t('report.desk.handed_over'), values: r.desk.perHour }],
      max: Math.max(1, ...r.desk.perHour),
      format: (n) => String(n),
    });
    const rows = Object.entries(r.complaints.byAgency)
      .map(([a, f]) => `<tr><td>${escapeHtml(this.agency(a, locale))}</td><td>${f.created}</td><td>${escapeHtml(this.minutes(locale, f.firstResponse.meanMs))}</td><td>${escapeHtml(this.minutes(locale, f.resolution.meanMs))}</td></tr>`)
      .join('');
    const categories = Object.entries(r.complaints.byCategory)
      .map(([c, n]) => `<tr><td>${t(`complaints.categories.${c}`)}</td><td>${n}</td></tr>`)
      .join('');
    return `<section class="desk-report">
      <h2>${t('report.desk.heading')} <a class="csv" href="${escapeHtml(`/admin/report/desk.csv?day=${r.day}${at}`)}" download>${t('report.download_csv')}</a></h2>
      <dl class="cards">${cards}</dl>
      <h3>${t('report.desk.per_hour')}</h3>
      ${hours}
      <h3>${t('report.desk.complaints_by_agency')}</h3>
      <table><thead><tr><th scope="col">${t('report.agency')}</th><th scope="col">${t('report.desk.complaints')}</th><th scope="col">${t('report.desk.first_response')}</th><th scope="col">${t('report.desk.resolution')}</th></tr></thead><tbody>${rows}</tbody></table>
      <h3>${t('report.desk.complaints_by_category')}</h3>
      <table><tbody>${categories}</tbody></table>
    </section>`;
  }

  /** One metric a row, then the hand-overs per hour and complaints per agency and category. */
  csv(r: DeskReport): string {
    const ms = (v: number | undefined) => (v === undefined ? undefined : Math.round(v / 6_000) / 10);
    const f = r.desk.firstResponse;
    const rows: Array<Array<string | number | undefined>> = [
      ['day', 'metric', 'key', 'value'],
      [r.day, 'handed_over', '', r.desk.opened],
      [r.day, 'resolved_by_desk', '', r.desk.closed],
      ...Object.entries(r.desk.returned).map(([reason, n]) => [r.day, 'handed_back', reason, n]),
      [r.day, 'first_response_p50_min', '', ms(f.p50)],
      [r.day, 'first_response_p90_min', '', ms(f.p90)],
      ...r.desk.perHour.map((n, h) => [r.day, 'handed_over_hour', String(h).padStart(2, '0'), n]),
      [r.day, 'complaints', '', r.complaints.created],
      ...Object.entries(r.complaints.byCategory).map(([c, n]) => [r.day, 'complaints_category', c, n]),
      // Agency `-` (none given) is written `none`: a leading dash reads as a formula in spreadsheets.
      ...Object.entries(r.complaints.byAgency).map(([id, x]) => [id === '-' ? 'none' : id, x] as const).flatMap(([a, x]) => [
        [r.day, 'complaints_agency', a, x.created],
        [r.day, 'complaint_first_response_mean_min', a, ms(x.firstResponse.meanMs)],
        [r.day, 'complaint_resolution_mean_min', a, ms(x.resolution.meanMs)],
      ]),
    ];
    return csvDocument(rows);
  }

  private metrics(locale: Locale, r: DeskReport): Array<[string, string]> {
    const t = (key: string) => this.translator.t(locale, key);
    const returned = Object.values(r.desk.returned).reduce((a, b) => a + b, 0);
    return [
      [t('report.desk.handed_over'), String(r.desk.opened)],
      [t('report.desk.resolved'), String(r.desk.closed)],
      [t('report.desk.handed_back'), String(returned)],
      [t('report.desk.first_response_p50'), this.minutes(locale, r.desk.firstResponse.p50)],
      [t('report.desk.first_response_p90'), this.minutes(locale, r.desk.firstResponse.p90)],
      [t('report.desk.complaints'), String(r.complaints.created)],
      [t('report.desk.complaint_first_response'), this.minutes(locale, r.complaints.firstResponse.meanMs)],
      [t('report.desk.complaint_resolution'), this.minutes(locale, r.complaints.resolution.meanMs)],
    ];
  }

  private minutes(locale: Locale, ms: number | undefined): string {
    if (ms === undefined) return this.translator.t(locale, 'report.none');
    return this.translator.t(locale, 'report.minutes', { value: new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'id-ID', { maximumFractionDigits: 1 }).format(ms / 60_000) });
  }

  private agency(id: string, locale: Locale): string {
    return id === '-' ? this.translator.t(locale, 'report.none') : (this.catalogue.agencies.get(id)?.name[locale] ?? id);
  }
}
