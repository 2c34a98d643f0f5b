/**
 * `npm run bench:search`: how fast the service search answers on the demo catalogue (ADR 0023).
 *
 * Builds each demo municipality's index as start-up does (timed), then runs the everyday queries of
 * test/search-queries.yaml over and over for `--seconds` (3) per municipality: "warm" on one index,
 * where repeated query words come from its bounded cache as they do for a server's popular words,
 * and "cold" on a fresh index per pass over the list, so every word is worked out again (compound
 * splits and misspellings included). Prints one JSON line per municipality. Figures, not a test.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { areaName, loadCatalogue } from '../src/catalogue/index.ts';
import { translator } from '../src/kernel/i18n/index.ts';
import { loadTenants } from '../src/kernel/tenants.ts';
import { buildServiceSearch, type ServiceSearch } from '../src/search/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' } } });
const seconds = Number(values.seconds);

const tenants = loadTenants(path.join(root, 'tenants.yaml'));
const catalogue = loadCatalogue(tenants);
const names = { sv: translator('sv'), en: translator('en') };
const { queries } = YAML.parse(readFileSync(path.join(root, 'test/search-queries.yaml'), 'utf8')) as { queries: { q: string; site?: 'sv' | 'en' }[] };

function build(tenantId: string): ServiceSearch {
  return buildServiceSearch(catalogue.services(tenantId), (area, language) => areaName(names[language], area));
}

/** Runs passes over the query list until the time is up; `fresh` gives each pass its index. */
function measure(fresh: () => ServiceSearch): { queriesPerS: number; p50Us: number; p99Us: number; results: number } {
  const times: number[] = [];
  let results = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const index = fresh();
    for (const { q, site = 'sv' } of queries) {
      const t0 = performance.now();
      results += index.search(q, site).length;
      times.push(performance.now() - t0);
    }
  }
  const total = times.reduce((a, b) => a + b, 0);
  times.sort((a, b) => a - b);
  const at = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor(times.length * p))]! * 1000);
  return { queriesPerS: Math.round(times.length / (total / 1000)), p50Us: at(0.5), p99Us: at(0.99), results };
}

for (const tenant of tenants.all) {
  const b0 = performance.now();
  const warmIndex = build(tenant.id);
  const buildMs = performance.now() - b0;
  measure(() => warmIndex); // JIT warm-up
  const warm = measure(() => warmIndex);
  const cold = measure(() => build(tenant.id));
  console.log(
    JSON.stringify({
      bench: 'search',
      tenant: tenant.id,
      services: warmIndex.size,
      queries: queries.length,
      build_ms: Number(buildMs.toFixed(2)),
      warm_queries_per_s: warm.queriesPerS,
      warm_p50_us: warm.p50Us,
      warm_p99_us: warm.p99Us,
      cold_queries_per_s: cold.queriesPerS,
      cold_p50_us: cold.p50Us,
      cold_p99_us: cold.p99Us,
    }),
  );
}
