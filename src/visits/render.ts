import type { Locale } from '../message.js';
import type { PlanContext, PlanWarning, VisitPlan } from './types.js';

/** i18next-style translator; the renderer owns no words, only their order. */
export type Translate = (key: string, params?: Record<string, unknown>) => string;

type Text = { id: string; en?: string | undefined };

/**
 * The plan as one plain-text chat message with short lines (WhatsApp shows no markup reliably):
 * steps with counter and wait, one checklist, handoffs, fees, finishing time, warnings, notes.
 */
export function renderPlan(plan: VisitPlan, ctx: PlanContext, t: Translate, locale: Locale): string {
  const tx = (text: Text) => (locale === 'en' ? (text.en ?? text.id) : text.id);
  const name = (id: string) => tx(ctx.catalogue.services.get(id)?.name ?? { id });
  const stepOf = (id: string) => plan.steps.find((s) => s.service === id)?.step ?? 0;
  const sep = t('visit.list_sep');
  const time = (m: number) => t('visit.time', { h: String(Math.floor(m / 60)).padStart(2, '0'), m: String(m % 60).padStart(2, '0') });
  const money = (n: number) => t('visit.rupiah', { amount: new Intl.NumberFormat('id-ID').format(n) });

  const lines: string[] = [t('visit.title', { count: plan.steps.length })];
  for (const s of plan.steps) {
    const counters = s.counters.map((c) => ctx.catalogue.mpp.counters.find((k) => k.id === c)).filter((c) => c !== undefined);
    const agency = ctx.catalogue.agencies.get(s.agency);
    lines.push(t('visit.step', { step: s.step, service: name(s.service) }));
    lines.push(t('visit.where', { counter: counters.map((c) => tx(c.name)).join(' / ') || (agency?.short ?? s.agency), location: agency ? tx(agency.location) : '' }));
    lines.push(s.live ? t('visit.wait', { eta: s.etaMinutes, waiting: s.waiting, minutes: s.serviceMinutes }) : t('visit.wait_unknown', { minutes: s.serviceMinutes }));
    if (s.after.length > 0) lines.push(t('visit.after', { steps: s.after.map(stepOf).join(sep) }));
  }

  const itemLine = (item: VisitPlan['checklist'][number]) => {
    if (item.document === null) return t('visit.item_other', { text: tx(item.texts[0]!.text), service: name(item.services[0]!) });
    const doc = ctx.documents.document(item.document);
    const form = item.original && item.copy ? 'visit.form_both' : item.original ? 'visit.form_original' : item.copy ? 'visit.form_copy' : null;
    return t('visit.item', { document: doc ? tx(doc.name) : item.document, form: form ? t(form) : '', services: item.services.map(name).join(sep) });
  };
  const always = plan.checklist.filter((i) => !i.conditional);
  const sometimes = plan.checklist.filter((i) => i.conditional);
  if (always.length > 0) lines.push('', t('visit.checklist_title'), ...always.map(itemLine));
  if (sometimes.length > 0) lines.push('', t('visit.checklist_conditional'), ...sometimes.map(itemLine));
  if (plan.handoffs.length > 0) {
    lines.push('', t('visit.handoffs_title'));
    for (const h of plan.handoffs) lines.push(t('visit.handoff', { product: tx(h.product), from: stepOf(h.from), to: stepOf(h.to) }));
  }

  lines.push('');
  const f = plan.fees;
  if (!f.complete && f.total === 0) lines.push(t('visit.fees_unknown', { services: f.unknown.map(name).join(sep) }));
  else if (!f.complete) lines.push(t('visit.fees_partial', { total: money(f.total), services: f.unknown.map(name).join(sep) }));
  else lines.push(f.total === 0 ? t('visit.fees_free') : t('visit.fees_total', { total: money(f.total) }));
  lines.push(t('visit.timing', { time: time(plan.timing.finishesAt), minutes: plan.timing.totalMinutes }));

  const warnings = plan.warnings.map((w) => warningLine(w, t, name, time));
  const notes = [
    ...plan.prerequisites.map((p) => (p.when ? t('visit.prereq', { service: name(p.service), product: tx(p.product), needs: name(p.needs), when: tx(p.when) }) : t('visit.prereq_always', { service: name(p.service), product: tx(p.product), needs: name(p.needs) }))),
    ...plan.suggestions.map((s) => t('visit.suggest', { with: name(s.with), why: tx(s.why) })),
  ];
  if (warnings.length > 0) lines.push('', ...warnings);
  if (notes.length > 0) lines.push('', ...notes);
  return lines.join('\n');
}

function warningLine(w: PlanWarning, t: Translate, name: (id: string) => string, time: (m: number) => string): string {
  switch (w.code) {
    case 'quota_low':
      return t('visit.warn_quota_low', { service: name(w.service), remaining: w.remaining });
    case 'quota_full':
      return t('visit.warn_quota_full', { service: name(w.service) });
    case 'not_offered_today':
      return t('visit.warn_not_offered', { service: name(w.service) });
    case 'closed_today':
      return t('visit.warn_closed');
    case 'closes_before_finish':
      return t('visit.warn_closes', { service: name(w.service), closes: time(w.closesAt), finish: time(w.finishesAt) });
  }
}
