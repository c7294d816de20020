/**
 * How Redis keys are grouped into hash tags, so the same keys work on one server and on a Redis
 * Cluster (where a Lua script, MULTI or multi-key command may only touch keys of one slot):
 *
 * - Keys of one MPP site share `{site:<id>}`: the queue, bookings, desk, complaints and incidents
 *   of a site sit in one slot, so each site's scripts stay atomic while sites spread over shards.
 * - Keys of one citizen's conversation share `{<subject>}` (the keyed pseudonym), so sessions
 *   spread over the whole cluster.
 * - Small deployment-wide sets (staff accounts and sign-ins) share one tag of their own.
 *
 * Every store builds its keys from these helpers; nothing else writes a `{...}` tag.
 */

/** The site id when content/mpp.yaml names none (one MPP per deployment). */
export const DEFAULT_SITE = 'main';

/** A site id: lowercase letters, digits and dashes (it becomes part of every key of the site). */
export const SITE_ID = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** `<prefix>:{site:<site>}:<store>`: the base of a site store's keys. */
export function siteBase(prefix: string, site: string, store: string): string {
  if (!SITE_ID.test(site)) throw new Error(`invalid site id ${JSON.stringify(site)}`);
  return `${prefix}:{site:${site}}:${store}`;
}

/** `<prefix>:<store>:{<subject>}`: a citizen's key of a store, in the citizen's own slot. */
export function citizenKey(prefix: string, store: string, subject: string): string {
  return `${prefix}:${store}:{${subject}}`;
}

/** `<prefix>:{<group>}`: the base of a small deployment-wide group of keys used together. */
export function groupBase(prefix: string, group: string): string {
  return `${prefix}:{${group}}`;
}
