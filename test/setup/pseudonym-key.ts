import { usePseudonymKey } from '../../src/citizen.js';

// Tests that build components without the composition root (testQueue, stores) share one key.
usePseudonymKey('test-pseudonym-secret-of-at-least-32-chars');
