import type { Site } from '../../sites/sites.js';

/**
 * One `T` per site, made on first use: a deployment of a hundred sites opens a board stream's
 * connection only for the sites whose boards are on, not a hundred at start. `seed` holds the
 * ones made before (the main site's, shared with code that existed before sites).
 */
export class PerSite<T> {
  private readonly made = new Map<string, T>();

  constructor(
    private readonly make: (site: Site) => T,
    seed: Iterable<[string, T]> = [],
  ) {
    for (const [id, value] of seed) this.made.set(id, value);
  }

  for(site: Site): T {
    let value = this.made.get(site.id);
    if (value === undefined) this.made.set(site.id, (value = this.make(site)));
    return value;
  }

  /** Every one made so far (to close them at shutdown). */
  values(): T[] {
    return [...this.made.values()];
  }
}
