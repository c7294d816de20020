import type { Agency, LocalText, Service } from '../../catalogue/schema.js';
import type { Locale } from '../../message.js';

type T = (key: string, params?: Record<string, unknown>) => string;

/** A content text in the citizen's language, falling back to Indonesian. */
export function local(text: LocalText, locale: Locale): string {
  return (locale === 'en' && text.en) || text.id;
}

/** The service card: requirements as a checklist, fee, time, product, where, online alternative. */
export function serviceCard(service: Service, agency: Agency | undefined, counters: string[], locale: Locale, t: T): string {
  const lines = [t('card.title', { name: service.name[locale] }), local(service.summary, locale), '', t('card.requirements')];
  service.requirements.forEach((r) => lines.push(t('card.item', { item: r[locale] })));
  lines.push('', t('card.fee', { fee: local(service.fee.text, locale) }));
  if (service.fee.legal_basis) lines.push(t('card.legal_basis', { basis: service.fee.legal_basis }));
  lines.push(t('card.duration', { duration: local(service.duration, locale) }));
  lines.push(t('card.product', { product: local(service.product, locale) }));
  if (agency) {
    lines.push(t('card.where', { agency: agency.name[locale], location: local(agency.location, locale) }));
    if (counters.length) lines.push(t('card.counters', { counters: counters.join(', ') }));
  }
  if (service.online) lines.push(t('card.online', { label: local(service.online.label, locale), url: service.online.url }));
  const notes = service.notes ? (locale === 'en' && service.notes.en) || service.notes.id : [];
  if (notes.length) {
    lines.push('', t('card.notes'));
    notes.forEach((n) => lines.push(t('card.note', { note: n })));
  }
  lines.push('', t('card.one_visit'));
  return lines.join('\n');
}
