/**
 * Where a browser may be sent back to after signing in or switching language: a path on this
 * site, taken from input (a `back` query parameter or form field). The one place that decides it;
 * every redirect whose target comes from input goes through safeBackPath.
 *
 * Browsers are lenient in ways a plain prefix check misses: Chromium drops tab, CR and LF from a
 * URL, so "/\t/evil.example/" is "//evil.example/" (another site); "\" counts as "/"; "%2e%2e"
 * is a ".." segment, so "/%2e%2e//evil.example" resolves to the path "//evil.example"; and a
 * character outside Latin-1 cannot go into a Location header at all (Node throws: a 500). So the
 * value is checked as given and after each further layer of percent-decoding, and what is sent
 * is the path as the URL parser serialises it: percent-encoded ASCII, checked once more.
 */

/** Longer than any page of ours; a longer value is not one we produced. */
const MAX_LENGTH = 2048;
/** Layers of percent-decoding looked through; a value still changing after them is refused. */
const MAX_DECODINGS = 3;
const BASE = new URL('http://back-path.invalid/');
/** C0 controls, DEL and C1 controls: browsers strip some of them from URLs, none belongs in a path. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/**
 * Percent-decoding that never throws: every run of %XX escapes becomes the characters its bytes
 * spell in UTF-8 (an invalid sequence becomes U+FFFD), anything else is kept as it is.
 */
export function percentDecode(s: string): string {
  return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
}

/** Whether one spelling of the value is a path on this site, however a browser reads it. */
function isLocalPath(s: string): boolean {
  if (!s.startsWith('/') || s[1] === '/' || s.includes('\\') || CONTROL.test(s)) return false;
  let url: URL;
  try {
    url = new URL(s, BASE);
  } catch {
    return false;
  }
  // Dot segments can leave a path that starts with "//", which a Location header reads as a host.
  return url.origin === BASE.origin && !url.pathname.startsWith('//');
}

/**
 * A same-origin absolute path for a redirect, from untrusted input; anything else gives "/".
 * The result is ASCII (non-ASCII percent-encoded), so it is always a legal Location header.
 *
 *   safeBackPath('/my/cases?status=open')   // '/my/cases?status=open'
 *   safeBackPath('/%09/evil.example/')      // '/'
 */
export function safeBackPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_LENGTH) return '/';
  let layer = value;
  for (let i = 0; ; i++) {
    if (!isLocalPath(layer)) return '/';
    const next = percentDecode(layer);
    if (next === layer) break;
    if (i === MAX_DECODINGS) return '/';
    layer = next;
  }
  const url = new URL(value, BASE);
  const path = url.pathname + url.search + url.hash;
  return isLocalPath(path) && /^[\u0021-\u007E]+$/.test(path) ? path : '/';
}
