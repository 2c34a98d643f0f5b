/**
 * The generated test of a link service (engine link, issue 9): knowing nothing but its definition,
 * over HTTP, in both languages — its page hands over to the address this municipality set, it is
 * listed under its area and each of its life situations, the search finds it by its title, and it
 * has no form to start.
 */
import assert from 'node:assert/strict';
import type { LinkService } from '../../src/catalogue/index.ts';
import { areaOf } from '../../src/catalogue/index.ts';
import type { TestApp } from '../helpers/app.ts';

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export async function checkLinkService(t: TestApp, host: string, service: LinkService): Promise<void> {
  const get = (url: string, lang: 'sv' | 'en') => t.app.inject({ url, headers: { host, 'accept-language': lang } });
  const card = `<a class="ds-link" href="/services/${service.id}">`;
  for (const lang of ['sv', 'en'] as const) {
    const page = await get(`/services/${service.id}`, lang);
    assert.equal(page.statusCode, 200, `${service.id} page (${lang})`);
    assert.ok(page.body.includes(`<h1 class="ds-heading" data-size="xl">${escapeHtml(service.title[lang])}</h1>`), `${service.id}: the title is the heading (${lang})`);
    const buttons = [...page.body.matchAll(/<a class="ds-button" data-variant="primary" href="([^"]*)" rel="noreferrer">/g)].map((m) => m[1]);
    assert.deepEqual(buttons, [escapeHtml(service.link.url)], `${service.id}: one handover, to this municipality's address (${lang})`);
    assert.ok(page.body.includes(escapeHtml(service.summary[lang])), `${service.id}: the summary (${lang})`);

    const area = await get(`/services?area=${areaOf(service)}`, lang);
    assert.ok(area.body.includes(card), `${service.id}: listed under its area (${lang})`);
    for (const situation of service.situations ?? []) {
      const listed = await get(`/services?situation=${situation}`, lang);
      assert.ok(listed.body.includes(card), `${service.id}: listed under ${situation} (${lang})`);
    }
    const found = await get(`/search?q=${encodeURIComponent(service.title[lang])}`, lang);
    const first = /<h3 class="ds-heading"[^>]*><a class="ds-link" href="\/services\/([a-z0-9-]+)">/.exec(found.body)?.[1];
    assert.equal(first, service.id, `${service.id}: found first by its own title (${lang})`);
  }
  const apply = await get(`/services/${service.id}/apply`, 'sv');
  assert.equal(apply.statusCode, 404, `${service.id}: no form to start`);
}
