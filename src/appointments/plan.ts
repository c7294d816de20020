import type { OpeningHours } from '../catalogue/hours.js';
import type { Catalogue } from '../catalogue/loader.js';
import { addDays, hhmmToMinutes, localTime, zonedTime } from '../catalogue/local-time.js';
import type { Service } from '../catalogue/schema.js';

export type BookableService = Service & { appointments: NonNullable<Service['appointments']> };

/** A slot on a day: its start (local HH:MM and instant) and the places left. */
export interface SlotOffer {
  slot: string;
  minutes: number;
  startsAt: Date;
  free: number;
}

/**
 * When a service can be booked: slots from content, kept only where the MPP is open on that date
 * (a Saturday closes at noon, Friday prayer breaks the afternoon, holidays close the day), so a
 * slot list written for Monday is never offered at a closed door.
 */
export class BookingPlan {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly hours: OpeningHours,
  ) {}

  get timezone(): string {
    return this.catalogue.mpp.timezone;
  }

  service(serviceId: string): BookableService | undefined {
    const service = this.catalogue.services.get(serviceId);
    return service?.appointments ? (service as BookableService) : undefined;
  }

  today(now: Date): string {
    return localTime(now, this.timezone).date;
  }

  /** Days a citizen may pick: from tomorrow up to `days_ahead` days, when at least one slot is open. */
  candidateDays(service: BookableService, now: Date): string[] {
    const today = this.today(now);
    const days: string[] = [];
    for (let d = 1; d <= service.appointments.days_ahead; d++) {
      const date = addDays(today, d);
      if (this.openSlots(service, date).length > 0) days.push(date);
    }
    return days;
  }

  /** The service's slots that fall inside opening hours on that date. */
  openSlots(service: BookableService, date: string): Array<{ slot: string; minutes: number; startsAt: Date }> {
    return service.appointments.slots
      .map((slot) => ({ slot, minutes: hhmmToMinutes(slot), startsAt: this.startsAt(date, slot) }))
      .filter((s) => this.hours.status(s.startsAt).open);
  }

  /** Is this date and slot one the service offers (tomorrow or later, within days_ahead, open)? */
  offers(service: BookableService, date: string, slot: string, now: Date): boolean {
    return this.candidateDays(service, now).includes(date) && this.openSlots(service, date).some((s) => s.slot === slot);
  }

  startsAt(date: string, slot: string): Date {
    return zonedTime(date, hhmmToMinutes(slot), this.timezone);
  }
}
