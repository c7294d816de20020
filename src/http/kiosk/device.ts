import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';
import { parseCookies } from '../../staff/sessions.js';

export const KIOSK_COOKIE = 'mpp_kiosk';
/** Chromium keeps a cookie at most 400 days; a kiosk is enrolled once and then left alone. */
const COOKIE_DAYS = 400;

/**
 * A kiosk device's proof of enrolment: the technician types MPP_KIOSK_TOKEN once on the kiosk,
 * which then holds a cookie derived from it (HttpOnly, SameSite=Strict). Rotating the token
 * un-enrols every kiosk. Without a configured token the kiosk is off: nobody on the internet can
 * drain the day's quotas through it.
 */
export class KioskDevice {
  private readonly expected?: Buffer;
  private readonly token?: string;

  constructor(
    token: string | undefined,
    private readonly secure: boolean,
    /** The main site: its kiosks hold the proof alone, as kiosks enrolled before sites existed do. */
    private readonly mainSite = 'main',
  ) {
    if (token) {
      this.expected = Buffer.from(proof(token));
      this.token = token;
    }
  }

  get enabled(): boolean {
    return this.expected !== undefined;
  }

  /** Whether the typed token is the kiosk token (constant time). */
  tokenMatches(typed: string): boolean {
    return this.expected !== undefined && same(proof(typed), this.expected);
  }

  /** Whether the request comes from an enrolled kiosk. */
  enrolled(req: Request): boolean {
    return this.siteOf(req) !== undefined;
  }

  /**
   * The site the kiosk was enrolled at, from its cookie: `<site>.<proof for that site>` (the main
   * site's is the proof alone). A kiosk cannot move itself to another site: the proof names the site.
   */
  siteOf(req: Request): string | undefined {
    const cookie = parseCookies(req.get('cookie'))[KIOSK_COOKIE];
    if (this.expected === undefined || this.token === undefined || cookie === undefined) return undefined;
    const dot = cookie.indexOf('.');
    if (dot === -1) return same(cookie, this.expected) ? this.mainSite : undefined;
    const site = cookie.slice(0, dot);
    return site !== this.mainSite && same(cookie.slice(dot + 1), Buffer.from(proof(this.token, site))) ? site : undefined;
  }

  /** Binds the device to `site` (the main site when omitted). */
  enrol(res: Response, token: string, site = this.mainSite): void {
    res.cookie(KIOSK_COOKIE, site === this.mainSite ? proof(token) : `${site}.${proof(token, site)}`, this.cookieOptions());
  }

  private cookieOptions(): CookieOptions {
    return { httpOnly: true, sameSite: 'strict', secure: this.secure, path: '/kiosk', maxAge: COOKIE_DAYS * 86_400_000 };
  }
}

function proof(token: string, site?: string): string {
  return createHmac('sha256', token).update(site === undefined ? 'mpp kiosk device v1' : `mpp kiosk device v1 site ${site}`).digest('base64url');
}

function same(a: string, b: Buffer): boolean {
  const given = Buffer.from(a);
  return given.length === b.length && timingSafeEqual(given, b);
}
