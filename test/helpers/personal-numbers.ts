/**
 * Finds personal identity numbers in a URL, wherever they hide: as written, after each layer of
 * percent-decoding, and inside anything that looks like base64 or base64url (a JWT's parts, a
 * token, a state value), decoded again the same way. Used to prove that no redirect or
 * navigation carries one (browser history and access logs keep URLs).
 *
 * Detection is the log masking's own pattern (src/kernel/log.ts): 12 and 10 digits, with or
 * without - or +, co-ordination numbers included, a plausible date.
 */
import { maskPins } from '../../src/kernel/log.ts';
import { percentDecode } from '../../src/kernel/http/back-path.ts';

/** Runs of base64/base64url characters long enough to hide a number (16 characters = 12 bytes). */
const ENCODED = /[A-Za-z0-9_\-+/]{16,}={0,2}/g;
const MAX_NESTING = 4;

/** As a query string reads: '+' is a space, then the kernel's percent-decoding (never throws). */
const formDecode = (s: string): string => percentDecode(s.replace(/\+/g, ' '));

/** Every reading of the text: itself, its percent-decoded layers, and decoded encoded runs within. */
function readings(text: string, nesting: number, out: { text: string; how: string }[], how: string): void {
  out.push({ text, how });
  if (nesting >= MAX_NESTING) return;
  const decoded = formDecode(text);
  if (decoded !== text) readings(decoded, nesting + 1, out, `${how} → percent-decoded`);
  // A run may start with path segments ("/path/eyJ…"): each piece between slashes is tried too.
  const runs = new Set((text.match(ENCODED) ?? []).flatMap((run) => [run, ...run.split('/').filter((p) => p.length >= 16)]));
  for (const run of runs) {
    const inner = Buffer.from(run.replace(/=+$/, ''), 'base64url').toString('utf8');
    // Only text is worth reading again; random bytes (a nonce, a signature) are not.
    if (inner.length > 0 && !/[\u0000-\u0008\u000E-\u001F\uFFFD]/.test(inner)) readings(inner, nesting + 1, out, `${how} → base64 "${run.slice(0, 12)}…"`);
  }
}

/** Where in `url` a personal identity number appears; empty when there is none. Masked, so a report leaks nothing. */
export function personalNumbersIn(url: string): string[] {
  const found: string[] = [];
  const all: { text: string; how: string }[] = [];
  readings(url, 0, all, 'as written');
  for (const { text, how } of all) {
    const masked = maskPins(text);
    if (masked !== text) found.push(`${how}: ${masked.slice(0, 300)}`);
  }
  return found;
}
