import { existsSync } from 'node:fs';
import { loadCatalogue } from '../catalogue/loader.js';
import { evaluate, exampleCases, percent, readEvalFile, type EvalReport } from '../catalogue/evaluate.js';
import { checkFreshness, MAX_AGE_MONTHS } from '../catalogue/freshness.js';
import { localTime } from '../catalogue/local-time.js';
import { ServiceSearch } from '../catalogue/search.js';
import { checkVisitGraph } from '../catalogue/visit-graph.js';
import { loadDocumentTable } from '../visits/documents.js';
import { systemClock } from '../clock.js';
import { loadConfig } from '../config.js';
import { actions } from '../engine/actions/index.js';
import { checkFlows } from '../engine/check.js';
import { loadFlows } from '../engine/flow.js';
import { Translator } from '../i18n.js';
import { runCli } from './run.js';

/**
 * `npm run catalogue:check [-- --eval FILE] [--min-top1 95] [--today YYYY-MM-DD] [--flows DIR]`: validates content/
 * and flows/ against the actions and locales, lists services not verified for 12 months (as of
 * --today, default today in the MPP's zone), then runs every service's examples and the shared
 * sample questions through the search, printing each miss.
 * Exits 1 when content or flows are invalid, an eligibility/representation fact has no source, or
 * top-1 accuracy falls below --min-top1 (default 0). Stale services are listed, not fatal.
 */
const DEFAULT_FLOWS_DIR = 'flows';
const LOCALES_DIR = 'locales';
const SAMPLE_FILES = ['../shared/eval/search-sample.tsv', 'test/fixtures/search-sample.tsv'];

await runCli(async () => {
  const config = loadConfig();
  const catalogue = await loadCatalogue(config.CONTENT_DIR);
  console.log(`content ok: ${catalogue.services.size} services, ${catalogue.agencies.size} agencies, ${catalogue.mpp.counters.length} counters`);
  // Several MPPs in one deployment: what each site offers, so an operator sees a site file took effect.
  if (catalogue.sites.length > 1) {
    for (const site of catalogue.sites) {
      const offered = site.offers === 'all' ? catalogue.services.size : site.offers.length;
      console.log(`  site ${site.site}: ${offered} service(s), ${site.counters.length} counter(s), ${Object.keys(site.overrides).length} override(s)`);
    }
  }
  const graph = checkVisitGraph(catalogue.services);
  for (const p of graph) console.error(`  VISIT ${p.service}: ${p.field}: ${p.message}`);
  const documents = await loadDocumentTable(config.CONTENT_DIR);
  const links = [...catalogue.services.values()].reduce((n, s) => n + (s.visit?.needs.length ?? 0) + (s.visit?.combines_with.length ?? 0), 0);
  console.log(graph.length ? `visit links: ${graph.length} problem(s)` : `visit links ok: ${links} link(s), no cycles; ${documents.documents.length} document kinds`);
  const problems = await checkFlows(await loadFlows(argValue('--flows') ?? DEFAULT_FLOWS_DIR), actions, await Translator.load(LOCALES_DIR), 'src');
  for (const p of problems) console.error(`  FLOW ${p}`);
  console.log(problems.length ? `flows: ${problems.length} problem(s)` : 'flows ok: every target, action, outcome, flag, entry and i18n key exists');
  const today = argValue('--today') ?? localTime(systemClock.now(), catalogue.mpp.timezone).date;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`--today must be YYYY-MM-DD, got ${today}`);
  const freshness = checkFreshness(catalogue.services.values(), today);
  for (const s of freshness.stale) console.log(`  STALE ${s.id}: verified ${s.verified ?? 'never'}`);
  for (const u of freshness.unsourced) console.error(`  UNSOURCED ${u.id}.${u.field}`);
  console.log(`freshness (as of ${today}): ${freshness.stale.length} service(s) not verified in ${MAX_AGE_MONTHS} months, ${freshness.unsourced.length} unsourced eligibility/representation fact(s)`);
  const search = new ServiceSearch(catalogue);
  const minTop1 = Number(argValue('--min-top1') ?? 0);
  const evalFile = argValue('--eval') ?? SAMPLE_FILES.find((f) => existsSync(f));

  let failed = false;
  const reports: Array<[string, EvalReport]> = [['service examples', evaluate(search, exampleCases(catalogue))]];
  if (evalFile) reports.push([evalFile, evaluate(search, await readEvalFile(evalFile))]);
  for (const [name, r] of reports) {
    console.log(`\n${name}: ${r.cases} questions`);
    for (const m of r.misses) console.log(`  MISS ${JSON.stringify(m.query)} expected ${m.expected ?? 'nothing'}, got ${m.got.slice(0, 3).join(', ') || 'nothing'}`);
    console.log(`  top-1 ${percent(r.top1, r.inScope)}  top-3 ${percent(r.top3, r.inScope)}  out-of-scope rejected ${r.rejected}/${r.outOfScope}`);
    if (r.inScope && (100 * r.top1) / r.inScope < minTop1) failed = true;
  }
  if (problems.length || graph.length || freshness.unsourced.length) failed = true;
  if (failed) {
    if (problems.length) console.error('\nflows are inconsistent (see FLOW lines)');
    else if (graph.length) console.error('\nvisit links are invalid (see VISIT lines)');
    else if (freshness.unsourced.length) console.error('\nfacts without a source (see UNSOURCED lines)');
    else console.error(`\ntop-1 accuracy below --min-top1 ${minTop1}%`);
    process.exit(1);
  }
});

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
