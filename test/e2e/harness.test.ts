/**
 * The harness itself: a checker that silently finds nothing is worse than none. A small HTTP
 * server serves a page with known faults under the app's CSP, and a redirect that carries an
 * identity number in a JWT; the journey must report each of them, with JavaScript on and off, and
 * fail clearly when Chromium is missing.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchBrowser, newJourney, runJourney, ChromiumMissingError } from './harness.ts';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'";

const PAGES: Record<string, { type: string; body: string; status?: number }> = {
  '/bad': {
    type: 'text/html; charset=utf-8',
    body: `<!doctype html><html lang="en"><head><title>Bad page</title>
<link rel="stylesheet" href="/site.css"><link rel="stylesheet" href="/missing.css"></head>
<body><main><h1>Bad page</h1>
<p class="faint">Text too faint to read</p>
<img src="/pixel.png">
<p style="color: red">Inline style</p>
<script>document.title = 'inline script ran';</script>
</main></body></html>`,
  },
  '/good': {
    type: 'text/html; charset=utf-8',
    body: `<!doctype html><html lang="en"><head><title>Good page</title><link rel="stylesheet" href="/site.css"></head>
<body><header><a href="/good#one">First link</a> <a href="/good#two">Second link</a></header><main><h1>Good page</h1><p>Fine.</p></main></body></html>`,
  },
  '/no-policy': {
    type: 'text/html; charset=utf-8',
    body: '<!doctype html><html lang="en"><head><title>No policy</title></head><body><main><h1>No policy</h1></main></body></html>',
  },
  '/site.css': { type: 'text/css', body: 'body { color: #111; background: #fff; } .faint { color: #c8c8c8; }' },
  '/pixel.png': {
    type: 'image/png',
    body: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64').toString('latin1'),
  },
};

const b64url = (s: string) => Buffer.from(s).toString('base64url');
const LEAKY_TOKEN = [b64url('{"alg":"RS256"}'), b64url('{"sub":"x","https://id.oidc.se/claim/personalIdentityNumber":"198803149825"}'), 'c2ln'].join('.');

let site: http.Server;
let origin: string;
let browser: Browser;

before(async () => {
  site = http.createServer((req, res) => {
    if (req.url === '/leaky-sign-out') {
      // As the e-ID sign-out used to: an ID token carrying the identity number, in a redirect.
      res.writeHead(303, { location: `/good?id_token_hint=${LEAKY_TOKEN}` }).end();
      return;
    }
    const page = PAGES[(req.url ?? '/').split('?')[0]!];
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const headers: Record<string, string> = { 'content-type': page.type };
    if (req.url !== '/no-policy') headers['content-security-policy'] = CSP;
    res.writeHead(200, headers).end(Buffer.from(page.body, 'latin1'));
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  origin = `http://selftest.localhost:${(site.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.close(resolve));
});

describe('the journey harness', () => {
  for (const javaScriptEnabled of [true, false]) {
    test(`reports axe violations, CSP violations and failed resources (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const j = await newJourney(browser, { origin, locale: 'en', javaScriptEnabled, name: 'harness self-test' });
      try {
        await j.visit('/bad');
        const rules = new Set(j.axeFindings.map((f) => f.rule));
        assert.ok(rules.has('image-alt'), `image-alt found: ${[...rules].join(', ')}`);
        assert.ok(rules.has('color-contrast'), `color-contrast found (styles applied): ${[...rules].join(', ')}`);
        const img = j.axeFindings.find((f) => f.rule === 'image-alt')!;
        assert.equal(img.url, `${origin}/bad`);
        assert.match(img.nodes[0]!.target, /img/);
        assert.ok(j.cspViolations.some((c) => /style-src/.test(c)), `inline style reported: ${j.cspViolations.join(' | ')}`);
        if (javaScriptEnabled) {
          assert.ok(j.cspViolations.some((c) => /script-src/.test(c)), `inline script reported: ${j.cspViolations.join(' | ')}`);
        }
        assert.equal(await j.page.title(), 'Bad page', 'the inline script was blocked');
        assert.ok(j.resourceErrors.some((r) => r.startsWith('404') && r.includes('/missing.css')), j.resourceErrors.join(' | '));
        assert.throws(() => j.assertClean(), (err: Error) => {
          assert.match(err.message, /axe image-alt \(critical\) on http:\/\/selftest\.localhost:\d+\/bad \[\/bad\]/);
          assert.match(err.message, /axe color-contrast/);
          assert.match(err.message, /CSP violation: .*style-src/);
          assert.match(err.message, /resource failed: 404 GET .*\/missing\.css/);
          return true;
        });
        assert.deepEqual(
          j.checked.map((c) => c.url),
          [`${origin}/bad`],
        );
      } finally {
        await j.close();
      }
    });
  }

  test('a clean page passes; tabTo fails clearly when Tab never reaches the text', async () => {
    await runJourney(browser, { origin, locale: 'en', name: 'harness clean page' }, async (j) => {
      await j.visit('/good');
      const second = await j.tabTo('Second link');
      assert.equal(second.href, '/good#two');
      await assert.rejects(j.tabTo('No such link', { max: 3 }), /Tab did not reach "No such link" in 3 presses/);
    });
  });

  test('a page served without a script policy is reported, since no violation would mean nothing there', async () => {
    const j = await newJourney(browser, { origin, locale: 'en', name: 'harness no policy' });
    try {
      await j.visit('/no-policy');
      assert.deepEqual(j.axeFindings, []);
      assert.throws(() => j.assertClean(), /no-policy has no Content-Security-Policy restricting scripts/);
    } finally {
      await j.close();
    }
  });

  test('a personal identity number in any URL, even inside a JWT in a redirect, fails the journey (masked)', async () => {
    const j = await newJourney(browser, { origin, locale: 'en', name: 'harness leaky redirect' });
    try {
      await j.visit('/leaky-sign-out');
      assert.equal(new URL(j.page.url()).pathname, '/good');
      assert.throws(() => j.assertClean(), (err: Error) => {
        assert.match(err.message, /personal identity number in a URL: http:\/\/selftest\.localhost:\d+\/good\?id_token_hint=… \(as written → base64 .*\[personnummer\]/);
        assert.doesNotMatch(err.message, /198803149825/);
        return true;
      });
    } finally {
      await j.close();
    }
  });

  test('a failing journey leaves a screenshot in test-results/', async () => {
    let message = '';
    try {
      await runJourney(browser, { origin, locale: 'en', name: 'harness failing journey' }, async (j) => {
        await j.visit('/good');
        assert.fail('deliberate failure');
      });
    } catch (err) {
      message = (err as Error).message;
    }
    const shot = message.match(/Screenshot: (\S+\.png)/)?.[1];
    assert.ok(shot, `the error names a screenshot: ${message}`);
    assert.ok(existsSync(shot), `${shot} exists`);
    rmSync(shot);
  });

  test('without Chromium the journeys fail and say how to install it', async () => {
    await assert.rejects(launchBrowser({ executablePath: '/nonexistent/chromium' }), (err: Error) => {
      assert.ok(err instanceof ChromiumMissingError);
      assert.match(err.message, /not found at \/nonexistent\/chromium/);
      assert.match(err.message, /apt-get update && apt-get install -y chromium/);
      return true;
    });
  });
});
