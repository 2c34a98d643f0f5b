import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canReadCase,
  canHandleCase,
  canDecideCase,
  canActAsApplicant,
  canCoSign,
  canReadAuditLog,
  canAdministerStaff,
  inboxServices,
  residentIsParty,
  staffPrincipal,
  type CaseFacts,
  type PartyFacts,
  type Principal,
  type ServiceRules,
  type StaffPrincipal,
} from './index.ts';

const party = (id: string, role: PartyFacts['role'], who: Partial<PartyFacts> = {}): PartyFacts => ({ id, role, kind: 'resident', residentId: null, personalNumber: null, actingFor: null, ...who });

// A case with every role: r1 applies; r2 co-signs (known by the register's personal number only:
// they have never signed in); r3 represents the applicant; r4 represents the co-applicant; r5 is the
// adult subject; an organisation and a representative of it; a child.
const c: CaseFacts = {
  department: 'education',
  parties: [
    party('p1', 'applicant', { residentId: 'r1', personalNumber: '198001010001' }),
    party('p2', 'co_applicant', { personalNumber: '198202020002' }),
    party('p3', 'representative', { residentId: 'r3', actingFor: 'p1' }),
    party('p4', 'representative', { residentId: 'r4', actingFor: 'p2' }),
    party('p5', 'subject', { residentId: 'r5' }),
  ],
};
const plain: ServiceRules = {};
const subjectReads: ServiceRules = { subject: { partyReads: true } };

const resident = (id: string, personalNumber?: string): Principal => ({ kind: 'resident', id, personalNumber });

const residentTable: [string, Principal, { read: boolean; readIfSubjectReads: boolean; act: boolean; coSign: boolean; party: boolean }][] = [
  ['the applicant', resident('r1'), { read: true, readIfSubjectReads: true, act: true, coSign: false, party: true }],
  ['the applicant by personal number, on another account id', resident('rx', '198001010001'), { read: true, readIfSubjectReads: true, act: true, coSign: false, party: true }],
  ['the co-applicant, known by personal number', resident('r2', '198202020002'), { read: true, readIfSubjectReads: true, act: false, coSign: true, party: true }],
  ["the applicant's representative", resident('r3'), { read: true, readIfSubjectReads: true, act: true, coSign: false, party: true }],
  ["the co-applicant's representative", resident('r4'), { read: true, readIfSubjectReads: true, act: false, coSign: false, party: true }],
  ['the adult subject', resident('r5'), { read: false, readIfSubjectReads: true, act: false, coSign: false, party: true }],
  ['a stranger', resident('r9', '199001010009'), { read: false, readIfSubjectReads: false, act: false, coSign: false, party: false }],
  ['a stranger without a personal number (never matches a null one)', resident('r9'), { read: false, readIfSubjectReads: false, act: false, coSign: false, party: false }],
];

for (const [who, p, want] of residentTable) {
  test(`party roles: ${who}`, () => {
    assert.equal(canReadCase(p, c, plain), want.read, 'reads');
    assert.equal(canReadCase(p, c, subjectReads), want.readIfSubjectReads, 'reads where the subject may');
    assert.equal(canActAsApplicant(p, c), want.act, 'acts');
    assert.equal(canCoSign(p, c), want.coSign, 'co-signs');
    assert.equal(residentIsParty(p as Extract<Principal, { kind: 'resident' }>, c), want.party, 'is a party');
    assert.equal(canHandleCase(p, c, plain), false, 'a resident never handles');
    assert.equal(canDecideCase(p, c, plain), false, 'a resident never decides');
  });
}

test('a representative of a representative stands for nobody', () => {
  const chain: CaseFacts = { department: 'education', parties: [party('p1', 'applicant', { residentId: 'r1' }), party('p2', 'representative', { residentId: 'r2', actingFor: 'p1' }), party('p3', 'representative', { residentId: 'r3', actingFor: 'p2' })] };
  assert.equal(canReadCase(resident('r3'), chain, plain), false);
  assert.equal(canActAsApplicant(resident('r3'), chain), false);
});

