import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { NORRBY } from '../../../test/helpers/app.ts';
import { DEFAULT_ACR, loadConfig } from '../../kernel/config.ts';
import { meetsAssurance } from './relying-party.ts';
import { startFakeIdp } from './testing/fake-idp.ts';
import { listeningApp } from './testing/flows.ts';

const LOA = 'http://id.elegnamnden.se/loa/1.0';
const UNCERTIFIED = 'http://id.swedenconnect.se/loa/1.0';

test('the required assurance level is a minimum: higher is accepted, lower, unknown or missing is not', () => {
  assert.equal(meetsAssurance(`${LOA}/loa3`, `${LOA}/loa3`), true);
  assert.equal(meetsAssurance(`${LOA}/loa4`, `${LOA}/loa3`), true);
  assert.equal(meetsAssurance(`${LOA}/eidas-sub`, `${LOA}/loa3`), true);
  assert.equal(meetsAssurance(`${LOA}/eidas-nf-high`, `${LOA}/loa3`), true);
  assert.equal(meetsAssurance(`${LOA}/loa3`, `${LOA}/loa2`), true);
  assert.equal(meetsAssurance(`${LOA}/loa2`, `${LOA}/loa3`), false);
  assert.equal(meetsAssurance(`${LOA}/eidas-low`, `${LOA}/loa3`), false);
  assert.equal(meetsAssurance(`${LOA}/loa3`, `${LOA}/loa4`), false);
  assert.equal(meetsAssurance(undefined, `${LOA}/loa3`), false);
  assert.equal(meetsAssurance('urn:example:strong', `${LOA}/loa3`), false);
  // Self-declared levels meet only an uncertified demand; certified levels meet that demand too.
  assert.equal(meetsAssurance(`${UNCERTIFIED}/uncertified-loa3`, `${LOA}/loa3`), false);
  assert.equal(meetsAssurance(`${UNCERTIFIED}/uncertified-loa3`, `${LOA}/loa2`), false);
  assert.equal(meetsAssurance(`${UNCERTIFIED}/uncertified-loa3`, `${UNCERTIFIED}/uncertified-loa3`), true);
  assert.equal(meetsAssurance(`${LOA}/loa4`, `${UNCERTIFIED}/uncertified-loa3`), true);
  assert.equal(meetsAssurance(`${UNCERTIFIED}/uncertified-eidas-low`, `${UNCERTIFIED}/uncertified-loa3`), false);
});

test('loa3 is demanded by default; OIDC_ACR must be a level Medborg can rank', () => {
  assert.equal(DEFAULT_ACR, `${LOA}/loa3`);
  assert.equal(loadConfig({}).oidc.acr, `${LOA}/loa3`);
  assert.equal(loadConfig({ OIDC_ACR: `${LOA}/loa4` }).oidc.acr, `${LOA}/loa4`);
  assert.throws(() => loadConfig({ OIDC_ACR: 'loa3' }), /OIDC_ACR: unknown assurance level "loa3"; expected one of http:\/\/id\.elegnamnden\.se\/loa\/1\.0\/loa1/);
});

describe('sign-in against the required assurance level (the default, loa3)', async () => {
  const idp = await startFakeIdp();
  // No OIDC_ACR: the default demand applies.
  const app = await listeningApp({ demo: false, env: { OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: idp.clientId, OIDC_CLIENT_SECRET: idp.clientSecret } });
  after(async () => {
    await app.close();
    await idp.close();
  });
  const norrby = app.origin(NORRBY);
  const residents = async (pin: string) =>
    (await app.tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM residents WHERE tenant_id = $1 AND personal_number = $2', ['norrby', pin])).rows[0]!.n;

  test('a higher level than demanded signs in, and the demand is sent as acr_values', async () => {
    idp.behaviour = { acr: `${LOA}/loa4`, personalNumber: '197911309842' };
    const r = await app.browser().go(`${norrby}/sign-in?back=%2Fmy%2Fprofile`);
    assert.equal(r.status, 200);
    assert.match(r.body, /Inloggad som Sara Lind/);
    assert.equal(idp.lastAuthorization?.get('acr_values'), `${LOA}/loa3`);
    assert.equal(await residents('197911309842'), 1);
  });

  for (const [what, behaviour] of [
    ['a lower level', { acr: `${LOA}/loa2` }],
    ['a self-declared level', { acr: `${UNCERTIFIED}/uncertified-loa3` }],
    ['no level at all', { extraClaims: { acr: undefined } }],
  ] as const) {
    test(`${what} is refused with the translated page, no account created`, async () => {
      idp.behaviour = { ...behaviour, personalNumber: '199205059885' };
      const sv = await app.browser().go(`${norrby}/sign-in?back=%2F`);
      assert.equal(sv.status, 403);
      assert.match(sv.body, /E-legitimationen räcker inte för tjänsten/);
      assert.equal(await residents('199205059885'), 0);
    });
  }

  test('the refusal is in English too', async () => {
    idp.behaviour = { acr: `${LOA}/loa2`, personalNumber: '199205059885' };
    const b = app.browser();
    b.setCookie('norrby.localhost', 'mb_lang', 'en');
    const en = await b.go(`${norrby}/sign-in?back=%2F`);
    assert.equal(en.status, 403);
    assert.match(en.body, /The e-ID is not strong enough for this service/);
  });
});
