import { backoffDelay } from '../whatsapp-web/backoff.js';
import type { GraphMessage } from './render.js';

/**
 * Graph error codes worth another try although the HTTP status is 4xx: throughput (130429),
 * pair rate limit, about one message per 6 s to one user (131056), service unavailable (131016).
 */
const RETRYABLE_CODES = new Set([130429, 131056, 131016]);
/** Access token invalid or expired: the channel is down until an operator fixes it. */
const TOKEN_CODES = new Set([190]);
const REQUEST_TIMEOUT_MS = 10_000;
const MAX_RETRY_AFTER_MS = 30_000;

/** A request the Graph API refused; `code` is Graph's error code, never any personal data. */
export class GraphApiError extends Error {
  constructor(
    readonly status: number,
    readonly graphCode: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'GraphApiError';
  }

  /** Busy or failing on Meta's side: try again later. */
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500 || (this.graphCode !== undefined && RETRYABLE_CODES.has(this.graphCode));
  }

  /** Our credentials are wrong: nothing can be sent to anyone until they are fixed. */
  get credentials(): boolean {
    return this.status === 401 || (this.graphCode !== undefined && TOKEN_CODES.has(this.graphCode));
  }
}

export interface GraphApiOptions {
  /** e.g. https://graph.facebook.com/v21.0 (version pinned). */
  base: string;
  phoneNumberId: string;
  token: string;
  fetch?: typeof fetch;
  /** Wait before the first retry; doubles after each. */
  retryMinMs?: number;
}

/** Sends messages through `POST {base}/{phone-number-id}/messages`. */
export class GraphApi {
  private readonly fetch: typeof fetch;
  private readonly url: string;

  constructor(private readonly opts: GraphApiOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch;
    this.url = `${opts.base.replace(/\/+$/, '')}/${encodeURIComponent(opts.phoneNumberId)}/messages`;
  }

  /** Sends one message; retries busy answers and network errors up to `attempts` tries in all. */
  async send(to: string, message: GraphMessage, attempts = 3): Promise<void> {
    const body = JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to, ...message });
    for (let attempt = 1; ; attempt++) {
      let failure: unknown;
      let wait: number | undefined;
      try {
        const res = await this.fetch(this.url, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.opts.token}`, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        if (res.ok) {
          await res.body?.cancel();
          return;
        }
        failure = await graphError(res);
        wait = retryAfter(res.headers.get('retry-after'));
      } catch (err) {
        // Network error or timeout: worth another try.
        failure = err;
      }
      const retryable = !(failure instanceof GraphApiError) || failure.retryable;
      if (!retryable || attempt >= attempts) throw failure;
      await new Promise((resolve) => setTimeout(resolve, wait ?? backoffDelay(attempt - 1, this.opts.retryMinMs ?? 500, 8_000)));
    }
  }
}

async function graphError(res: Response): Promise<GraphApiError> {
  let code: number | undefined;
  let text = '';
  try {
    const json = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    code = typeof json.error?.code === 'number' ? json.error.code : undefined;
    text = typeof json.error?.message === 'string' ? json.error.message.slice(0, 200) : '';
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  return new GraphApiError(res.status, code, `Graph API ${res.status}${code !== undefined ? ` (code ${code})` : ''}${text ? `: ${text}` : ''}`);
}

function retryAfter(header: string | null): number | undefined {
  const seconds = header === null ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) : undefined;
}
