import { Router } from 'express';
import { Bot, BotError, GrammyError, HttpError, type Context, type Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { ChannelContext } from '../context.js';
import type { Config } from '../../config.js';
import { pseudonym } from '../../logger.js';
import { registerCommands } from './commands.js';
import { dedupUpdates } from './dedup.js';
import { installOutgoingLimits } from './limits.js';
import { TelegramNotifier } from './notifier.js';
import type { TicketClaimPort } from '../ticket-claim.js';
import { telegramUpdates } from './updates.js';
import { webhookRoutes } from './webhook.js';

export { TELEGRAM } from './notifier.js';
export { TELEGRAM_WEBHOOK_PATH } from './webhook.js';

/** The update kinds the bot asks Telegram for: everything else is never delivered. */
const UPDATES = ['message', 'callback_query'] as const;
/** After a failed start (network, 409 from a second poller) try again, backing off to 5 minutes. */
const RETRY_FIRST_MS = 5_000;
const RETRY_MAX_MS = 5 * 60_000;

export type TelegramConfig = Pick<Config, 'TELEGRAM_BOT_TOKEN' | 'TELEGRAM_API_ROOT' | 'TELEGRAM_WEBHOOK_URL' | 'TELEGRAM_WEBHOOK_SECRET'>;

export interface TelegramChannelOptions extends ChannelContext {
  config: TelegramConfig;
  /** The bot's own user, when known: skips getMe (tests). */
  botInfo?: UserFromGetMe;
  /** Redeems a tracking page's one-time claim (`/start <token>`): the kiosk ticket becomes this chat's. */
  claims?: TicketClaimPort;
  /** Transformers closest to the Bot API server, below retry and throttling (tests fake the server here). */
  serverTransformers?: Transformer[];
}

/** For /readyz: how updates arrive and whether that works. */
export interface TelegramStatus {
  mode: 'polling' | 'webhook';
  state: 'starting' | 'running' | 'error' | 'stopped';
  error?: string;
}

/**
 * The Telegram channel: a grammY bot feeding the shared engine, in long-polling mode (default, one
 * poller per token) or webhook mode (TELEGRAM_WEBHOOK_URL; `router` then holds the route).
 */
export class TelegramChannel {
  readonly bot: Bot<Context>;
  /** The webhook route in webhook mode; empty in polling mode. */
  readonly router: Router;
  readonly notifier: TelegramNotifier;
  private readonly mode: TelegramStatus['mode'];
  private state: TelegramStatus['state'] = 'stopped';
  private error: string | undefined;
  private polling: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs = RETRY_FIRST_MS;
  private stopping = false;

  constructor(private readonly opts: TelegramChannelOptions) {
    const { config, logger } = opts;
    if (!config.TELEGRAM_BOT_TOKEN) throw new Error('TELEGRAM_BOT_TOKEN is required for the Telegram channel');
    this.mode = config.TELEGRAM_WEBHOOK_URL ? 'webhook' : 'polling';
    this.bot = new Bot<Context>(config.TELEGRAM_BOT_TOKEN, {
      client: { apiRoot: config.TELEGRAM_API_ROOT },
      ...(opts.botInfo ? { botInfo: opts.botInfo } : {}),
    });
    if (opts.serverTransformers?.length) this.bot.api.config.use(...opts.serverTransformers);
    installOutgoingLimits(this.bot.api);
    this.bot.api.config.use(this.watchPolling);

    // One error handler: polling errors reach it through bot.catch, turn errors through the boundary.
    const onError = (err: BotError<Context>) => {
      const chatId = err.ctx.chat?.id;
      logger.error({ updateId: err.ctx.update.update_id, chat: chatId === undefined ? undefined : pseudonym(String(chatId)), error: describeError(err.error) }, 'telegram update failed');
    };
    this.bot.catch(onError);
    // Dedup stays outside the boundary: when Redis fails, the webhook answers 500 and Telegram retries.
    this.bot.use(dedupUpdates(opts.redis, opts.prefix));
    this.bot.errorBoundary(onError, telegramUpdates(opts));

    if (this.mode === 'webhook') {
      if (!config.TELEGRAM_WEBHOOK_SECRET) throw new Error('TELEGRAM_WEBHOOK_SECRET is required in webhook mode');
      this.router = webhookRoutes({ bot: this.bot, secret: config.TELEGRAM_WEBHOOK_SECRET, onError, logger });
    } else {
      this.router = Router();
    }
    this.notifier = new TelegramNotifier(this.bot.api);
  }

  /**
   * Connects: getMe, the command menu, then setWebhook or polling. Resolves after the first
   * attempt and never throws: a failure is in status() and the log, and is retried in the background.
   */
  async start(): Promise<void> {
    this.stopping = false;
    await this.launch();
  }

  /** Stops polling (webhook requests still in flight finish with the HTTP server). */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retryTimer);
    if (this.bot.isRunning()) await this.bot.stop();
    await this.polling;
    this.state = 'stopped';
  }

  status(): TelegramStatus {
    return { mode: this.mode, state: this.state, ...(this.error ? { error: this.error } : {}) };
  }

  private async launch(): Promise<void> {
    const { config, logger, translator } = this.opts;
    this.state = 'starting';
    try {
      // Our own getMe, not bot.init(): grammY's retries network errors silently forever.
      if (!this.bot.isInited()) this.bot.botInfo = await this.bot.api.getMe();
      try {
        await registerCommands(this.bot.api, translator);
      } catch (err) {
        logger.warn({ error: describeError(err) }, 'telegram: setMyCommands failed, going on without a command menu');
      }
      if (this.stopping) return;
      if (this.mode === 'webhook') {
        await this.bot.api.setWebhook(config.TELEGRAM_WEBHOOK_URL!, { secret_token: config.TELEGRAM_WEBHOOK_SECRET!, allowed_updates: [...UPDATES] });
        this.running();
      } else {
        // Messages of one chat are handled in order: bot.start() runs updates one after another.
        this.polling = this.bot.start({ allowed_updates: [...UPDATES], onStart: () => this.running() }).catch((err: unknown) => this.failed(err));
      }
    } catch (err) {
      this.failed(err);
    }
  }

  /**
   * grammY's polling loop retries failed getUpdates quietly; this keeps status() and the log
   * honest about it (state error while Telegram is unreachable, running again once it answers).
   */
  private readonly watchPolling: Transformer = async (prev, method, payload, signal) => {
    if (method !== 'getUpdates' && method !== 'deleteWebhook') return prev(method, payload, signal);
    try {
      const result = await prev(method, payload, signal);
      if (result.ok && method === 'getUpdates' && this.state === 'error' && !this.stopping) this.running();
      if (!result.ok) this.pollingTrouble(result.description);
      return result;
    } catch (err) {
      if (!signal?.aborted) this.pollingTrouble(describeError(err));
      throw err;
    }
  };

  private pollingTrouble(error: string): void {
    if (this.stopping || this.state === 'error') return;
    this.state = 'error';
    this.error = error;
    this.opts.logger.warn({ error }, 'telegram polling failing, grammY keeps retrying');
  }

  private running(): void {
    this.state = 'running';
    this.error = undefined;
    this.retryMs = RETRY_FIRST_MS;
    this.opts.logger.info({ mode: this.mode, bot: this.bot.botInfo.username }, 'telegram channel running');
  }

  private failed(err: unknown): void {
    if (this.stopping) return;
    this.state = 'error';
    this.error = describeError(err);
    this.opts.logger.error({ mode: this.mode, error: this.error, retryInMs: this.retryMs }, 'telegram channel failed to start');
    this.retryTimer = setTimeout(() => void this.launch(), this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }
}

export function createTelegramChannel(opts: TelegramChannelOptions): TelegramChannel {
  return new TelegramChannel(opts);
}

/** An error for the logs without the request payload (chat ids, texts stay out). */
export function describeError(err: unknown): string {
  if (err instanceof BotError) return describeError(err.error);
  if (err instanceof GrammyError) return `${err.method}: ${err.error_code ?? 'no code'} ${err.description ?? ''}`.trim();
  if (err instanceof HttpError) return err.message;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
