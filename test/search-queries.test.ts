/**
 * The everyday queries of test/search-queries.yaml, each with the service it must find first, run
 * through the results page in every demo municipality that offers that service (ADR 0023). A query
 * with `first: null` must find nothing at all.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { createTestApp, repoRoot } from './helpers/app.ts';

interface Query {
  q: string;
  first: string | null;
  site?: 'sv' | 'en';
}

const { queries } = YAML.parse(readFileSync(path.join(repoRoot, 'test/search-queries.yaml'), 'utf8')) as { queries: Query[] };

const t = await createTestApp();
after(() => t.close());

test('the query list holds at least 100 everyday queries, each naming a service of the demo catalogue', () => {
  assert.ok(queries.length >= 100, `${queries.length} queries`);
  const ids = new Set(t.tenants.all.flatMap((tenant) => t.app.catalogue.listed(tenant.id).map((s) => s.id)));
  for (const q of queries) if (q.first !== null) assert.ok(ids.has(q.first), `${q.q}: ${q.first} is no demo service`);
  // At least two queries per service (issue 9).
  for (const id of ids) assert.ok(queries.filter((q) => q.first === id).length >= 2, `${id} has fewer than two queries`);
});

for (const tenant of ['norrby', 'sodera']) {
  test(`${tenant}: every query finds its service first`, async () => {
    const registry = t.tenants.all.find((x) => x.id === tenant)!;
    const offered = new Set(t.app.catalogue.listed(tenant).map((s) => s.id));
    const failures: string[] = [];
    let ran = 0;
    for (const { q, first, site = 'sv' } of queries) {
      if (first !== null && !offered.has(first)) continue;
      ran++;
      const r = await t.app.inject({ url: `/search?q=${encodeURIComponent(q)}`, headers: { host: registry.hosts[0]!, 'accept-language': site } });
      assert.equal(r.statusCode, 200, q);
      const list = /<ol class="mb-search-results">([\s\S]*?)<\/ol>/.exec(r.body)?.[1] ?? '';
      const ids = [...list.matchAll(/href="\/services\/([a-z0-9-]+)"/g)].map((m) => m[1]);
      if ((ids[0] ?? null) !== first) failures.push(`"${q}" (${site}): expected ${first ?? 'nothing'} first, got [${ids.join(', ')}]`);
    }
    assert.ok(ran >= 50, `${ran} queries ran`);
    assert.deepEqual(failures, []);
  });
}
