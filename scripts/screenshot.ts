/**
 * Takes a screenshot of a page with the same headless Chromium the browser journeys use, to look
 * at a page or to make the README's picture. Tenant hosts (*.localhost) reach 127.0.0.1.
 *
 *   node --import tsx scripts/screenshot.ts <url> <out.png> [--width 1280] [--height 800] [--full]
 *                                           [--locale sv|en] [--no-js]
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../test/e2e/chromium.ts';

const usage = 'usage: node --import tsx scripts/screenshot.ts <url> <out.png> [--width 1280] [--height 800] [--full] [--locale sv|en] [--no-js]';

function positiveInt(name: string, raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 100 || Number(raw) > 10_000) {
    throw new Error(`--${name} must be a whole number of pixels between 100 and 10000, got "${raw}"`);
  }
  return Number(raw);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      width: { type: 'string', default: '1280' },
      height: { type: 'string', default: '800' },
      full: { type: 'boolean', default: false },
      locale: { type: 'string', default: 'sv' },
      'no-js': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length !== 2) {
    console.log(usage);
    process.exit(values.help ? 0 : 2);
  }
  const [url, out] = positionals as [string, string];
  if (!/^https?:\/\//.test(url)) throw new Error(`expected an http(s) URL, got "${url}"`);
  if (values.locale !== 'sv' && values.locale !== 'en') throw new Error(`--locale must be sv or en, got "${values.locale}"`);
  const viewport = { width: positiveInt('width', values.width), height: positiveInt('height', values.height) };

  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({
      viewport,
      javaScriptEnabled: !values['no-js'],
      locale: values.locale === 'en' ? 'en-GB' : 'sv-SE',
      extraHTTPHeaders: { 'Accept-Language': values.locale === 'en' ? 'en-GB,en;q=0.9' : 'sv-SE,sv;q=0.9' },
      timezoneId: 'Europe/Stockholm',
    });
    const page = await context.newPage();
    const res = await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
    const file = path.resolve(out);
    mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file, fullPage: values.full });
    console.log(`${res?.status() ?? '?'} ${page.url()} -> ${file} (${viewport.width}x${viewport.height}${values.full ? ', full page' : ''})`);
  } finally {
    await browser.close();
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
