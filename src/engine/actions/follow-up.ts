import { cleanText } from '../../catalogue/normalise.js';
import type { Catalogue } from '../../catalogue/loader.js';
import type { Service } from '../../catalogue/schema.js';
import type { Locale } from '../../message.js';
import type { FollowUpTopic } from '../../understanding/index.js';
import { local } from './service-card.js';

type T = (key: string, params?: Record<string, unknown>) => string;

/**
 * Words that mark a note as being about a special case. Notes are free text in content/, so the
 * answer picks the notes that talk about the case asked; matching is on cleaned text, both languages.
 */
const CASE_WORDS: Partial<Record<FollowUpTopic, string[]>> = {
  fines: ['denda', 'sanksi', 'terlambat', 'telat', 'fine', 'fines', 'penalty', 'late'],
  children: ['anak', 'bayi', 'balita', 'di bawah umur', 'belum 17', 'orang tua', 'child', 'children', 'minor', 'baby', 'parent', 'parents', 'under 17'],
  lost: ['hilang', 'rusak', 'kehilangan', 'lost', 'damaged', 'stolen'],
};

/** The service's counters by name (a counter serves an agency, or a listed few of its services). */
export function countersOf(catalogue: Catalogue, service: Service, locale: Locale): string[] {
  return catalogue.mpp.counters.filter((c) => c.agency === service.agency && (!c.services || c.services.includes(service.id))).map((c) => c.name[locale]);
}

function list<T>(l: { id: T[]; en?: T[] | undefined } | undefined, locale: Locale): T[] {
  if (!l) return [];
  return (locale === 'en' && l.en) || l.id;
}

/** Texts (notes, fee, eligibility) that mention one of the case's words. */
function aboutCase(service: Service, locale: Locale, words: string[]): string[] {
  const texts = [...list(service.notes, locale), local(service.fee.text, locale), ...list(service.eligibility.text, locale)];
  const padded = words.map((w) => ` ${cleanText(w)} `);
  return texts.filter((text) => {
    const clean = ` ${cleanText(text)} `;
    return padded.some((w) => clean.includes(w));
  });
}

/**
 * A short answer about one part of a service, from its own fields: the follow-up to a card
 * ("biayanya brp?", "bisa diwakilkan?") without posting the whole card again.
 */
export function followUpAnswer(catalogue: Catalogue, service: Service, topic: FollowUpTopic, locale: Locale, t: T, withHint = true): string {
  const name = service.name[locale];
  const agency = catalogue.agencies.get(service.agency);
  const lines: string[] = [];
  switch (topic) {
    case 'fee':
      lines.push(t('followup.fee', { name, fee: local(service.fee.text, locale) }));
      if (service.fee.legal_basis) lines.push(t('card.legal_basis', { basis: service.fee.legal_basis }));
      break;
    case 'duration':
      lines.push(t('followup.duration', { name, duration: local(service.duration, locale) }));
      break;
    case 'online':
      lines.push(service.online ? t('followup.online', { name, label: local(service.online.label, locale), url: service.online.url }) : t('followup.no_online', { name }));
      break;
    case 'location':
    case 'agency': {
      const counters = countersOf(catalogue, service, locale);
      lines.push(t('followup.where', { name, agency: agency?.name[locale] ?? service.agency, location: agency ? local(agency.location, locale) : '' }));
      if (counters.length) lines.push(t('card.counters', { counters: counters.join(', ') }));
      break;
    }
    case 'procedure':
      lines.push(t('followup.procedure', { name }));
      list(service.procedure, locale).forEach((step, i) => lines.push(`${i + 1}. ${step}`));
      break;
    case 'requirements':
      lines.push(t('followup.requirements', { name }));
      for (const r of service.requirements) lines.push(t('card.item', { item: r[locale] }));
      break;
    case 'representation': {
      const rep = service.representation;
      lines.push(t(rep.allowed ? 'followup.representation_yes' : 'followup.representation_no', { name, text: rep.text[locale] }));
      if (rep.allowed && rep.brings) lines.push(t('card.representation_brings', { items: rep.brings[locale].join(', ') }));
      if (service.in_person) lines.push(t('card.in_person', { text: local(service.in_person, locale) }));
      break;
    }
    case 'eligibility':
      lines.push(t('followup.eligibility', { name }));
      for (const who of list(service.eligibility.text, locale)) lines.push(t('card.note', { note: who }));
      break;
    case 'fines':
    case 'children':
    case 'lost': {
      const found = aboutCase(service, locale, CASE_WORDS[topic] ?? []);
      if (found.length === 0) {
        lines.push(t(`followup.no_${topic}`, { name }));
        if (topic === 'fines') lines.push(t('followup.fee', { name, fee: local(service.fee.text, locale) }));
      } else {
        lines.push(t(`followup.${topic}`, { name }));
        for (const note of found) lines.push(t('card.note', { note }));
      }
      break;
    }
  }
  if (withHint) lines.push('', t('followup.more'));
  return lines.join('\n');
}
