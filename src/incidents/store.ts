import type { Redis } from 'ioredis';
import { DEFAULT_SITE, siteBase } from '../redis/keyspace.js';
import { incidentSchema, type Incident } from './incident.js';

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

  /** Stores the incident unless one with its id exists; returns the stored one and whether it is new. */
  async create(incident: Incident): Promise<{ incident: Incident; created: boolean }> {
    const created = await this.redis.set(this.key(incident.id), JSON.stringify(incident), 'EX', INCIDENT_TTL_SEC, 'NX');
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

  /** A day's incidents, newest first, each with how many citizens were told. */
  async onDay(day: string): Promise<Array<Incident & { told: number }>> {
    const ids = await this.redis.zrevrange(this.dayIndex(day), 0, 99);
    const out: Array<Incident & { told: number }> = [];
    for (const id of ids) {
      const incident = await this.get(id);
      if (incident) out.push({ ...incident, told: await this.toldCount(id) });
    }
    return out;
  }
}
