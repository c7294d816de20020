import type { Logger } from 'pino';
import type { TransitionResult } from '../complaints/store.js';
import type { CitizenAddress, DeliveryStatus } from '../desk/conversation.js';
import type { EndResult, HandoverStore, ReplyResult } from '../desk/handover-store.js';
import type { Translator } from '../i18n.js';
import type { OutgoingMessage } from '../message.js';
import { PermanentDeliveryError, type NotifierRegistry } from './notifier.js';

type SentStatus = Exclude<DeliveryStatus, 'pending' | 'queued_for_template' | 'dropped'>;

const END_TEXTS: Record<string, string> = {
  officer: 'desk.handover.returned_by_officer',
  citizen: 'desk.handover.returned_by_citizen',
  timeout: 'desk.handover.returned_by_timeout',
  unanswered: 'desk.handover.returned_unanswered',
};

/**
 * What the desk says to citizens: officer replies, "you are back with the assistant", complaint
 * status changes. Sent at once through the channel's notifier (an officer waits for the tick),
 * and each reply's outcome is written back with setDelivery so the desk shows a failure.
 */
export class DeskDelivery {
  constructor(
    private readonly desk: HandoverStore,
    private readonly notifiers: NotifierRegistry,
    private readonly translator: Translator,
    private readonly logger: Logger,
  ) {}

  /** An officer's reply: stored (claiming an unheld conversation), then sent or held for the WhatsApp window. */
  async reply(id: string, officer: string, text: string): Promise<ReplyResult & { status: DeliveryStatus }> {
    const r = await this.desk.reply(id, officer, text);
    let status: DeliveryStatus = r.delivery;
    if (r.delivery === 'pending') {
      status = await this.send(r.address, { text });
      await this.desk.setDelivery(id, r.message.id, status);
    }
    // Outside the window the notifier sends the approved template instead of free text.
    if (r.templateNeeded) await this.send(r.address, { text: this.translator.t((await this.desk.get(id))?.locale ?? 'id', 'desk.template.officer_replied') });
    return { ...r, status };
  }

  /** Tells the citizen the conversation went back to the assistant, or was closed by the desk. */
  async ended(r: EndResult): Promise<void> {
    const key = r.outcome === 'closed' ? 'desk.handover.closed_by_desk' : (END_TEXTS[r.reason ?? 'officer'] ?? END_TEXTS.officer!);
    await this.send(r.address, { text: this.translator.t(r.locale, key) });
  }

  /** The minutely `desk-sweep`: idle hand-overs go back to the assistant, and each citizen is told. */
  async sweep(): Promise<number> {
    const ended = await this.desk.sweep();
    for (const r of ended) await this.ended(r);
    return ended.length;
  }

  /** Every complaint status change is told to the citizen (when the contact is still kept). */
  async complaintChanged(r: TransitionResult, agencyName?: string): Promise<DeliveryStatus | undefined> {
    if (!r.notify) return undefined;
    const { locale } = r.notify;
    const { reference, status } = r.complaint;
    const text =
      status === 'diteruskan' && agencyName
        ? this.translator.t(locale, 'complaints.status_update_forwarded', { reference, agency: agencyName })
        : this.translator.t(locale, 'complaints.status_update', { reference, status: this.translator.t(locale, `complaints.statuses.${status}`) });
    return this.send(r.notify.address, { text });
  }

  private async send(address: CitizenAddress, message: OutgoingMessage): Promise<SentStatus> {
    const notifier = this.notifiers.get(address.channel);
    if (!notifier) return 'failed:no_channel';
    try {
      await notifier.send(address.userKey, message);
      return 'sent';
    } catch (err) {
      const code = graphCode(err);
      this.logger.warn({ err, channel: address.channel, code }, 'desk delivery failed');
      // WhatsApp Cloud 131047: the 24-hour window closed between the check and the send.
      if (code !== undefined) return `failed:${code}`;
      return err instanceof PermanentDeliveryError ? 'unreachable' : 'failed:retry';
    }
  }
}

function graphCode(err: unknown): number | undefined {
  const cause = err instanceof Error ? (err.cause ?? err) : undefined;
  const code = cause && typeof cause === 'object' && 'graphCode' in cause ? cause.graphCode : undefined;
  return typeof code === 'number' ? code : undefined;
}
