import type { Logger } from 'pino';
import { backoffDelay } from './backoff.js';
import type { ClientLike, ClientEvents, WaMessageLike } from './client.js';

/** Where the linked WhatsApp session is; the admin page and /readyz show it. */
export const sessionStates = ['stopped', 'starting', 'qr', 'authenticated', 'ready', 'disconnected', 'auth_failure', 'failed'] as const;
export type SessionState = (typeof sessionStates)[number];

export interface SessionStatus {
  state: SessionState;
  /** Why the last attempt ended (library reason or error message); cleared when ready. */
  reason?: string;
  /** Failed attempts in a row; 0 once a session became ready. */
  retries: number;
  /** When the next attempt starts, while one is scheduled. */
  nextRetryAt?: Date;
  /** When the state last changed. */
  since: Date;
  /** Latest QR string while waiting for a scan (sensitive: only for the staff page and terminal). */
  qr?: string;
}

export interface WatchdogOptions {
  createClient: () => ClientLike;
  /** A start that shows neither a QR nor `ready` in this time is stuck (WhatsApp Web changed, blackholed network). */
  readyTimeoutMs: number;
  retryMinMs: number;
  retryMaxMs: number;
  logger: Logger;
  onMessage: (message: WaMessageLike) => void;
  onQr?: (qr: string) => void;
  /** How often a ready session is asked for its state (default 60 s). */
  healthIntervalMs?: number;
  random?: () => number;
  now?: () => Date;
}

/** How long stop and restart wait for the library before killing Chromium themselves. */
const TEARDOWN_WAIT_MS = 3_000;
/** How long a teardown waits for a browser that is still being launched. */
const LAUNCH_WAIT_MS = 8_000;
/**
 * A ready session can die without any event: after hours the page or browser closes and every
 * call fails with `Protocol error … Session closed` (whatsapp-web.js #2883, #3947). A periodic
 * getState() notices; a probe that fails or takes this long counts as a lost session.
 */
const HEALTH_INTERVAL_MS = 60_000;
const HEALTH_TIMEOUT_MS = 15_000;

/**
 * Keeps one whatsapp-web.js client alive. `disconnected`, `auth_failure`, `initialize()` failing,
 * or no progress within the ready timeout all end the same way: the client is destroyed, Chromium
 * is made sure dead (an offline `initialize()` rejects and leaves it running), and a new client
 * starts after an exponential backoff. Events of an old client are ignored by generation number.
 */
export class SessionWatchdog {
  private generation = 0;
  private session: { client: ClientLike; initializing: Promise<void> } | undefined;
  private readyTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private teardown: Promise<void> = Promise.resolve();
  private stopped = true;
  private current: SessionStatus;

  constructor(private readonly opts: WatchdogOptions) {
    this.current = { state: 'stopped', retries: 0, since: this.now() };
  }

  status(): SessionStatus {
    return { ...this.current };
  }

  /** The client, only while its session is ready to send. */
  readyClient(): ClientLike | undefined {
    return this.current.state === 'ready' ? this.session?.client : undefined;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt();
  }

  /** Stops retrying and closes the browser; resolves when Chromium is gone. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.generation++;
    clearTimeout(this.retryTimer);
    clearTimeout(this.readyTimer);
    clearInterval(this.healthTimer);
    const session = this.session;
    this.session = undefined;
    if (session) this.teardown = this.teardown.then(() => this.destroy(session));
    await this.teardown;
    this.set({ state: 'stopped', retries: this.current.retries });
  }

  private attempt(): void {
    const gen = ++this.generation;
    this.set({ state: 'starting', reason: this.current.reason, retries: this.current.retries });
    let client: ClientLike;
    try {
      client = this.opts.createClient();
    } catch (err) {
      this.fail(gen, 'failed', errorText(err));
      return;
    }
    const on = <E extends keyof ClientEvents>(event: E, listener: (...args: ClientEvents[E]) => void) => {
      client.on(event, (...args: ClientEvents[E]) => {
        if (gen === this.generation) listener(...args);
      });
    };
    on('qr', (qr) => {
      // A QR on screen means the page works; waiting for a person to scan is not a hang.
      clearTimeout(this.readyTimer);
      this.set({ state: 'qr', reason: this.current.reason, retries: this.current.retries, qr });
      this.opts.onQr?.(qr);
    });
    on('authenticated', () => {
      this.set({ state: 'authenticated', retries: this.current.retries });
      this.armReadyTimer(gen);
    });
    on('ready', () => {
      clearTimeout(this.readyTimer);
      clearInterval(this.healthTimer);
      this.healthTimer = setInterval(() => void this.checkHealth(), this.opts.healthIntervalMs ?? HEALTH_INTERVAL_MS);
      this.healthTimer.unref();
      this.set({ state: 'ready', retries: 0 });
      this.opts.logger.info('whatsapp-web session ready');
    });
    on('message', (message) => this.opts.onMessage(message));
    on('disconnected', (reason) => this.fail(gen, 'disconnected', String(reason)));
    on('auth_failure', (message) => this.fail(gen, 'auth_failure', String(message)));
    this.armReadyTimer(gen);
    // Known before initialize() runs, so a failure signalled from inside it still tears this client down.
    const session = { client, initializing: Promise.resolve() };
    this.session = session;
    session.initializing = Promise.resolve()
      .then(() => client.initialize())
      .then(
        () => undefined,
        (err: unknown) => this.fail(gen, 'failed', errorText(err)),
      );
  }

  /** Asks a ready session for its state now (also after a failed send); a dead page restarts it. */
  async checkHealth(): Promise<void> {
    const gen = this.generation;
    const client = this.readyClient();
    if (!client) return;
    try {
      await Promise.race([client.getState(), sleep(HEALTH_TIMEOUT_MS).then(() => Promise.reject(new Error(`no answer in ${HEALTH_TIMEOUT_MS / 1000} s`)))]);
    } catch (err) {
      this.fail(gen, 'failed', `health check failed: ${errorText(err)}`);
    }
  }

