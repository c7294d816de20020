import type { Catalogue } from '../../catalogue/loader.js';
import { escapeHtml } from '../../pages/html-page.js';
import type { Translator } from '../../i18n.js';
import type { Locale } from '../../message.js';
import { maskPersonalData } from '../../privacy/mask.js';
import { skmElements } from '../../survey/ikm.js';
import { intakeKinds, type CommentPage, type Counts, type RangeReport } from '../../reports/range-report.js';
import type { DayRange } from '../../reports/range.js';
import { barChart } from './charts.js';
import { csvDocument, type CsvDialect } from './csv.js';

type T = (key: string, params?: Record<string, unknown>) => string;

/**
 * The head's report over a period as HTML blocks and as spreadsheets. Counts, shares, service,
 * counter and officer names only; survey comments are masked again before they are shown.
 */
export class RangeReportView {
  constructor(
    private readonly translator: Translator,
    private readonly catalogue: Catalogue,
  ) {}

  html(locale: Locale, r: RangeReport): Record<string, string> {
    const t: T = (key, params) => this.translator.t(locale, key, params);
    const f = formats(locale, t);
    const total = r.total;
    const ikm = r.survey.ikm;
    const cards: Array<[string, string, string?]> = [
      [t('report.issued'), f.int(total.issued)],
      [t('report.served'), f.int(total.served)],
      [t('report.range.noshow_share'), f.pct(r.noshowShare)],
      [t('report.range.median_wait'), f.wholeMinutes(r.waits.medianMinutes)],
      [t('report.range.p90_wait'), f.wholeMinutes(r.waits.p90Minutes)],
      [t('report.range.max_wait'), f.minutes(r.waits.maxMs)],
      [t('report.range.over_target', { minutes: r.waits.targetMinutes }), f.pct(r.waits.overTargetShare), r.waits.overTarget > 0 ? t('report.range.over_target_count', { count: r.waits.overTarget }) : undefined],
      [t('report.responses'), f.int(r.survey.responses), t('report.range.min_sample', { count: r.survey.minSample })],
      [t('report.ikm'), ikm ? `${f.ikm(ikm.converted)} (${ikm.grade})` : t('report.none'), ikm ? t(`survey.performance.${ikm.performance}`) : undefined],
    ];
    const summary = `<dl class="cards">${cards.map(([k, v, note]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>${note ? `<dd class="card-note">${escapeHtml(note)}</dd>` : ''}</div>`).join('')}</dl>`;
    const warnings: string[] = [];
    if (r.survey.belowMinimum) warnings.push(t('report.range.sample_warning', { responses: r.survey.responses, min: r.survey.minSample }));
    if (r.daysWithoutDetail.length > 0) warnings.push(t('report.range.no_detail', { count: r.daysWithoutDetail.length, first: r.daysWithoutDetail[0], last: r.daysWithoutDetail.at(-1) }));
    if (r.servedWithoutOfficer > 0 && total.served > 0) warnings.push(t('report.range.officer_unknown', { count: r.servedWithoutOfficer }));
    const warning = warnings.map((w) => `<p class="warning" role="status">${escapeHtml(w)}</p>`).join('\n');
    const none = (key: string) => `<p class="intro">${escapeHtml(t(key))}</p>`;

    // Per hour: only the hours with anything, so a day of 08–15 is not drawn as 24 rows.
    const hours = r.hours.filter((h) => h.arrivals + h.served > 0);
    const peak = hours.reduce<(typeof hours)[number] | undefined>((best, h) => (!best || h.arrivals > best.arrivals ? h : best), undefined);
    const hourLabel = (h: number) => `${String(h).padStart(2, '0')}.00–${String((h + 1) % 24).padStart(2, '0')}.00`;
    const hours_chart =
      hours.length === 0
        ? none('report.no_data')
        : barChart({ title: t('report.range.chart_arrivals'), labels: hours.map((h) => hourLabel(h.hour)), series: [{ key: 'issued', label: t('report.range.arrivals'), values: hours.map((h) => h.arrivals) }], max: Math.max(1, ...hours.map((h) => h.arrivals)), format: f.int }) +
          barChart({ title: t('report.range.chart_waits'), labels: hours.map((h) => hourLabel(h.hour)), series: [{ key: 'wait', label: t('report.avg_wait'), values: hours.map((h) => (h.avgWaitMs ?? 0) / 60_000) }], max: Math.max(1, ...hours.map((h) => (h.avgWaitMs ?? 0) / 60_000)), format: f.minutesValue, guides: [{ at: r.waits.targetMinutes, label: t('report.range.target_short', { minutes: r.waits.targetMinutes }) }] });
    const peak_note = peak ? `<p class="note">${escapeHtml(t('report.range.peak', { hours: hourLabel(peak.hour), count: f.int(peak.arrivals) }))}</p>` : '';

    const countHeads = ['issued', 'served', 'noshow', 'cancelled', 'avg_wait', 'avg_service'].map((k) => t(`report.${k}`));
    const countCells = (c: Counts) => [f.int(c.issued), f.int(c.served), f.int(c.noshow), f.int(c.cancelled), f.minutes(c.served ? c.waitMs / c.served : undefined), f.minutes(c.served ? c.serviceMs / c.served : undefined)];
    const serviceRows = r.services.map((s) => [
      this.serviceName(s.serviceId, locale),
      this.agencyName(s.agencyId, locale),
      ...countCells(s),
      f.int(s.transfersIn),
      f.int(s.transfersOut),
      f.int(s.skm.responses),
      s.ikm ? `${f.ikm(s.ikm.converted)} (${s.ikm.grade})` : t('report.none'),
    ]);
    const services_table =
      r.services.length === 0
        ? none('report.no_data')
        : table(
            [t('report.service'), t('report.agency'), ...countHeads, t('report.range.transfers_in'), t('report.range.transfers_out'), t('report.responses'), t('report.ikm')],
            serviceRows,
            [t('report.total'), '', ...countCells(total), f.int(total.transfersIn), f.int(total.transfersOut), f.int(r.survey.responses), ikm ? `${f.ikm(ikm.converted)} (${ikm.grade})` : t('report.none')],
          );
    const agencies_table = r.agencies.length === 0 ? none('report.no_data') : table([t('report.agency'), ...countHeads], r.agencies.map((a) => [this.agencyName(a.agencyId, locale), ...countCells(a)]), [t('report.total'), ...countCells(total)]);
    const counters_table =
      r.counters.length === 0
        ? none('report.range.no_counters')
        : table([t('report.range.counter'), t('report.served'), t('report.noshow')], r.counters.map((c) => [this.counterName(c.counterId, locale), f.int(c.served), f.int(c.noshow)]), [t('report.total'), f.int(sum(r.counters.map((c) => c.served))), f.int(sum(r.counters.map((c) => c.noshow)))]);
    const officers_table =
      r.officers.length === 0
        ? none('report.range.no_officers')
        : table([t('report.range.officer'), t('report.served')], [...r.officers.map((o) => [o.officer, f.int(o.served)]), ...(r.servedWithoutOfficer > 0 ? [[t('report.range.officer_unrecorded'), f.int(r.servedWithoutOfficer)]] : [])], [t('report.total'), f.int(total.served)]);

    const channelTotal = sum(intakeKinds.map((k) => r.channels[k]));
    const channels_table = table(
      [t('report.range.channel'), t('report.issued'), t('report.range.share')],
      intakeKinds.filter((k) => k !== 'other' || r.channels.other > 0).map((k) => [t(`report.range.channels.${k}`), f.int(r.channels[k]), f.pct(channelTotal ? r.channels[k] / channelTotal : undefined)]),
      [t('report.total'), f.int(channelTotal), channelTotal ? f.pct(1) : t('report.none')],
    );
    const x = r.transfers;
    const transfers_block =
      `<p class="${x.reconciled ? 'ok' : 'warning'}">${escapeHtml(t(x.reconciled ? 'report.range.transfers_ok' : 'report.range.transfers_off', { out: x.out, in: x.in }))}</p>` +
      (x.pairs.length ? table([t('report.range.from_service'), t('report.range.to_service'), t('report.range.count')], x.pairs.map((p) => [this.serviceName(p.from, locale), this.serviceName(p.to, locale), f.int(p.count)]), [t('report.total'), '', f.int(x.out)]) : '');

    const ikm_chart = ikm
      ? barChart({
          title: t('report.chart_ikm'),
          labels: skmElements.map((e, i) => `U${i + 1} ${t(`survey.elements.${e}.name`)}`),
          series: [{ key: 'ikm', label: t('report.ikm'), values: ikm.nrr.map((n) => n * 25) }],
          min: 25,
          max: 100,
          format: f.ikm,
          valuesInside: true,
          guides: [
            { at: 65, label: 'C' },
            { at: 76.61, label: 'B' },
            { at: 88.31, label: 'A' },
          ],
        })
      : none('report.no_survey');
    return { summary, warning, hours_chart, peak_note, services_table, agencies_table, counters_table, officers_table, channels_table, transfers_block, ikm_chart };
  }

  /** The comments page's list: masked, with the day and service each is about. */
  commentsHtml(locale: Locale, page: CommentPage): string {
    const t: T = (key, params) => this.translator.t(locale, key, params);
    if (page.items.length === 0) return `<p class="intro">${escapeHtml(t('report.range.no_comments'))}</p>`;
    return `<ol class="comments" start="${(page.page - 1) * page.perPage + 1}">${page.items
      .map((c) => `<li><q>${escapeHtml(maskPersonalData(c.text))}</q><span class="meta">${escapeHtml(c.day)} · ${escapeHtml(this.serviceName(c.serviceId, locale))}</span></li>`)
      .join('')}</ol>`;
  }

  /**
   * One row per service, then a total row whose counts are the sums of the rows (averages and
   * the IKM of the total are computed from the summed totals, never averaged).
   */
  spreadsheet(locale: Locale, r: RangeReport, dialect: CsvDialect): string {
    const t: T = (key, params) => this.translator.t(locale, key, params);
    const head = ['from', 'to', 'service_id', 'service', 'agency', 'issued', 'served', 'noshow', 'cancelled', 'transfers_in', 'transfers_out', 'avg_wait_min', 'avg_service_min', 'responses', 'ikm', 'grade'].map((k) => t(`report.csv.${k}`));
    const row = (id: string, name: string, agency: string, c: Counts & { transfersIn: number; transfersOut: number }, responses: number, ikm?: { converted: number; grade: string }) => [
      r.range.from,
      r.range.to,
      id,
      name,
      agency,
      c.issued,
      c.served,
      c.noshow,
      c.cancelled,
      c.transfersIn,
      c.transfersOut,
      c.served ? round1(c.waitMs / c.served / 60_000) : undefined,
      c.served ? round1(c.serviceMs / c.served / 60_000) : undefined,
      responses,
      ikm?.converted,
      ikm?.grade,
    ];
    const rows = r.services.map((s) => row(s.serviceId, this.serviceName(s.serviceId, locale), this.agencyName(s.agencyId, locale), s, s.skm.responses, s.ikm));
    return csvDocument([head, ...rows, row('', t('report.total'), '', r.total, r.survey.responses, r.survey.ikm)], dialect);
  }

  rangeTitle(locale: Locale, range: DayRange): string {
    const t: T = (key, params) => this.translator.t(locale, key, params);
    const date = (d: string, weekday: boolean) =>
      new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'id-ID', { ...(weekday ? { weekday: 'long' } : {}), day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`));
    if (range.from === range.to) return t('report.day_of', { day: date(range.from, true) });
    return t(`report.range.title.${range.kind}`, { from: date(range.from, false), to: date(range.to, false), days: range.days.length });
  }

  serviceName(id: string, locale: Locale): string {
    return this.catalogue.services.get(id)?.name[locale] ?? id;
  }

  private agencyName(id: string, locale: Locale): string {
    return this.catalogue.agencies.get(id)?.name[locale] ?? id;
  }

  private counterName(id: string, locale: Locale): string {
    return this.catalogue.mpp.counters.find((c) => c.id === id)?.name[locale] ?? id;
  }
}

