import type { Normaliser } from '../catalogue/normalise.js';
import { PhraseSet } from './phrases.js';
import type { NotHereEntry } from './schema.js';

/** Requests this MPP does not serve (content/not-here.yaml), matched on normalised text. */
export class NotHereMatcher {
  private readonly entries: Array<{ entry: NotHereEntry; triggers: PhraseSet; unless: PhraseSet | undefined }>;

  constructor(entries: readonly NotHereEntry[], normaliser: Normaliser) {
    this.entries = entries.map((entry) => ({
      entry,
      triggers: new PhraseSet([...entry.triggers.id, ...entry.triggers.en], normaliser),
      unless: entry.unless ? new PhraseSet([...entry.unless.id, ...entry.unless.en], normaliser) : undefined,
    }));
  }

  /** The first entry whose trigger appears and whose `unless` does not. */
  match(normalised: string): NotHereEntry | undefined {
    for (const { entry, triggers, unless } of this.entries) {
      if (triggers.test(normalised) && !unless?.test(normalised)) return entry;
    }
    return undefined;
  }
}
