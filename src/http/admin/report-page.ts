import type { Catalogue } from '../../catalogue/loader.js';
import { escapeHtml } from '../../pages/html-page.js';
import type { Translator } from '../../i18n.js';
import type { Locale } from '../../message.js';
import { skmElements } from '../../survey/ikm.js';
import { barChart } from './charts.js';
import { csvDocument } from './csv.js';
import type { DayFigures, DayReport } from '../../reports/daily-report.js';

/**
 * The operator report as HTML fragments and as CSV. Only counts, averages and service names:
 * no ticket numbers, no comments, nothing that could point at a citizen.
 */
export class ReportView {
  constructor(
    private readonly translator: Translator,
    private readonly catalogue: Catalogue,
  ) {}

  /** The page's markup blocks: summary cards, the table, the two charts. */
  html(locale: Locale, report: DayReport): { summary: string; table: string; tickets_chart: string; ikm_chart: string } {
    const t = (key: string, params?: Record<string, unknown>) => this.translator.t(locale, key, params);
    const f = this.formats(locale);
    const total = report.total;
    const cards: Array<[string, string]> = [
      [t('report.issued'), f.int(total.issued)],
      [t('report.served'), f.int(total.served)],
      [t('report.noshow'), f.int(total.noshow)],
      [t('report.avg_wait'), f.minutes(total.avgWaitMs)],
      [t('report.avg_service'), f.minutes(total.avgServiceMs)],
      [t('report.responses'), f.int(total.skm.responses)],
      [t('report.ikm'), total.ikm ? `${f.ikm(total.ikm.converted)} (${total.ikm.grade})` : t('report.none')],
    ];
    const summary = `<dl class="cards">${cards.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join('')}</dl>`;
    if (report.services.length === 0) {
      const empty = `<p class="intro">${escapeHtml(t('report.no_data'))}</p>`;
      return { summary, table: empty, tickets_chart: empty, ikm_chart: `<p class="intro">${escapeHtml(t('report.no_survey'))}</p>` };
    }
    const heads = ['service', 'agency', 'issued', 'served', 'noshow', 'cancelled', 'avg_wait', 'avg_service', 'responses', 'ikm', 'grade'].map((k) => `<th scope="col">${escapeHtml(t(`report.${k}`))}</th>`);
    const row = (first: string, second: string, d: DayFigures, cell: 'td' | 'th') =>
      `<tr><${cell}${cell === 'th' ? ' scope="row"' : ''}>${escapeHtml(first)}</${cell}><td>${escapeHtml(second)}</td>` +
      [f.int(d.issued), f.int(d.served), f.int(d.noshow), f.int(d.cancelled), f.minutes(d.avgWaitMs), f.minutes(d.avgServiceMs), f.int(d.skm.responses), d.ikm ? f.ikm(d.ikm.converted) : t('report.none')].map((v) => `<td>${escapeHtml(v)}</td>`).join('') +
      `<td>${d.ikm ? `<span class="grade grade-${d.ikm.grade}">${d.ikm.grade}</span> ${escapeHtml(t(`survey.performance.${d.ikm.performance}`))}` : escapeHtml(t('report.none'))}</td></tr>`;
    const body = report.services.map((s) => row(this.serviceName(s.serviceId, locale), this.agencyName(s.serviceId, locale), s, 'td')).join('\n');
    const table = `<table><thead><tr>${heads.join('')}</tr></thead><tbody>\n${body}\n</tbody><tfoot>${row(t('report.total'), '', total, 'th')}</tfoot></table>`;

    const names = report.services.map((s) => this.serviceName(s.serviceId, locale));
    const tickets_chart = barChart({
      title: t('report.chart_tickets'),
      labels: names,
      series: [
        { key: 'issued', label: t('report.issued'), values: report.services.map((s) => s.issued) },
        { key: 'served', label: t('report.served'), values: report.services.map((s) => s.served) },
        { key: 'noshow', label: t('report.noshow'), values: report.services.map((s) => s.noshow) },
      ],
      max: Math.max(1, ...report.services.map((s) => s.issued), ...report.services.map((s) => s.served)),
      format: f.int,
    });
    const ikm = total.ikm;
    const ikm_chart = ikm
      ? barChart({
          title: t('report.chart_ikm'),
          labels: skmElements.map((e, i) => `U${i + 1} ${t(`survey.elements.${e}.name`)}`),
          series: [{ key: 'ikm', label: t('report.ikm'), values: ikm.nrr.map((n) => n * 25) }],
          min: 25,
          max: 100,
          format: f.ikm,
          guides: [
            { at: 65, label: 'C' },
            { at: 76.61, label: 'B' },
            { at: 88.31, label: 'A' },
          ],
        })
      : `<p class="intro">${escapeHtml(t('report.no_survey'))}</p>`;
    return { summary, table, tickets_chart, ikm_chart };
  }

  /** One header row and one row per service; numbers plain (dot decimals) for spreadsheets. */
  csv(locale: Locale, report: DayReport): string {
    const t = (key: string, params?: Record<string, unknown>) => this.translator.t(locale, key, params);
    const head = ['day', 'service_id', 'service', 'agency', 'issued', 'served', 'noshow', 'cancelled', 'avg_wait_min', 'avg_service_min', 'responses', 'ikm', 'grade'].map((k) => t(`report.csv.${k}`));
    const elementHeads = skmElements.map((name, i) => t('report.csv.element', { n: i + 1, name }));
    const rows = report.services.map((s) => [
      report.day,
      s.serviceId,
      this.serviceName(s.serviceId, locale),
      this.agencyName(s.serviceId, locale),
      s.issued,
      s.served,
      s.noshow,
      s.cancelled,
      toMinutes(s.avgWaitMs),
      toMinutes(s.avgServiceMs),
      s.skm.responses,
      s.ikm?.converted,
      s.ikm?.grade,
      ...skmElements.map((_e, i) => (s.ikm ? Math.round(s.ikm.nrr[i]! * 100) / 100 : undefined)),
    ]);
    return csvDocument([[...head, ...elementHeads], ...rows]);
  }

  private serviceName(id: string, locale: Locale): string {
    return this.catalogue.services.get(id)?.name[locale] ?? id;
  }

  private agencyName(serviceId: string, locale: Locale): string {
    const agency = this.catalogue.agencies.get(this.catalogue.services.get(serviceId)?.agency ?? '');
    return agency?.name[locale] ?? '';
  }

  private formats(locale: Locale) {
    const tag = locale === 'en' ? 'en-GB' : 'id-ID';
    const int = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
    const one = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const two = new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return {
      int: (n: number) => int.format(n),
      ikm: (n: number) => two.format(n),
      minutes: (ms: number | undefined) => (ms === undefined ? this.translator.t(locale, 'report.none') : this.translator.t(locale, 'report.minutes', { value: one.format(ms / 60_000) })),
    };
  }
}

function toMinutes(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.round(ms / 6_000) / 10;
}
