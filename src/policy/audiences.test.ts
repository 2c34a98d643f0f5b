/** The policy for the audiences of ADR 0015: a person verified by e-mail, an organisation's representative. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canActAsApplicant, canReadCase, emailPrincipal, residentPrincipal, type CaseFacts, type PartyFacts } from './index.ts';

const party = (p: Partial<PartyFacts> & Pick<PartyFacts, 'id' | 'role' | 'kind'>): PartyFacts => ({ residentId: null, personalNumber: null, actingFor: null, ...p });
const rules = {};

test('an e-mail party reads and acts only once verified, matched by the address in any case of letters', () => {
  const verified: CaseFacts = { department: 'd', parties: [party({ id: 'a', role: 'applicant', kind: 'email', email: 'Tipper@Example.se', emailVerifiedAt: '2026-11-23T10:00:00Z' })] };
  const unverified: CaseFacts = { department: 'd', parties: [party({ id: 'a', role: 'applicant', kind: 'email', email: 'tipper@example.se', emailVerifiedAt: null })] };
  assert.equal(canReadCase(emailPrincipal('tipper@example.se'), verified, rules), true);
  assert.equal(canActAsApplicant(emailPrincipal('tipper@example.se'), verified), true);
  assert.equal(canReadCase(emailPrincipal('other@example.se'), verified, rules), false);
  assert.equal(canReadCase(emailPrincipal('tipper@example.se'), unverified, rules), false);
  // A resident whose personal number happens to be nothing like an address is no e-mail party.
  assert.equal(canReadCase(residentPrincipal({ id: 'r', personalNumber: '198803149825' }), verified, rules), false);
});

test("an organisation's representative reads and acts as the applicant; the organisation's other signatories do not", () => {
  const c: CaseFacts = {
    department: 'd',
    parties: [
      party({ id: 'org', role: 'applicant', kind: 'organisation' }),
      party({ id: 'rep', role: 'representative', kind: 'resident', residentId: 'sara', personalNumber: '197911309842', actingFor: 'org' }),
    ],
  };
  const sara = residentPrincipal({ id: 'sara', personalNumber: '197911309842' });
  const gunnar = residentPrincipal({ id: 'gunnar', personalNumber: '196203059875' });
  assert.equal(canReadCase(sara, c, rules), true);
  assert.equal(canActAsApplicant(sara, c), true);
  assert.equal(canReadCase(gunnar, c, rules), false);
  assert.equal(canReadCase(emailPrincipal('sara@example.se'), c, rules), false);
});
