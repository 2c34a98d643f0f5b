/**
 * Static assets, built once at start-up and served from memory with a content hash in the URL,
 * so they can be cached for a year: the design system's CSS (Designsystemet), our layout CSS,
 * the interface font (Inter, from its npm package: no font CDN; ADR 0025), one theme file per
 * tenant, the small enhancement script, and the expression evaluator it uses (expressions/,
 * bundled by esbuild here at start-up: the same code the server evaluates with).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Tenant } from '../tenants.ts';
import { browserBundle } from '../../expressions/index.ts';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export interface Asset {
  url: string;
  body: string | Buffer;
  contentType: string;
}

function hashed(name: string, ext: string, body: string | Buffer, contentType: string): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { url: `/assets/${name}.${hash}.${ext}`, body, contentType };
}

/** WCAG 2.x relative luminance contrast between two #rrggbb colours. */
export function contrastRatio(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, b2] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b2;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

function shade(hex: string, factor: number): string {
  const parts = [1, 3, 5].map((i) => Math.round(parseInt(hex.slice(i, i + 2), 16) * factor));
  return '#' + parts.map((p) => Math.max(0, Math.min(255, p)).toString(16).padStart(2, '0')).join('');
}

/** The CSS variables that re-colour Designsystemet's accent palette in a tenant's colours. */
export function tenantThemeCss(tenant: Tenant): string {
  const { primary, primaryText, accent } = tenant.theme;
  if (contrastRatio(primary, primaryText) < 4.5 || contrastRatio(primary, '#ffffff') < 4.5) {
    throw new Error(`Tenant ${tenant.id}: theme primary ${primary} does not reach 4.5:1 contrast (WCAG 1.4.3)`);
  }
  return `:root,[data-color-scheme]{
  --ds-color-accent-base-default:${primary};
  --ds-color-accent-base-hover:${shade(primary, 0.85)};
  --ds-color-accent-base-active:${shade(primary, 0.7)};
  --ds-color-accent-base-contrast-default:${primaryText};
  --ds-color-accent-text-default:${primary};
  --ds-color-accent-text-subtle:${shade(primary, 0.9)};
  --ds-color-accent-surface-tinted:${accent};
  --ds-color-accent-background-tinted:${accent};
  --ds-color-accent-border-default:${primary};
  --mb-brand:${primary};
  --mb-brand-text:${primaryText};
  --mb-brand-tint:${accent};
}\n`;
}

export interface AssetBundle {
  css: Asset;
  js: Asset;
  /** The expression language's evaluator for enhance.js (ADR 0009). */
  expressions: Asset;
  themes: Map<string, Asset>;
  /** Each tenant's logo (from the tenants file), where it has one. */
  logos: Map<string, Asset>;
  /** Each tenant's browser icon: its logo when that is an SVG, else a tile in its colour with its initial. */
  icons: Map<string, Asset>;
  byUrl: Map<string, Asset>;
}

const LOGO_TYPES: Record<string, string> = { '.svg': 'image/svg+xml', '.png': 'image/png' };

function logoOf(t: Tenant): Asset | undefined {
  if (!t.logo) return undefined;
  const type = LOGO_TYPES[path.extname(t.logo).toLowerCase()];
  if (!type) throw new Error(`Tenant ${t.id}: logo ${t.logo} must be an .svg or .png file`);
  return hashed(`logo-${t.id}`, path.extname(t.logo).slice(1).toLowerCase(), readFileSync(t.logo), type);
}

function iconOf(t: Tenant, logo: Asset | undefined): Asset {
  if (logo?.contentType === 'image/svg+xml') return hashed(`icon-${t.id}`, 'svg', logo.body, logo.contentType);
  const initial = (t.name.sv.trim()[0] ?? 'M').toUpperCase().replace(/[<>&"']/g, '');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="${t.theme.primary}"/><text x="16" y="23" font-family="Arial,sans-serif" font-size="20" font-weight="700" text-anchor="middle" fill="${t.theme.primaryText}">${initial}</text></svg>`;
  return hashed(`icon-${t.id}`, 'svg', svg, 'image/svg+xml');
}

/**
 * The interface font: the package's own @font-face rules (Inter's variable weight axis, one file per
 * Unicode subset, so a browser fetches only the subsets a page uses — Swedish needs only "latin"),
 * each file served by us under a hashed URL. Returns the rules with those URLs and the files.
 */
export function fontAssets(): { css: string; files: Asset[] } {
  const cssPath = require.resolve('@fontsource-variable/inter/wght.css');
  const files: Asset[] = [];
  const css = readFileSync(cssPath, 'utf8').replace(/url\(\.\/files\/([a-z0-9-]+)\.woff2\)/g, (_m, name: string) => {
    const file = hashed(`font-${name}`, 'woff2', readFileSync(path.join(path.dirname(cssPath), 'files', `${name}.woff2`)), 'font/woff2');
    files.push(file);
    return `url(${file.url})`;
  });
  if (files.length === 0) throw new Error(`${cssPath}: no font files found; has the package changed its layout?`);
  return { css, files };
}

/** Builds every asset once; called at start-up. */
export function buildAssets(tenants: readonly Tenant[]): AssetBundle {
  const dsCss = readFileSync(require.resolve('@digdir/designsystemet-css'), 'utf8');
  const dsTheme = readFileSync(require.resolve('@digdir/designsystemet-css/theme'), 'utf8');
  const appCss = readFileSync(path.join(here, 'app.css'), 'utf8');
  const font = fontAssets();
  const css = hashed('medborg', 'css', `${font.css}\n${dsTheme}\n${dsCss}\n${appCss}`, 'text/css; charset=utf-8');
  const js = hashed('medborg', 'js', readFileSync(path.join(here, 'enhance.js'), 'utf8'), 'text/javascript; charset=utf-8');
  const expressions = hashed('expressions', 'js', browserBundle(), 'text/javascript; charset=utf-8');
  const themes = new Map(tenants.map((t) => [t.id, hashed(`theme-${t.id}`, 'css', tenantThemeCss(t), 'text/css; charset=utf-8')]));
  const logos = new Map<string, Asset>();
  const icons = new Map<string, Asset>();
  for (const t of tenants) {
    const logo = logoOf(t);
    if (logo) logos.set(t.id, logo);
    icons.set(t.id, iconOf(t, logo));
  }
  const byUrl = new Map<string, Asset>([css, js, expressions, ...font.files, ...themes.values(), ...logos.values(), ...icons.values()].map((a) => [a.url, a]));
  return { css, js, expressions, themes, logos, icons, byUrl };
}
