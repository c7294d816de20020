/**
 * Open Server-Sent Event streams per client address and per web chat session, counted in this
 * process (each stream holds this process's memory, a timer and a subscription). A stream over a
 * cap is refused before it holds anything; `release` runs once when the stream closes.
 */
export class StreamCap {
  private readonly open = new Map<string, number>();

  constructor(private readonly limits: { perAddress: number; perSession?: number }) {}

  /** Counts a stream, or answers undefined when its address or session already holds its share. */
  admit(address: string, session?: string): (() => void) | undefined {
    const keys: Array<[string, number]> = [[`a:${address}`, this.limits.perAddress]];
    if (session !== undefined && this.limits.perSession !== undefined) keys.push([`s:${session}`, this.limits.perSession]);
    if (keys.some(([key, max]) => (this.open.get(key) ?? 0) >= max)) return undefined;
    for (const [key] of keys) this.open.set(key, (this.open.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const [key] of keys) {
        const left = (this.open.get(key) ?? 1) - 1;
        if (left > 0) this.open.set(key, left);
        else this.open.delete(key);
      }
    };
  }
}
