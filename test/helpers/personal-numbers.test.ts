/** The finder the browser journeys rely on: a checker that silently finds nothing is worse than none. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { personalNumbersIn } from './personal-numbers.ts';

const PIN = '198803149825';
const b64url = (s: string) => Buffer.from(s).toString('base64url');
const jwt = (claims: object) => `${b64url('{"alg":"RS256","kid":"k1"}')}.${b64url(JSON.stringify(claims))}.${b64url('\u0001\u00ff signature bytes \u0000')}`;

test('finds an identity number however the URL carries it', () => {
  const token = jwt({ sub: 'abc', 'https://id.oidc.se/claim/personalIdentityNumber': PIN, aud: 'medborg-norrby' });
  const urls = [
    `https://idp.example/session/end?id_token_hint=${token}&post_logout_redirect_uri=https%3A%2F%2Fnorrby.example%2Fsigned-out`,
    `https://idp.example/x/${token}`,
    `https://norrby.example/search?q=${PIN}`,
    'https://norrby.example/search?q=19880314-9825',
    'https://norrby.example/search?q=880314%2D9825',
    'https://norrby.example/search?q=19880314%252D9825',
    `https://norrby.example/search?q=${Buffer.from(`{"pin":"${PIN}"}`).toString('base64')}`,
    `https://norrby.example/search?state=${b64url(`{"inner":"${b64url(`pin ${PIN} inside`)}"}`)}`,
  ];
  for (const url of urls) {
    const found = personalNumbersIn(url);
    assert.ok(found.length > 0, url);
    for (const f of found) assert.ok(!f.includes('9825'), `the report is masked: ${f}`);
  }
});

test('finds nothing in URLs without one', () => {
  const token = jwt({ sub: 'abc', given_name: 'Anna', iat: 1_764_000_000, exp: 1_764_003_600 });
  const urls = [
    `https://idp.example/session/end?client_id=medborg-norrby&post_logout_redirect_uri=https%3A%2F%2Fnorrby.example%2Fsigned-out`,
    `https://idp.example/auth?state=${b64url('0123456789abcdef0123')}&nonce=Xk3_9vQ-a8b7c6d5e4f3g2h1&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM`,
    `https://norrby.example/staff/cases/0190b3c4-0000-7000-8000-000000000000?after=${b64url('2026-01-01T00:00:00.000Z|0190b3c4-0000-7000-8000-000000000000')}`,
    `https://norrby.example/x?id_token_hint=${token}`,
    'https://norrby.example/my/cases/FSK-2026-000123?t=1764000000000',
  ];
  for (const url of urls) assert.deepEqual(personalNumbersIn(url), [], url);
});
