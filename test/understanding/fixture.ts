import { ServiceSearch } from '../../src/catalogue/search.js';
import { loadUnderstandingData } from '../../src/understanding/load.js';
import { Understander } from '../../src/understanding/understand.js';
import { serviceRelations } from '../../src/understanding/split.js';
import type { Understanding, UnderstandContext } from '../../src/understanding/types.js';
import { demoCatalogue, MONDAY_9AM } from '../helpers.js';

let built: Promise<Understander> | undefined;
/** One Understander on the real content/ (catalogue, intents, not-here), built once per file. */
export function understander(): Promise<Understander> {
  return (built ??= (async () => {
    const catalogue = await demoCatalogue();
    const data = await loadUnderstandingData('content', new Set(catalogue.services.keys()));
    return new Understander(data, new ServiceSearch(catalogue), serviceRelations(catalogue.services));
  })());
}

/** understand() at Monday 23 Nov 2026, 09:00 WIB. */
export async function read(text: string, ctx: Partial<UnderstandContext> = {}): Promise<Understanding> {
  return (await understander()).understand(text, { now: MONDAY_9AM, ...ctx });
}