function table(heads: readonly string[], rows: ReadonlyArray<readonly string[]>, foot?: readonly string[]): string {
  const cells = (r: readonly string[]) => r.map((v, i) => (i === 0 ? `<th scope="row">${escapeHtml(v)}</th>` : `<td>${escapeHtml(v)}</td>`)).join('');
  return (
    `<div class="table-wrap"><table><thead><tr>${heads.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${cells(r)}</tr>`).join('\n')}</tbody>` +
    (foot ? `<tfoot><tr>${cells(foot)}</tr></tfoot>` : '') +
    '</table></div>'
  );
}

function formats(locale: Locale, t: T) {
  const tag = locale === 'en' ? 'en-GB' : 'id-ID';
  const int = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const one = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const two = new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const pct = new Intl.NumberFormat(tag, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return {
    int: (n: number) => int.format(n),
    ikm: (n: number) => two.format(n),
    pct: (share: number | undefined) => (share === undefined ? t('report.none') : pct.format(share)),
    minutes: (ms: number | undefined) => (ms === undefined ? t('report.none') : t('report.minutes', { value: one.format(ms / 60_000) })),
    minutesValue: (m: number) => t('report.minutes', { value: one.format(m) }),
    wholeMinutes: (m: number | undefined) => (m === undefined ? t('report.none') : t('report.minutes', { value: int.format(m) })),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
