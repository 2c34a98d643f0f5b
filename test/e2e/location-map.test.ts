/**
 * The location field's map with a tile server configured (ADR 0020), in headless Chromium with
 * JavaScript on: a local tile server stands in for the provider (this machine reaches none), so
 * the page's Content-Security-Policy, Leaflet from our own origin and location-map.js are
 * exercised for real. Clicking the map fills the coordinate inputs; typing in them moves the
 * marker; the answer sent is what the inputs hold. axe runs on the page with the map, and the
 * harness fails on any CSP violation, script error or failed resource.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { translate } from '../../src/kernel/i18n/index.ts';
import '../../src/forms/messages.ts';
import '../../src/identity/eid/test-idp/messages.ts';
import { browserAndServer, runJourney, NORRBY, type Journey } from './harness.ts';

const require = createRequire(import.meta.url);
// Any PNG will do as a tile: the map only has to draw something.
const TILE = readFileSync(require.resolve('leaflet/dist/images/layers.png'));

let tiles: Server;

before(async () => {
  tiles = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'max-age=3600' }).end(TILE));
  await new Promise<void>((resolve) => tiles.listen(0, '127.0.0.1', resolve));
});

const live = browserAndServer(() => {
  const port = (tiles.address() as AddressInfo).port;
  return { demo: true, now: '2026-11-23T10:00:00Z', env: { MAP_TILE_URL: `http://127.0.0.1:${port}/{z}/{x}/{y}.png`, MAP_ATTRIBUTION: '© Testkartan' } };
});

after(async () => {
  await new Promise<void>((resolve) => tiles?.close(() => resolve()));
});

async function press(j: Journey, name: string, label: string): Promise<void> {
  await j.navigate(() => j.page.getByRole('button', { name, exact: true }).click(), label);
}

describe('the location map with tiles', () => {
  test('clicking the map sets the coordinates, typing them moves the marker, and the inputs are the answer (sv)', async () => {
    await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale: 'sv', name: 'location map sv' }, async (j) => {
      const t = (key: string) => translate('sv', key);
      // The report is open to anyone: a resident who wants it under My cases signs in first.
      await j.visit(`/sign-in?back=${encodeURIComponent('/services/felanmalan/apply')}`, { label: 'test e-ID sign-in' });
      await j.page.getByLabel('Anna Andersson', { exact: true }).check();
      await press(j, t('eid.testIdp.signIn'), 'category');
      await j.page.locator('[name="category"][value="pothole"]').check();
      await press(j, t('forms.continue'), 'the place, with a map');
      const map = j.page.locator('[data-location-map]');
      await map.locator('.leaflet-tile-loaded').first().waitFor();
      assert.equal(await map.isVisible(), true, 'the map is shown');
      assert.match(await map.locator('.leaflet-control-attribution').innerText(), /Testkartan/);
      // Once the map has settled at the municipality's bounds (fitBounds may still be zooming).
      await j.page.waitForFunction(() => !document.querySelector('.leaflet-zoom-anim'));
      const box = (await map.boundingBox())!;
      await map.click({ position: { x: box.width / 2, y: box.height / 2 } });
      const lat = j.page.locator('[name="location.lat"]');
      const lng = j.page.locator('[name="location.lng"]');
      assert.match(await lat.inputValue(), /^62,\d{5}$/, 'the click wrote the latitude with a decimal comma');
      assert.match(await lng.inputValue(), /^17,\d{5}$/);
      assert.equal(await map.locator('.leaflet-marker-icon').count(), 1, 'a marker where it was clicked');
      await j.check('map with a marker');
      await lat.fill('62,3908');
      await lng.fill('17,3069');
      await lng.dispatchEvent('change');
      await j.screenshot('map-desktop');
      await press(j, t('forms.continue'), 'the place answered');
      const { rows } = await live.server.tdb.db.query<{ location: unknown }>("SELECT answers->'location' AS location FROM drafts WHERE tenant_id = 'norrby' ORDER BY updated_at DESC LIMIT 1");
      assert.deepEqual(rows[0]!.location, { address: '', description: '', lat: 62.3908, lng: 17.3069 });
    });
  });
});