test('an e-mail or organisation party is not matched by a resident id that happens to be null', () => {
  const anon: CaseFacts = { department: 'education', parties: [{ id: 'p1', role: 'applicant', kind: 'email', residentId: null, personalNumber: null, actingFor: null }] };
  assert.equal(canReadCase(resident('r1'), anon, plain), false);
});

// Staff: the service's handling roles, its delegation to decide, and the department.
const staff = (roles: string[], departments = ['education']): StaffPrincipal => ({ kind: 'staff', id: 's', roles, departments });
const delegated: ServiceRules = { handling: { handle: ['handler', 'case_officer'], decide: ['case_officer', 'unit_head'] } };

const staffTable: [string, StaffPrincipal, ServiceRules, { read: boolean; handle: boolean; decide: boolean }][] = [
  ['a handler, defaults', staff(['handler']), plain, { read: true, handle: true, decide: true }],
  ['a handler of another department', staff(['handler'], ['city-services']), plain, { read: false, handle: false, decide: false }],
  ['an administrator (accounts give no access to cases)', staff(['admin']), plain, { read: false, handle: false, decide: false }],
  ['a security officer', staff(['security_officer']), plain, { read: false, handle: false, decide: false }],
  ['a handler without the delegation', staff(['handler']), delegated, { read: true, handle: true, decide: false }],
  ['a case officer with it', staff(['case_officer']), delegated, { read: true, handle: true, decide: true }],
  ['a unit head who only decides', staff(['unit_head']), delegated, { read: true, handle: false, decide: true }],
  ['a unit head of another department', staff(['unit_head'], ['city-services']), delegated, { read: false, handle: false, decide: false }],
  ['a role the service does not name', staff(['unit_head']), plain, { read: false, handle: false, decide: false }],
];

for (const [who, p, rules, want] of staffTable) {
  test(`staff roles: ${who}`, () => {
    assert.equal(canReadCase(p, c, rules), want.read, 'reads');
    assert.equal(canHandleCase(p, c, rules), want.handle, 'handles');
    assert.equal(canDecideCase(p, c, rules), want.decide, 'decides');
    assert.equal(canActAsApplicant(p, c), false);
  });
}

test("the inbox: the services of one's departments that one handles or decides", () => {
  const services = [
    { id: 'a', department: 'education' },
    { id: 'b', department: 'education', ...delegated },
    { id: 'c', department: 'city-services' },
  ];
  assert.deepEqual(inboxServices(staff(['handler']), services).map((s) => s.id), ['a', 'b']);
  assert.deepEqual(inboxServices(staff(['unit_head']), services).map((s) => s.id), ['b']);
  assert.deepEqual(inboxServices(staff(['admin']), services).map((s) => s.id), []);
  assert.deepEqual(inboxServices(staff(['handler'], ['education', 'city-services']), services).map((s) => s.id), ['a', 'b', 'c']);
});

test('audit log and administration by role', () => {
  assert.equal(canReadAuditLog(staff(['security_officer'], [])), true);
  assert.equal(canReadAuditLog(staff(['handler'])), false);
  assert.equal(canAdministerStaff(staff(['admin'])), true);
  assert.equal(canAdministerStaff(staff(['handler'])), false);
  assert.equal(canAdministerStaff(resident('r1')), false);
});

test('a staff member as a principal: the same roles and departments, so the questions above apply', () => {
  const member = { id: 's5', username: 'alva', displayName: 'Alva', roles: ['admin', 'handler'], departments: ['education'] };
  assert.deepEqual(staffPrincipal(member), { kind: 'staff', id: 's5', roles: ['admin', 'handler'], departments: ['education'] });
  assert.equal(canAdministerStaff(staffPrincipal(member)), true);
  assert.equal(canAdministerStaff(staffPrincipal({ ...member, roles: ['handler', 'security_officer'] })), false);
});