  private armReadyTimer(gen: number): void {
    clearTimeout(this.readyTimer);
    this.readyTimer = setTimeout(() => this.fail(gen, 'failed', `not ready after ${this.opts.readyTimeoutMs / 1000} s`), this.opts.readyTimeoutMs);
    this.readyTimer.unref();
  }

  /** Ends this generation's client once, however many failure signals it sends, and schedules the next. */
  private fail(gen: number, state: 'disconnected' | 'auth_failure' | 'failed', reason: string): void {
    if (gen !== this.generation || this.stopped) return;
    this.generation++;
    clearTimeout(this.readyTimer);
    clearInterval(this.healthTimer);
    const session = this.session;
    this.session = undefined;
    const delay = backoffDelay(this.current.retries, this.opts.retryMinMs, this.opts.retryMaxMs, this.opts.random);
    const nextRetryAt = new Date(this.now().getTime() + delay);
    this.set({ state, reason, retries: this.current.retries + 1, nextRetryAt });
    this.opts.logger.warn({ state, reason, retries: this.current.retries, retryInMs: delay }, 'whatsapp-web session lost; restarting with backoff');
    if (session) this.teardown = this.teardown.then(() => this.destroy(session));
    this.retryTimer = setTimeout(() => {
      void this.teardown.then(() => {
        if (!this.stopped) this.attempt();
      });
    }, delay);
  }

  /** destroy(), then kill Chromium if it is still there: a stray browser holds the profile lock. */
  private async destroy({ client, initializing }: { client: ClientLike; initializing: Promise<void> }): Promise<void> {
    // initialize() may still be launching the browser (seconds on a busy machine): destroy() before
    // the library knows its browser would close nothing, so wait until it settles or has one.
    let settled = false;
    void initializing.then(() => (settled = true));
    const deadline = Date.now() + LAUNCH_WAIT_MS;
    while (!settled && !client.pupBrowser && Date.now() < deadline) await Promise.race([initializing, sleep(50)]);
    await this.close(client);
    if (!client.pupBrowser && !settled) {
      this.opts.logger.warn('whatsapp-web browser still launching; it will be closed once the launch ends');
      void initializing.then(() => this.close(client));
    }
  }

  private async close(client: ClientLike): Promise<void> {
    const browser = client.pupBrowser?.process() ?? undefined;
    try {
      await Promise.race([client.destroy(), sleep(TEARDOWN_WAIT_MS).then(() => Promise.reject(new Error('destroy() timed out')))]);
    } catch (err) {
      this.opts.logger.warn({ err: errorText(err) }, 'whatsapp-web destroy failed; killing the browser');
    }
    if (browser?.pid !== undefined) await killTree(browser.pid, browser.exitCode == null && browser.signalCode == null);
  }

  private set(status: Omit<SessionStatus, 'since'>): void {
    const changed = status.state !== this.current.state;
    this.current = { ...status, since: changed ? this.now() : this.current.since };
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }
}

/**
 * Puppeteer starts Chromium as a process group leader on Linux: kill what is left of the group
 * (renderers, zygote), and the leader itself only while Node has not seen it exit, so a pid the
 * system already gave to another process is never signalled.
 */
async function killTree(pid: number, leaderAlive: boolean): Promise<void> {
  for (const target of leaderAlive ? [-pid, pid] : [-pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // Already gone: the normal case after a clean destroy().
    }
  }
  // SIGKILL is not instant: wait (bounded) until the group is gone, so "stopped" means stopped.
  const deadline = Date.now() + TEARDOWN_WAIT_MS;
  while (Date.now() < deadline && signalable(-pid)) await sleep(25);
}

function signalable(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // First line only: puppeteer appends call logs that may be long.
  return text.split('\n')[0]!.slice(0, 300);
}
