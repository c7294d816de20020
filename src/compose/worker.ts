import { composeCore, type ComposeOptions, type Core } from './core.js';

export interface WorkerComposition extends Pick<Core, 'notifiers' | 'reminders' | 'maintenance' | 'pickupRecorder'> {
  /** Finishes running jobs and closes the worker's connections; the caller closes Redis. */
  close: () => Promise<void>;
}

/**
 * `npm run worker`: reminders (a scheduler per site, delivery), the pickup recorder and the nightly sweep, without HTTP. It
 * delivers for the channels it can reach from here; WhatsApp Web notices stay with the process
 * that owns the phone session, so that channel is not built at all.
 */
export async function composeWorker(opts: ComposeOptions): Promise<WorkerComposition> {
  const { notifiers, reminders, maintenance, telegram, pickupRecorder } = await composeCore(opts, { withWhatsAppWeb: false });
  const close = async () => {
    await pickupRecorder.stop();
    await reminders.close();
    await maintenance.close();
    await telegram?.stop();
  };
  return { notifiers, reminders, maintenance, pickupRecorder, close };
}
