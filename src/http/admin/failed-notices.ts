import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { localTime, minutesToHhmm } from '../../catalogue/local-time.js';
import type { Translator } from '../../i18n.js';
import { escapeHtml, fillPage, pageLanguage } from '../../pages/html-page.js';
import { readPage } from '../../pages/partials.js';
import { maskAddress, maskPersonalData } from '../../privacy/mask.js';
import type { FailedNotice, FailedNotices } from '../../reminders/failed-notices.js';
import { staffOf, type StaffAuth } from '../staff/index.js';

export const FAILED_NOTICES_PATH = '/admin/failed-notices';
const template = readPage(import.meta.dirname, 'failed-notices.html');
const retryForm = z.object({ channel: z.string().regex(/^[a-z0-9-]{1,40}$/), job: z.string().min(1).max(200) });
/** A channel's error can be long (a stack, an HTML page); the desk needs its first line. */
const REASON_MAX = 160;

export interface FailedNoticesRoutesOptions {
  staff: StaffAuth;
  translator: Translator;
  failed: Pick<FailedNotices, 'list' | 'retry'>;
  /** The address a notice was for (the ticket's or booking's), while it is kept; shown masked. */
  recipient: (notice: FailedNotice) => Promise<string | undefined>;
  timezone: string;
}

/**
 * `GET /admin/failed-notices`: the notices that could not be delivered, in Indonesian, with the
 * recipient masked and the reason; `POST /admin/failed-notices/retry` sends one again (operators
 * and admins, CSRF). Reads the reminders module's `FailedNotices`, never BullMQ.
 */
export function failedNoticesRoutes(opts: FailedNoticesRoutesOptions): Router {
  const { staff, translator } = opts;
  const router = Router();
  const noStore: RequestHandler = (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  };
  const guards = [staff.loadStaff, staff.requireStaff({ roles: ['admin', 'operator'], page: true }), noStore];

  router.get(FAILED_NOTICES_PATH, ...guards, async (req, res) => {
    const locale = pageLanguage(req);
    const t = (key: string, params?: Record<string, unknown>) => translator.t(locale, `admin.failed.${key}`, params);
    const me = staffOf(req);
    const notices = await opts.failed.list();
    const when = (at: number | undefined) => {
      if (!at) return '–';
      const local = localTime(new Date(at), opts.timezone);
      return `${local.date} ${minutesToHhmm(local.minutes)}`;
    };
    const rows: string[] = [];
    for (const n of notices) {
      const to = await opts.recipient(n);
      const reason = maskPersonalData(n.reason.split('\n')[0] ?? '').slice(0, REASON_MAX);
      rows.push(
        `<tr><td>${escapeHtml(when(n.failedAt))}</td><td>${escapeHtml(t(`kinds.${n.kind}`))}</td><td>${escapeHtml(n.channel)}</td>` +
          `<td class="to">${escapeHtml(to ? maskAddress(to) : t('recipient_gone'))}</td><td class="reason">${escapeHtml(reason || '–')}</td><td>${n.attempts}</td>` +
          `<td><form method="post" action="${FAILED_NOTICES_PATH}/retry"><input type="hidden" name="_csrf" value="${escapeHtml(me.csrf)}"><input type="hidden" name="channel" value="${escapeHtml(n.channel)}"><input type="hidden" name="job" value="${escapeHtml(n.jobId)}"><button type="submit">${escapeHtml(t('retry'))}</button></form></td></tr>`,
      );
    }
    const head = ['failed_at', 'kind', 'channel', 'recipient', 'reason', 'attempts', 'action'].map((k) => `<th scope="col">${escapeHtml(t(`col_${k}`))}</th>`).join('');
    const list = rows.length ? `<div class="table-wrap"><table class="failed"><thead><tr>${head}</tr></thead><tbody>${rows.join('\n')}</tbody></table></div>` : `<p class="intro">${escapeHtml(t('none'))}</p>`;
    const retried = req.query.retried;
    const notice = retried === '1' ? t('retried') : retried === '0' ? t('retry_gone') : '';
    res.type('html').send(fillPage(template, translator, locale, { username: me.username, csrf: me.csrf, notice, count: t('count', { count: notices.length }) }, { list }));
  });

  router.post(`${FAILED_NOTICES_PATH}/retry`, ...guards, staff.requireCsrf(), async (req, res) => {
    const form = retryForm.safeParse(req.body ?? {});
    const ok = form.success && (await opts.failed.retry(form.data.channel, form.data.job));
    res.redirect(303, `${FAILED_NOTICES_PATH}?retried=${ok ? 1 : 0}`);
  });
  return router;
}
