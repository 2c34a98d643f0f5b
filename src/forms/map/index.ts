/**
 * The location field's map assets (ADR 0020): Leaflet 1.9.4's script, stylesheet and marker images,
 * served from node_modules by our own origin (the Content-Security-Policy allows scripts and styles
 * from 'self' only), and our small location-map.js. Read once at start-up and served from memory
 * with a year's caching: the version is in the path, and location-map.js's hash is.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const LEAFLET = '1.9.4';

export interface MapAssets {
  leafletJs: string;
  leafletCss: string;
  script: string;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.png': 'image/png' };

/** Registers the routes and returns the URLs a page with a map links to. */
export function registerMapAssets(app: FastifyInstance): MapAssets {
  const dist = path.dirname(require.resolve('leaflet/dist/leaflet.js'));
  const files = new Map<string, { body: Buffer; type: string }>();
  const base = `/assets/leaflet-${LEAFLET}`;
  for (const f of ['leaflet.js', 'leaflet.css', 'images/marker-icon.png', 'images/marker-icon-2x.png', 'images/marker-shadow.png', 'images/layers.png', 'images/layers-2x.png']) {
    files.set(`${base}/${f}`, { body: readFileSync(path.join(dist, f)), type: TYPES[path.extname(f)]! });
  }
  const script = readFileSync(path.join(here, 'location-map.js'));
  const scriptUrl = `/assets/location-map.${createHash('sha256').update(script).digest('hex').slice(0, 12)}.js`;
  files.set(scriptUrl, { body: script, type: TYPES['.js']! });
  for (const [url, file] of files) {
    app.get(url, async (_req, reply) => reply.header('content-type', file.type).header('cache-control', 'public, max-age=31536000, immutable').send(file.body));
  }
  return { leafletJs: `${base}/leaflet.js`, leafletCss: `${base}/leaflet.css`, script: scriptUrl };
}
