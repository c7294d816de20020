import { describe, expect, it } from 'vitest';
import { complaintCategories, complaintStatuses } from '../../src/complaints/complaint.js';
import { complaintErrorCodes } from '../../src/complaints/errors.js';
import { handoverStates, returnReasons } from '../../src/desk/conversation.js';
import { deskErrorCodes } from '../../src/desk/errors.js';
import { Translator } from '../../src/i18n.js';
import { leafKeys } from '../helpers.js';

describe('desk and complaint texts', () => {
  it('lists the same keys in both languages', () => {
    for (const file of ['desk', 'complaints']) expect(leafKeys(`locales/en/${file}.json`), file).toEqual(leafKeys(`locales/id/${file}.json`));
  });

  it('has a text for every state, reason, delivery status, note, status, category and error code, in both languages', async () => {
    const t = await Translator.load('locales');
    const keys = [
      ...handoverStates.map((s) => `desk.states.${s}`),
      ...returnReasons.map((r) => `desk.return_reasons.${r}`),
      ...returnReasons.map((r) => `desk.handover.${r === 'unanswered' ? 'returned_unanswered' : `returned_by_${r}`}`),
      ...['pending', 'queued_for_template', 'sent', 'failed', 'unreachable', 'dropped'].map((d) => `desk.delivery.${d}`),
      ...['claimed', 'released', 'transferred', 'closed', 'returned'].map((n) => `desk.notes.${n}`),
      ...deskErrorCodes.map((c) => `desk.errors.${c}`),
      ...complaintStatuses.map((s) => `complaints.statuses.${s}`),
      ...complaintCategories.map((c) => `complaints.categories.${c}`),
      ...complaintErrorCodes.map((c) => `complaints.errors.${c}`),
      ...['verify', 'follow_up'].map((o) => `complaints.overdue.${o}`),
      'desk.template.officer_replied',
    ];
    for (const locale of ['id', 'en'] as const) for (const key of keys) expect(t.has(locale, key), `${locale} ${key}`).toBe(true);
    expect(t.t('id', 'desk.template.officer_replied')).toBe('Petugas MPP telah menanggapi pesan Anda, balas untuk melanjutkan.');
    // Saber Pungli was disbanded (Perpres 49/2025): citizens go to the Ombudsman and SP4N-LAPOR!.
    for (const locale of ['id', 'en'] as const) {
      const advice = t.t(locale, 'complaints.pungli.advice', { laporUrl: 'https://www.lapor.go.id', reference: 'ADU-20261123-0001' });
      expect(advice).toContain('137');
      expect(advice).toContain('https://www.lapor.go.id');
      expect(advice.toLowerCase()).not.toContain('saber');
    }
  });
});
