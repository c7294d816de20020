import { escapeHtml } from '../../pages/html-page.js';

/** One coloured set of bars; `key` names its CSS class (`bar-<key>` in admin.css). */
export interface BarSeries {
  key: string;
  label: string;
  values: readonly number[];
}

export interface BarChartSpec {
  /** Accessible name of the chart (the `<title>` screen readers announce). */
  title: string;
  /** One row per label; each row has one bar per series. */
  labels: readonly string[];
  series: readonly BarSeries[];
  /** The scale's ends; values are clamped into them. */
  min?: number;
  max: number;
  format: (value: number) => string;
  /** Vertical lines across the chart, e.g. the IKM grade bands. */
  guides?: ReadonlyArray<{ at: number; label: string }>;
  /** Write every value inside the end of its bar (where guides would cross values written after it). */
  valuesInside?: boolean;
}

const WIDTH = 760;
const LABEL_W = 250;
const VALUE_W = 70;
const BAR_H = 14;
const ROW_GAP = 10;
const TOP = 40;
const LABEL_CHARS = 36;
/** A legend entry's room (150 px) in characters of the 12 px font. */
const LEGEND_CHARS = 20;
/** A generous average advance of the 12 px sans-serif font, to keep texts inside the drawing. */
const CHAR_W = 7.5;

/**
 * A horizontal bar chart as inline SVG markup, drawn on the server: no script, nothing loaded
 * from elsewhere, so it works under the page's CSP and prints as it shows. Every text is escaped.
 */
export function barChart(spec: BarChartSpec): string {
  const min = spec.min ?? 0;
  const span = Math.max(spec.max - min, Number.EPSILON);
  const plotW = WIDTH - LABEL_W - VALUE_W;
  const x = (v: number) => LABEL_W + ((Math.min(Math.max(v, min), spec.max) - min) / span) * plotW;
  const rowH = spec.series.length * BAR_H + ROW_GAP;
  const height = TOP + spec.labels.length * rowH + 8;
  const out: string[] = [];
  out.push(`<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${escapeHtml(spec.title)}" xmlns="http://www.w3.org/2000/svg">`);
  out.push(`<title>${escapeHtml(spec.title)}</title>`);
  spec.series.forEach((s, i) => {
    const lx = LABEL_W + i * 150;
    const label = s.label.length > LEGEND_CHARS ? `${s.label.slice(0, LEGEND_CHARS - 1)}…` : s.label;
    out.push(`<g><title>${escapeHtml(s.label)}</title><rect class="bar-${escapeHtml(s.key)}" x="${lx}" y="6" width="12" height="12" rx="2"/><text class="legend" x="${lx + 18}" y="16">${escapeHtml(label)}</text></g>`);
  });
  spec.labels.forEach((label, row) => {
    const y0 = TOP + row * rowH;
    const short = label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label;
    out.push(`<g><title>${escapeHtml(label)}</title><text class="label" x="${LABEL_W - 8}" y="${y0 + (spec.series.length * BAR_H) / 2 + 4}" text-anchor="end">${escapeHtml(short)}</text>`);
    spec.series.forEach((s, i) => {
      const v = s.values[row] ?? 0;
      const y = y0 + i * BAR_H;
      const w = Math.max(round(x(v) - LABEL_W), v > min ? 1 : 0);
      out.push(`<rect class="bar-${escapeHtml(s.key)}" x="${LABEL_W}" y="${y}" width="${w}" height="${BAR_H - 2}"/>`);
      // A value that would run past the drawing's edge is written inside the end of its bar.
      const text = spec.format(v);
      const inside = spec.valuesInside === true ? w > text.length * CHAR_W + 8 : LABEL_W + w + 4 + text.length * CHAR_W > WIDTH;
      out.push(
        inside
          ? `<text class="value inside" x="${LABEL_W + w - 4}" y="${y + BAR_H - 4}" text-anchor="end">${escapeHtml(text)}</text>`
          : `<text class="value" x="${LABEL_W + w + 4}" y="${y + BAR_H - 4}">${escapeHtml(text)}</text>`,
      );
    });
    out.push('</g>');
  });
  // Guides last, so the band edges show across the bars.
  for (const g of spec.guides ?? []) {
    // Off the scale (a 30-minute target over waits of 5): clamped to the end it would mark a value it is not.
    if (g.at < min || g.at > spec.max) continue;
    const gx = round(x(g.at));
    // Near the right edge the label goes to the left of its line, inside the drawing.
    const leftOf = gx + 3 + g.label.length * CHAR_W > WIDTH;
    out.push(`<line class="guide" x1="${gx}" y1="${TOP - 6}" x2="${gx}" y2="${height - 4}"/><text class="guide-label" x="${leftOf ? gx - 3 : gx + 3}" y="${TOP - 8}"${leftOf ? ' text-anchor="end"' : ''}>${escapeHtml(g.label)}</text>`);
  }
  out.push('</svg>');
  return out.join('');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
