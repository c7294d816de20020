import { createInterface } from 'node:readline';
import { loadCatalogue } from '../catalogue/loader.js';
import { ServiceSearch } from '../catalogue/search.js';
import { loadConfig } from '../config.js';
import { runCli } from './run.js';

/**
 * `npm run search -- --json`: one question per stdin line, one JSON object per stdout line:
 * {"query": "...", "results": [{"id": "...", "score": 0.0}]} best first (score 0 = perfect).
 * Without --json it prints a short human-readable table instead.
 */
await runCli(async () => {
  const json = process.argv.includes('--json');
  const config = loadConfig();
  const search = new ServiceSearch(await loadCatalogue(config.CONTENT_DIR));
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const outcome = search.search(line);
    if (json) {
      process.stdout.write(JSON.stringify({ query: line, results: outcome.results }) + '\n');
    } else {
      const found = outcome.results.map((r) => `${r.id} (${r.score.toFixed(3)})`).join(', ') || 'nothing found';
      process.stdout.write(`${line}\n  -> ${found}${outcome.ambiguous ? '  [ambiguous]' : ''}\n`);
    }
  }
});
