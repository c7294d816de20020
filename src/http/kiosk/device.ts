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

  constructor(
    token: string | undefined,
    private readonly secure: boolean,
  ) {
    if (token) this.expected = Buffer.from(proof(token));
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
    const cookie = parseCookies(req.get('cookie'))[KIOSK_COOKIE];
    return this.expected !== undefined && cookie !== undefined && same(cookie, this.expected);
  }

  enrol(res: Response, token: string): void {
    res.cookie(KIOSK_COOKIE, proof(token), this.cookieOptions());
  }

  private cookieOptions(): CookieOptions {
    return { httpOnly: true, sameSite: 'strict', secure: this.secure, path: '/kiosk', maxAge: COOKIE_DAYS * 86_400_000 };
  }
}

function proof(token: string): string {
  return createHmac('sha256', token).update('mpp kiosk device v1').digest('base64url');
}

function same(a: string, b: Buffer): boolean {
  const given = Buffer.from(a);
  return given.length === b.length && timingSafeEqual(given, b);
}
