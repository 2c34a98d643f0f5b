import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeBackPath } from './back-path.ts';

/** What a browser makes of a Location header sent from https://norrby.example/some/page. */
function landsOn(location: string): URL {
  // Chromium strips ASCII tab and newlines and leading/trailing C0 controls and spaces before parsing.
  return new URL(location, 'https://norrby.example/some/page');
}

/** A legal Location header value: Node refuses anything but tab, visible ASCII and Latin-1 (a 500). */
function assertSafe(out: string, input: unknown): void {
  assert.match(out, /^\/[\u0021-\u007E]*$/, `${JSON.stringify(input)} gave ${JSON.stringify(out)}`);
  assert.equal(landsOn(out).origin, 'https://norrby.example', `${JSON.stringify(input)} gave ${JSON.stringify(out)}`);
  assert.ok(!out.startsWith('//') && !out.startsWith('/\\'), `${JSON.stringify(input)} gave ${JSON.stringify(out)}`);
}

// Values as a route sees them: Fastify has already percent-decoded the query string once, so an
// attacker's `back=/%2509/evil.example/` arrives as "/%09/evil.example/".
const HOSTILE: unknown[] = [
  '//evil.example',
  '///evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '\\/evil.example',
  '/\t/evil.example/',
  '/%09/evil.example/',
  '/%2509/evil.example/',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '/%0d%0a/evil.example',
  '/%0D%0ASet-Cookie:%20mb_sid=x',
  '/\r\nSet-Cookie: mb_sid=x',
  '/%2F/evil.example',
  '/%2f%2fevil.example',
  '%2F%2Fevil.example',
  '/%252F%252Fevil.example',
  '/%25252F%25252Fevil.example',
  '/%5Cevil.example',
  '/%5cevil.example',
  '/%255Cevil.example',
  '/.//evil.example',
  '/./%2F/evil.example',
  '/a/..//evil.example',
  '/%2e%2e//evil.example',
  '/%2E/%2E%2E//evil.example',
  'https://evil.example',
  'HTTPS://evil.example/',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  ' //evil.example',
  '\u0000//evil.example',
  '/\u0000',
  '/%00',
  '/a\u007Fb',
  '/a%7Fb',
  '/a\u0085b',
  '/a%C2%85b',
  '/a\u009Bb',
  'evil.example',
  '',
  '/' + 'a'.repeat(5000),
  '/%2525252525252F%2525252525252Fevil.example',
  undefined,
  null,
  42,
  ['/privacy', '//evil.example'],
  { toString: () => '/privacy' },
];

test('hostile return paths all fall back to the home page', () => {
  for (const input of HOSTILE) {
    assert.equal(safeBackPath(input), '/', JSON.stringify(input));
  }
});

test('paths on the site are kept, non-ASCII percent-encoded so the Location header is legal', () => {
  const cases: [string, string][] = [
    ['/', '/'],
    ['/privacy', '/privacy'],
    ['/my/cases?status=open&after=MjAyNi0x#main', '/my/cases?status=open&after=MjAyNi0x#main'],
    ['/services?q=f%C3%B6rskola', '/services?q=f%C3%B6rskola'],
    ['/services?q=förskola', '/services?q=f%C3%B6rskola'],
    ['/sök', '/s%C3%B6k'],
    ['/€', '/%E2%82%AC'],
    ['/\u{1F600}', '/%F0%9F%98%80'],
    ['/a b', '/a%20b'],
    ['/services?q=100%25', '/services?q=100%25'],
    ['/staff/cases/5b0c…', '/staff/cases/5b0c%E2%80%A6'],
    ['/my//cases', '/my//cases'],
  ];
  for (const [input, expected] of cases) {
    const out = safeBackPath(input);
    assert.equal(out, expected, input);
    assertSafe(out, input);
  }
});

test('whatever comes in, what goes out is a legal same-origin path', () => {
  // A fixed-seed generator over the characters that matter: the property holds for each value.
  const alphabet = ['/', '\\', '.', '%', '2', 'f', 'F', '5', 'c', '0', '9', 'e', 'a', ':', '?', '#', '\t', '\n', '\r', ' ', '\u0000', '\u007F', '\u0085', 'ö', '€', '\u{1F600}', '\uD800', 'evil.example'];
  let seed = 1;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < 20_000; i++) {
    const length = 1 + (next() % 12);
    let s = next() % 4 === 0 ? '' : '/';
    for (let k = 0; k < length; k++) s += alphabet[next() % alphabet.length];
    assertSafe(safeBackPath(s), s);
  }
});
