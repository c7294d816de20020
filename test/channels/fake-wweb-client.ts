import { EventEmitter } from 'node:events';
import type { ClientFactory, ClientLike, WaMessageLike } from '../../src/channels/whatsapp-web/index.js';

export interface SentMessage {
  chatId: string;
  content: string;
  options?: Record<string, unknown>;
}

/**
 * The one stand-in for whatsapp-web.js `Client` in every WhatsApp test (the real peer, WhatsApp
 * Web with a linked phone, cannot be reached here). It mirrors the library's event names and
 * argument shapes, and like the library it emits nothing until the test drives it:
 * `qr(string)`, `authenticated()`, `ready()`, `message(Message)`, `disconnected(reason)`,
 * `auth_failure(message)`. `sendMessage` records what was sent and fails like the library does
 * once the browser is gone (`Protocol error … Session closed`).
 */
export class FakeWWebClient extends EventEmitter implements ClientLike {
  readonly sent: SentMessage[] = [];
  initialized = false;
  destroyed = false;
  info?: { wid: { _serialized: string }; pushname: string };
  pupBrowser: { process(): { pid?: number } | null } | null = null;
  /** The page or browser died without an event (after hours): every call fails. */
  pageDead = false;
  /** Make initialize() reject (e.g. with `net::ERR_NAME_NOT_RESOLVED`). */
  failInitialize?: Error;

  initialize(): Promise<void> {
    this.initialized = true;
    return this.failInitialize ? Promise.reject(this.failInitialize) : Promise.resolve();
  }

  destroy(): Promise<void> {
    this.destroyed = true;
    return Promise.resolve();
  }

  getState(): Promise<string | null> {
    return this.destroyed || this.pageDead ? Promise.reject(new Error('Protocol error (Runtime.callFunctionOn): Session closed.')) : Promise.resolve('CONNECTED');
  }

  sendMessage(chatId: string, content: string, options?: Record<string, unknown>): Promise<unknown> {
    if (this.destroyed || this.pageDead) return Promise.reject(new Error('Protocol error (Runtime.callFunctionOn): Session closed.'));
    this.sent.push({ chatId, content, ...(options ? { options } : {}) });
    return Promise.resolve({ id: { _serialized: `true_${chatId}_${this.sent.length}` } });
  }

  // --- what WhatsApp Web would do ---

  showQr(qr = '2@fake-qr-payload,abc,def,ghi'): void {
    this.emit('qr', qr);
  }

  /** Phone linked and the page loaded: `authenticated`, then `ready`. */
  becomeReady(number = '6281100000000'): void {
    this.info = { wid: { _serialized: `${number}@c.us` }, pushname: 'MPP' };
    this.emit('authenticated');
    this.emit('ready');
  }

  receive(message: Partial<WaMessageLike> & { from: string }): void {
    this.emit('message', incoming(message));
  }

  /** As the library: `disconnected(reason)`, then it destroys itself. */
  disconnect(reason = 'NAVIGATION'): void {
    this.emit('disconnected', reason);
    void this.destroy();
  }

  failAuth(message = 'Unable to log in. Are the session details valid?'): void {
    this.emit('auth_failure', message);
  }
}

let counter = 0;
/** A Message as whatsapp-web.js delivers it: a text (`type: 'chat'`) unless overridden. */
export function incoming(message: Partial<WaMessageLike> & { from: string }): WaMessageLike {
  counter++;
  return {
    id: { _serialized: `false_${message.from}_3EB0${counter.toString(16).padStart(16, '0')}` },
    body: '',
    type: 'chat',
    fromMe: false,
    isStatus: message.from === 'status@broadcast',
    hasMedia: false,
    timestamp: Math.floor(Date.now() / 1000),
    ...message,
  };
}

/** A factory handing out fakes; `latest` is the client the watchdog is using now. */
export function fakeClients() {
  const clients: FakeWWebClient[] = [];
  const kit = {
    /** Set to make every client created from now on fail its initialize() with this error. */
    failInitialize: undefined as Error | undefined,
    factory: (() => {
      const client = new FakeWWebClient();
      if (kit.failInitialize) client.failInitialize = kit.failInitialize;
      clients.push(client);
      return client;
    }) satisfies ClientFactory as ClientFactory,
    clients,
    get latest(): FakeWWebClient {
      const last = clients.at(-1);
      if (!last) throw new Error('no client was created yet');
      return last;
    },
    /** Every message sent by any client, in order. */
    sent(): SentMessage[] {
      return clients.flatMap((c) => c.sent);
    },
  };
  return kit;
}
