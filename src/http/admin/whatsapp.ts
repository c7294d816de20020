import { Router, type RequestHandler } from 'express';
import QRCode from 'qrcode';
import type { SessionStatus } from '../../channels/whatsapp-web/index.js';
import type { Translator } from '../../i18n.js';
import type { Locale } from '../../message.js';
import { escapeHtml, fillPage, pageLanguage } from '../../pages/html-page.js';
import { readPage } from '../../pages/partials.js';
import type { StaffAuth } from '../staff/index.js';

const template = readPage(import.meta.dirname, 'whatsapp.html');

/** Seconds between reloads: a QR lives about 20 s, so the page follows it without a script. */
const REFRESH_SECONDS = 10;

/**
 * The staff page for the linked phone: state, last failure, retries, and the QR to scan, drawn
 * server-side as a PNG data URL (the CSP allows `img-src data:`; nothing comes from a CDN).
 */
export async function renderAdminPage(translator: Translator, locale: Locale, status: SessionStatus | undefined): Promise<string> {
  const none = translator.t(locale, 'whatsapp.admin.none');
  const time = (d: Date | undefined) => (d ? d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : none);
  let qr = '';
  if (status?.qr) {
    const src = await QRCode.toDataURL(status.qr, { errorCorrectionLevel: 'L', margin: 2, width: 320 });
    qr = `<h2>${escapeHtml(translator.t(locale, 'whatsapp.admin.qr_heading'))}</h2>
    <img class="qr" src="${escapeHtml(src)}" width="320" height="320" alt="${escapeHtml(translator.t(locale, 'whatsapp.admin.qr_alt'))}">
    <p>${escapeHtml(translator.t(locale, 'whatsapp.admin.qr_help'))}</p>`;
  }
  const state = status?.state ?? 'stopped';
  return fillPage(
    template,
    translator,
    locale,
    {
      refresh: String(REFRESH_SECONDS),
      notice_kind: status ? '' : 'info',
      notice: status ? '' : translator.t(locale, 'whatsapp.admin.disabled'),
      state,
      state_label: translator.t(locale, `whatsapp.admin.states.${state}`),
      since: time(status?.since),
      reason: status?.reason ?? none,
      retries: String(status?.retries ?? 0),
      next_retry: time(status?.nextRetryAt),
    },
    { qr },
  );
}

export interface WhatsAppAdminOptions {
  staff: Pick<StaffAuth, 'loadStaff' | 'requireStaff'>;
  translator: Translator;
  /** The channel's own `status()`; undefined when the channel is off in this process. */
  status: () => SessionStatus | undefined;
}

/** `GET /admin/whatsapp` for admins and operators, fed by the WhatsApp Web channel's `status()`. */
export function whatsAppAdminRoutes({ staff, translator, status }: WhatsAppAdminOptions): Router {
  const guards: RequestHandler[] = [staff.loadStaff, staff.requireStaff({ roles: ['admin', 'operator'], page: true })];
  const router = Router();
  router.get('/admin/whatsapp', ...guards, async (req, res) => {
    // The QR links a phone to this server: never keep it in a cache.
    res.set('Cache-Control', 'no-store');
    res.type('html').send(await renderAdminPage(translator, pageLanguage(req), status()));
  });
  return router;
}
