import { z } from 'zod';

/**
 * The parts of a WhatsApp Cloud API webhook we read. Lenient: unknown fields are ignored, and each
 * message is checked on its own so one odd message does not drop the others in a batch.
 */
const value = z.object({
  metadata: z.object({ phone_number_id: z.string() }).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});

export const webhookBody = z.object({
  object: z.string(),
  entry: z.array(z.object({ changes: z.array(z.object({ field: z.string().optional(), value })).default([]) })).default([]),
});

const inboundMessage = z.object({
  id: z.string().min(1).max(500),
  // The WhatsApp id (phone digits today); kept opaque, replies go back to exactly this.
  from: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  timestamp: z.string().regex(/^\d{1,12}$/).optional(),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string() }).optional(),
      list_reply: z.object({ id: z.string() }).optional(),
    })
    .optional(),
  // A quick-reply button of a template message.
  button: z.object({ text: z.string().optional(), payload: z.string().optional() }).optional(),
});
export type InboundMessage = z.infer<typeof inboundMessage>;

const deliveryStatus = z.object({
  status: z.string(),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional() })).optional(),
});
export type DeliveryStatus = z.infer<typeof deliveryStatus>;

/** Media and the like: answered with "please type". */
const NON_TEXT = new Set(['image', 'audio', 'video', 'document', 'sticker', 'location', 'contacts', 'unsupported']);

/**
 * What a citizen sent, as the engine takes it; `unsupported` for media and locations; `ignored`
 * for events that are not messages (reactions, system notices, `request_welcome`, orders).
 */
export type Inbound = { text: string } | { choice: string } | { unsupported: string } | { ignored: string };

export function readInbound(message: InboundMessage): Inbound {
  if (message.type === 'text' && message.text) return { text: message.text.body };
  const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
  if (message.type === 'interactive' && reply) return { choice: reply.id };
  const button = message.button?.text ?? message.button?.payload;
  if (message.type === 'button' && button) return { text: button };
  return NON_TEXT.has(message.type) ? { unsupported: message.type } : { ignored: message.type };
}

/** Messages and statuses for our phone number, in delivery order; the rest is skipped. */
export function extract(body: z.infer<typeof webhookBody>, phoneNumberId: string): { messages: InboundMessage[]; statuses: DeliveryStatus[]; skipped: number } {
  const out = { messages: [] as InboundMessage[], statuses: [] as DeliveryStatus[], skipped: 0 };
  for (const entry of body.entry) {
    for (const change of entry.changes) {
      const v = change.value;
      // One app can serve several numbers; answer only what was sent to ours.
      if (v.metadata && v.metadata.phone_number_id !== phoneNumberId) {
        out.skipped += (v.messages?.length ?? 0) + (v.statuses?.length ?? 0);
        continue;
      }
      for (const m of v.messages ?? []) {
        const parsed = inboundMessage.safeParse(m);
        if (parsed.success) out.messages.push(parsed.data);
        else out.skipped++;
      }
      for (const s of v.statuses ?? []) {
        const parsed = deliveryStatus.safeParse(s);
        if (parsed.success) out.statuses.push(parsed.data);
        else out.skipped++;
      }
    }
  }
  return out;
}
