import type { Agency, LocalText, Service } from '../../catalogue/schema.js';
import type { Locale } from '../../message.js';

type T = (key: string, params?: Record<string, unknown>) => string;

/** A content text in the citizen's language, falling back to Indonesian. */
export function local(text: LocalText, locale: Locale): string {
  return (locale === 'en' && text.en) || text.id;
}

/**
 * The service card: who may apply, requirements as a checklist, whether someone else may come and
 * what must be done in person, then fee, time, product, where, online alternative.
 * Who may apply comes first: a citizen who is not eligible should learn it before gathering papers.
 */
export function serviceCard(service: Service, agency: Agency | undefined, counters: string[], locale: Locale, t: T): string {
  const who = ((locale === 'en' && service.eligibility.text.en) || service.eligibility.text.id).map((w, i) => (i === 0 ? w : lowerFirst(w)));
  const lines = [t('card.title', { name: service.name[locale] }), local(service.summary, locale), '', t('card.eligibility', { who: who.join('; ') })];
  lines.push('', t('card.requirements'));
  service.requirements.forEach((r) => lines.push(t('card.item', { item: r[locale] })));
  const rep = service.representation;
  lines.push('', t(rep.allowed ? 'card.representation_allowed' : 'card.representation_not', { text: rep.text[locale] }));
  if (rep.allowed && rep.brings) lines.push(t('card.representation_brings', { items: rep.brings[locale].join(', ') }));
  if (service.in_person) lines.push(t('card.in_person', { text: local(service.in_person, locale) }));
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

/** Joins sentence-like items into one line; acronyms (WNI, PNS) keep their capitals. */
function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}
