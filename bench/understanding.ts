/**
 * `npm run bench:understanding`: CPU per message of `understand(text, ctx)` beside the plain
 * catalogue search of the same text (what a turn does today), measured in the same run over the
 * same messages: the labelled language set (short chat messages in Indonesian and English) plus
 * chatty requests, each read with and without a service in context. Target: understand() adds
 * < 0.5 ms p50 over the search alone. Latencies are per message after one warm-up pass (the
 * search caches how a query word maps to index terms; so do real conversations).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalogue } from '../src/catalogue/loader.js';
import { ServiceSearch } from '../src/catalogue/search.js';
import { loadUnderstandingData } from '../src/understanding/load.js';
import { Understander } from '../src/understanding/understand.js';
import { languageSet } from '../test/understanding/language-set.js';
import { ms, percentile, printTable } from './synthetic.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PASSES = 5;
const NOW = new Date('2026-11-23T02:00:00Z');

const chatty = [
  'assalamualaikum kak, saya mau tanya, ktp saya hilang waktu mudik kemarin, terus saya harus bawa apa aja ya?',
  'selamat siang pak, mohon maaf mengganggu, saya ingin bertanya tentang perpanjangan sim, syaratnya apa saja dan biayanya berapa',
  'mau perpanjang paspor sekalian bikin npwp sama skck juga bisa ga di hari yang sama',
  'hi, good morning, I would like to ask how to renew my passport please, and how much does it cost?',
];

const catalogue = await loadCatalogue(path.join(ROOT, 'content'));
const search = new ServiceSearch(catalogue);
const understander = new Understander(await loadUnderstandingData(path.join(ROOT, 'content'), new Set(catalogue.services.keys())), search);
const messages = [...languageSet.map(([t]) => t), ...chatty];
const contexts = [{ now: NOW }, { now: NOW, serviceId: 'imigrasi-paspor-baru' }];

function measure(fn: (text: string, i: number) => void): number[] {
  const out: number[] = [];
  messages.forEach((m, i) => fn(m, i)); // warm-up
  for (let pass = 0; pass < PASSES; pass++) {
    messages.forEach((m, i) => {
      const t0 = performance.now();
      fn(m, i);
      out.push(performance.now() - t0);
    });
  }
  return out.sort((a, b) => a - b);
}

const plain = measure((m) => search.search(m));
const ours = measure((m, i) => understander.understand(m, contexts[i % 2]!));
const added = percentile(ours, 0.5) - percentile(plain, 0.5);
console.log(`Understanding bench: ${messages.length} messages x ${PASSES} passes, Node ${process.version}\n`);
printTable(
  ['per message, ms', 'search() alone (today)', 'understand()', 'target'],
  [
    ['p50', ms(percentile(plain, 0.5)), ms(percentile(ours, 0.5)), ''],
    ['p95', ms(percentile(plain, 0.95)), ms(percentile(ours, 0.95)), ''],
    ['p99', ms(percentile(plain, 0.99)), ms(percentile(ours, 0.99)), ''],
    ['added p50', '', ms(added), '< 0.500'],
  ],
);
console.log(`\ntarget understand() adds < 0.5 ms p50 over the search: ${added < 0.5 ? 'MET' : 'NOT MET'} (${ms(added)} ms)`);
