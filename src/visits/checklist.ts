import type { Service } from '../catalogue/schema.js';
import type { DocumentMatcher } from './documents.js';
import type { ChecklistItem, Handoff } from './types.js';

/**
 * One checklist for the whole visit: a document named by several services is listed once with the
 * services it serves; a document a step receives from an earlier step (a handoff with `document`)
 * is not brought for that step. Requirements naming no known document stay as their own lines.
 */
export function buildChecklist(services: Service[], handoffs: Handoff[], matcher: DocumentMatcher): ChecklistItem[] {
  const byDoc = new Map<string, ChecklistItem>();
  const items: ChecklistItem[] = [];
  for (const s of services) {
    const received = new Set(handoffs.filter((h) => h.to === s.id && h.document).map((h) => h.document!));
    for (const req of s.requirements) {
      const m = matcher.match(req.id);
      if (m.documents.length === 0) {
        items.push({ document: null, services: [s.id], original: m.original, copy: m.copy, conditional: m.conditional, texts: [{ service: s.id, text: req }] });
        continue;
      }
      for (const doc of m.documents) {
        let item = byDoc.get(doc);
        if (!item) {
          item = { document: doc, services: [], original: false, copy: false, conditional: true, texts: [] };
          byDoc.set(doc, item);
          items.push(item);
        }
        item.texts.push({ service: s.id, text: req });
        if (received.has(doc)) continue;
        if (!item.services.includes(s.id)) item.services.push(s.id);
        item.original ||= m.original;
        item.copy ||= m.copy;
        item.conditional &&= m.conditional;
      }
    }
  }
  // Always-needed before case-dependent, shared documents first, then the order the steps need them.
  return items
    .filter((i) => i.services.length > 0)
    .map((item, index) => ({ item, index }))
    .sort(
      (a, b) =>
        Number(a.item.conditional) - Number(b.item.conditional) ||
        Number(b.item.document !== null) - Number(a.item.document !== null) ||
        b.item.services.length - a.item.services.length ||
        a.index - b.index,
    )
    .map((x) => x.item);
}
