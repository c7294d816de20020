import type { Redis } from 'ioredis';
import { z } from 'zod';
import { DEFAULT_SITE, siteBase } from '../redis/keyspace.js';
import { incidentSchema, type Incident } from './incident.js';

/** An incident with how many holders were told, how many could not be reached, and its follow-ups. */
export interface IncidentSummary extends Incident {
  told: number;
  /** When and by whom it was marked over. */
  resolution?: { by: string; at: number };
  unreached: number;
  followUps: Array<Incident & { told: number; unreached: number }>;
}

/** An incident is about today; two days covers a late reply to its notice. */
const INCIDENT_TTL_SEC = 2 * 86_400;

/**
 * Incidents in Redis, under the site's hash tag: `<prefix>:{site:<id>}:incident:<id>` (JSON,
 * created once with SET NX), the day's index, and per incident the set of tickets and bookings
 * already told, which gives the count shown.
 */
export class IncidentStore {
  private readonly base: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    site: string = DEFAULT_SITE,
  ) {
    this.base = siteBase(prefix, site, 'incident');
  }

  private key(id: string): string {
    return `${this.base}:${id}`;
  }

  private told(id: string): string {
    return `${this.base}:${id}:told`;
  }

  private dayIndex(day: string): string {
    return `${this.base}s:${day}`;
  }

  private followCount(id: string): string {
    return `${this.base}:${id}:n`;
  }

  private followUps(id: string): string {
    return `${this.base}:${id}:updates`;
  }

  private resolvedKey(id: string): string {
    return `${this.base}:${id}:resolved`;
  }

  private unreached(id: string): string {
    return `${this.base}:${id}:unreached`;
  }

  /** Stores the incident unless one with its id exists; returns the stored one and whether it is new. Follow-ups stay out of the day's list. */
  async create(incident: Incident): Promise<{ incident: Incident; created: boolean }> {
    const created = await this.redis.set(this.key(incident.id), JSON.stringify(incident), 'EX', INCIDENT_TTL_SEC, 'NX');
    if (created && incident.parent) return { incident, created: true };
    if (created) {
      await this.redis.multi().zadd(this.dayIndex(incident.day), incident.createdAt, incident.id).expire(this.dayIndex(incident.day), INCIDENT_TTL_SEC).exec();
      return { incident, created: true };
    }
    const existing = await this.get(incident.id);
    return existing ? { incident: existing, created: false } : this.create(incident);
  }

  async get(id: string): Promise<Incident | undefined> {
    if (!/^[a-z0-9]{6,40}$/.test(id)) return undefined;
    const raw = await this.redis.get(this.key(id));
    if (!raw) return undefined;
    const parsed = incidentSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  }

  async wasTold(id: string, target: string): Promise<boolean> {
    return (await this.redis.sismember(this.told(id), target)) === 1;
  }

  /** Records that a ticket or booking was told; false when it already was. */
  async markTold(id: string, target: string): Promise<boolean> {
    const [[, added]] = (await this.redis.multi().sadd(this.told(id), target).expire(this.told(id), INCIDENT_TTL_SEC).exec()) as [[Error | null, number], unknown];
    return added === 1;
  }

  async toldCount(id: string): Promise<number> {
    return this.redis.scard(this.told(id));
  }

  /** Records a ticket or booking whose holder has no channel to be told through (kiosk, counter walk-in, API). */
  async markUnreached(id: string, target: string): Promise<void> {
    await this.redis.multi().sadd(this.unreached(id), target).expire(this.unreached(id), INCIDENT_TTL_SEC).exec();
  }

  async unreachedCount(id: string): Promise<number> {
    return this.redis.scard(this.unreached(id));
  }

  /** Appends a stored follow-up to its incident; returns the follow-up's number (1, 2, …). */
  async nextFollowUpNumber(id: string): Promise<number> {
    const [[, n]] = (await this.redis.multi().incr(this.followCount(id)).expire(this.followCount(id), INCIDENT_TTL_SEC).exec()) as [[Error | null, number], unknown];
    return n;
  }

  async addFollowUp(id: string, followUpId: string): Promise<void> {
    await this.redis.multi().rpush(this.followUps(id), followUpId).expire(this.followUps(id), INCIDENT_TTL_SEC).exec();
  }

  /** Marks the incident over, once; false when it already was. */
  async markResolved(id: string, by: string, at: number): Promise<boolean> {
    return (await this.redis.set(this.resolvedKey(id), JSON.stringify({ by, at }), 'EX', INCIDENT_TTL_SEC, 'NX')) === 'OK';
  }

  async resolution(id: string): Promise<{ by: string; at: number } | undefined> {
    const raw = await this.redis.get(this.resolvedKey(id));
    const parsed = raw ? z.object({ by: z.string(), at: z.number() }).safeParse(JSON.parse(raw)) : undefined;
    return parsed?.success ? parsed.data : undefined;
  }

  /** A day's incidents, newest first, each with how many citizens were told. */
  async onDay(day: string): Promise<IncidentSummary[]> {
    const ids = await this.redis.zrevrange(this.dayIndex(day), 0, 99);
    const out: IncidentSummary[] = [];
    for (const id of ids) {
      const incident = await this.get(id);
      if (!incident) continue;
      const followUps: IncidentSummary['followUps'] = [];
      for (const childId of await this.redis.lrange(this.followUps(id), 0, 49)) {
        const child = await this.get(childId);
        if (child) followUps.push({ ...child, told: await this.toldCount(childId), unreached: await this.unreachedCount(childId) });
      }
      const resolved = await this.resolution(id);
      out.push({ ...incident, told: await this.toldCount(id), unreached: await this.unreachedCount(id), followUps, ...(resolved ? { resolution: resolved } : {}) });
    }
    return out;
  }
}
