import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canReadCase, canHandleCase, canActAsApplicant, canReadAuditLog, canAdministerStaff, inboxDepartments, staffPrincipal, type StaffPrincipal } from './index.ts';

const c = { applicantId: 'r1', department: 'education' };
const handler: StaffPrincipal = { kind: 'staff', id: 's1', roles: ['handler'], departments: ['education'] };
const otherDept: StaffPrincipal = { kind: 'staff', id: 's2', roles: ['handler'], departments: ['city-services'] };
const admin: StaffPrincipal = { kind: 'staff', id: 's3', roles: ['admin'], departments: ['education'] };
const officer: StaffPrincipal = { kind: 'staff', id: 's4', roles: ['security_officer'], departments: [] };

test('a resident reads and acts only on cases they are a party to', () => {
  assert.equal(canReadCase({ kind: 'resident', id: 'r1' }, c), true);
  assert.equal(canReadCase({ kind: 'resident', id: 'r2' }, c), false);
  assert.equal(canActAsApplicant({ kind: 'resident', id: 'r1' }, c), true);
  assert.equal(canActAsApplicant({ kind: 'resident', id: 'r2' }, c), false);
  assert.equal(canHandleCase({ kind: 'resident', id: 'r1' }, c), false);
});

test("staff read and handle only their department's cases, and only as handlers", () => {
  assert.equal(canReadCase(handler, c), true);
  assert.equal(canHandleCase(handler, c), true);
  assert.equal(canReadCase(otherDept, c), false);
  assert.equal(canHandleCase(otherDept, c), false);
  assert.equal(canReadCase(admin, c), false, 'administering accounts gives no access to cases');
  assert.equal(canActAsApplicant(handler, c), false);
  assert.deepEqual(inboxDepartments(admin), []);
  assert.deepEqual(inboxDepartments(handler), ['education']);
});

test('audit log and administration by role', () => {
  assert.equal(canReadAuditLog(officer), true);
  assert.equal(canReadAuditLog(handler), false);
  assert.equal(canAdministerStaff(admin), true);
  assert.equal(canAdministerStaff(handler), false);
  assert.equal(canAdministerStaff({ kind: 'resident', id: 'r1' }), false);
});

test('a staff member as a principal: the same roles and departments, so the questions above apply', () => {
  const member = { id: 's5', username: 'alva', displayName: 'Alva', roles: ['admin', 'handler'], departments: ['education'] };
  assert.deepEqual(staffPrincipal(member), { kind: 'staff', id: 's5', roles: ['admin', 'handler'], departments: ['education'] });
  assert.equal(canAdministerStaff(staffPrincipal(member)), true);
  assert.equal(canAdministerStaff(staffPrincipal({ ...member, roles: ['handler', 'security_officer'] })), false);
});
