/** The understanding layer: `new Understander(data, search, serviceRelations(catalogue.services)).understand(text, ctx)`. */
export { Understander } from './understand.js';
export { serviceRelations, type ServiceRelations } from './split.js';
export { loadUnderstandingData, type UnderstandingData } from './load.js';
export type { Intent, IntentKind, MppTopic, Understanding, UnderstandContext, FollowUpTopic, When } from './types.js';
export { WhenParser } from './when.js';
export { LanguageDetector } from './language.js';
export type { NotHereEntry } from './schema.js';
