/**
 * Wait before retry number `attempt` (0 = first): doubling from `minMs` up to `maxMs`, then a
 * random cut of up to half, so several instances restarting together do not stay in step.
 */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  return Math.round(base / 2 + (random() * base) / 2);
}
