/**
 * Launching Debian's Chromium through playwright-core. Playwright's own browser download does not
 * work on our machines, so the browser journeys and scripts/screenshot.ts drive the system
 * Chromium (`apt-get install chromium`; .ci/run installs it). Kept apart from harness.ts so the
 * screenshot script can launch a browser without loading the application.
 *
 * Debian's chromium-headless-shell is preferred when installed: the same Blink and V8 without the
 * full browser around them (what Playwright itself runs headless tests in). On a browser journey it
 * used about a quarter less CPU time than the full chromium (61.7 against 81.5 CPU-seconds for
 * noise-report-journey, run one after the other), and the browser phase is CPU-bound.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';
const FULL_CHROMIUM = '/usr/bin/chromium';

/** Where the browser is: CHROMIUM_PATH, else the headless shell when installed, else the full chromium. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : FULL_CHROMIUM);

/**
 * Flags for a quiet, offline, reproducible headless browser. The host-resolver rule sends every
 * tenant host (norrby.localhost, sodera.localhost) and localhost itself to the IPv4 loopback the
 * test server listens on, whatever the machine's resolver would say.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP *.localhost 127.0.0.1, MAP localhost 127.0.0.1',
];

export class ChromiumMissingError extends Error {
  constructor(path: string) {
    super(
      `Chromium was not found at ${path}. The browser journeys need Debian's Chromium: ` +
        'run `apt-get update && apt-get install -y chromium-headless-shell` (or `chromium`) as root, or set CHROMIUM_PATH to a Chromium binary. ' +
        "Playwright's own browser download (npx playwright install) does not work on these machines.",
    );
    this.name = 'ChromiumMissingError';
  }
}

/** Starts headless Chromium; throws ChromiumMissingError (with how to install it) when it is absent. */
export async function launchBrowser(opts: { executablePath?: string } = {}): Promise<Browser> {
  const executablePath = opts.executablePath ?? CHROMIUM_PATH;
  if (!existsSync(executablePath)) throw new ChromiumMissingError(executablePath);
  // Playwright creates a fresh, empty user data directory for every launch and removes it on close.
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}
