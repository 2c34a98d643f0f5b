/**
 * A hand-made OpenID provider for the negative tests the real one cannot be made to fail: it signs
 * ID tokens with a key it does not publish, or leaves out the identity number. It checks the
 * client secret, the code and PKCE like a real provider, so the relying party's own checks are
 * what a test exercises. It signs in one fixed person without asking.
 */
import http from 'node:http';
import { createHash, createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { freePort } from './browser.ts';

export interface FakeIdpBehaviour {
  /** Sign ID tokens with a key that is not in the published JWKS (same kid). */
  signWithOtherKey?: boolean;
  /** Leave the personal identity number claim out. */
  omitPin?: boolean;
  acr?: string;
  personalNumber?: string;
  /** More claims for the ID token (a staff directory's username, amr). */
  extraClaims?: Record<string, unknown>;
}

export interface FakeIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  behaviour: FakeIdpBehaviour;
  /** The parameters of the last authorization request it received. */
  lastAuthorization: URLSearchParams | undefined;
  close(): Promise<void>;
}

const b64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');

function signJwt(payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'fake-1' }))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key).toString('base64url')}`;
}

export async function startFakeIdp(behaviour: FakeIdpBehaviour = {}): Promise<FakeIdp> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'medborg-fake';
  const clientSecret = 'fake-secret-for-tests';
  const published = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const codes = new Map<string, { nonce: string; redirectUri: string; challenge: string }>();
  const idp: FakeIdp = { issuer, clientId, clientSecret, behaviour, lastAuthorization: undefined, close: async () => {} };

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
      });
    }
    if (url.pathname === '/jwks') {
      return json(res, 200, { keys: [{ ...published.publicKey.export({ format: 'jwk' }), kid: 'fake-1', alg: 'RS256', use: 'sig' }] });
    }
    if (url.pathname === '/auth') {
      const p = url.searchParams;
      idp.lastAuthorization = p;
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { nonce: p.get('nonce') ?? '', redirectUri: p.get('redirect_uri') ?? '', challenge: p.get('code_challenge') ?? '' });
      const back = new URL(p.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', p.get('state') ?? '');
      res.writeHead(303, { location: back.href }).end();
      return;
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        // client_secret_basic: base64 of form-urlencoded id ":" secret (RFC 6749 section 2.3.1).
        const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        const [id, secret] = Buffer.from(basic ?? '', 'base64').toString('utf8').split(':').map((v) => decodeURIComponent(v.replace(/\+/g, ' ')));
        if (id !== clientId || secret !== clientSecret) return json(res, 401, { error: 'invalid_client' });
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        if (!grant || grant.redirectUri !== form.get('redirect_uri') || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
          return json(res, 400, { error: 'invalid_grant' });
        }
        const now = Math.floor(Date.now() / 1000);
        const claims: Record<string, unknown> = {
          iss: issuer,
          sub: 'fake-subject-1',
          aud: clientId,
          iat: now,
          exp: now + 300,
          nonce: grant.nonce,
          acr: idp.behaviour.acr ?? 'http://id.elegnamnden.se/loa/1.0/loa3',
          given_name: 'Sara',
          family_name: 'Lind',
          name: 'Sara Lind',
        };
        if (!idp.behaviour.omitPin) claims['https://id.oidc.se/claim/personalIdentityNumber'] = idp.behaviour.personalNumber ?? '197911309842';
        Object.assign(claims, idp.behaviour.extraClaims ?? {});
        const key = idp.behaviour.signWithOtherKey ? other.privateKey : published.privateKey;
        return json(res, 200, { access_token: randomBytes(16).toString('base64url'), token_type: 'Bearer', expires_in: 300, id_token: signJwt(claims, key) });
      });
      return;
    }
    json(res, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  idp.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return idp;
}
