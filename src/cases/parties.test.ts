/**
 * Parties and roles through HTTP: a co-applicant reads but does not act, a stranger is refused,
 * the subject is named by the definition, and only a holder of the delegation decides.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestApp, NORRBY, repoRoot } from '../../test/helpers/app.ts';
import { signInResident, signInStaff, ANNA, HANNA } from '../../test/helpers/sign-in.ts';
import { journey } from '../../test/helpers/journey.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { uuidv7 } from '../kernel/ids.ts';

// Norrby with a pre-school service whose definition declares its own roles: handlers prepare the
// case, only the unit head (the delegation) decides; the subject is named "Förskolebarn".
const dir = mkdtempSync(path.join(tmpdir(), 'medborg-parties-'));
cpSync(path.join(repoRoot, 'catalogue/norrby/registers'), path.join(dir, 'catalogue/registers'), { recursive: true });
// The shared definition as Norrby's own service (its folder has no services.yaml, so it offers only this).
const service = readFileSync(path.join(repoRoot, 'catalogue/shared/forskola.yaml'), 'utf8').replace(
  /^subject: .*$/m,
  `subject: { kind: child, field: child, label: { sv: Förskolebarn, en: Pre-school child } }
roles:
  - { id: unit_head, name: { sv: Enhetschef förskola, en: Pre-school unit head } }
handling: { handle: [handler], decide: [unit_head] }`,
);
assert.match(service, /unit_head/, 'the fixture changed the definition');
writeFileSync(path.join(dir, 'catalogue/forskola.yaml'), service);
writeFileSync(
  path.join(dir, 'tenants.yaml'),
  readFileSync(path.join(repoRoot, 'tenants.yaml'), 'utf8')
    .replace('sharedCatalogue: catalogue/shared', `sharedCatalogue: ${path.join(repoRoot, 'catalogue/shared')}`)
    .replace('catalogue: catalogue/norrby', `catalogue: ${path.join(dir, 'catalogue')}`)
    .replace('catalogue: catalogue/sodera', `catalogue: ${path.join(repoRoot, 'catalogue/sodera')}`)
    .replace(/logo: branding\//g, `logo: ${path.join(repoRoot, 'branding')}/`),
);

const t = await createTestApp({ env: { MEDBORG_TENANTS: path.join(dir, 'tenants.yaml') } });
after(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});
const { get, post } = journey(t);
const tdb = tenantScope(t.tdb.db, 'norrby');

const anna = await signInResident(t, NORRBY, ANNA);
// The second custodian, named by the register before ever signing in: the party holds only the personal number.
const SECOND = { personalNumber: '197911309842', givenName: 'Sara', familyName: 'Lind' };
const stranger = await signInResident(t, NORRBY, { personalNumber: '199001012380', givenName: 'Olle', familyName: 'Okänd' });
const handler = await signInStaff(t, NORRBY, HANNA);
const head = await signInStaff(t, NORRBY, { username: 'ulla', displayName: 'Ulla Enhetschef', roles: ['unit_head'], departments: ['education'] });
const headElsewhere = await signInStaff(t, NORRBY, { username: 'ulf', displayName: 'Ulf Stadsmiljö', roles: ['unit_head'], departments: ['city-services'] });

const { caseId, reference } = await applyAndAddCoApplicant();

async function applyAndAddCoApplicant() {
  const created = await journey(t).applyForPreschool(anna, '202205109826', 'anna@example.se');
  // Co-signing (a later part) will add the other custodian at submission; here the row is written as it will be.
  await tdb.query(
    `INSERT INTO case_parties (tenant_id, case_id, id, role, kind, personal_number, name, status, status_at, created_at)
     VALUES ($1, $2, $3, 'co_applicant', 'resident', $4, 'Sara Lind', 'pending', $5, $5)`,
    [created.caseId, uuidv7(), SECOND.personalNumber, t.clock.now()],
  );
  return created;
}

const stored = async () => {
  const { rows } = await tdb.query<{ status: string; decision: unknown; journal_seq: number }>('SELECT status, decision, journal_seq FROM cases WHERE tenant_id = $1 AND id = $2', [caseId]);
  return rows[0]!;
};

test('a co-applicant reads the case and finds it in My cases, but neither withdraws nor writes', async () => {
  const second = await signInResident(t, NORRBY, SECOND);
  const page = await get(second, `/my/cases/${caseId}`);
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes(reference));
  assert.ok(!page.body.includes(`/my/cases/${caseId}/actions/withdraw`) && !page.body.includes(`/my/cases/${caseId}/withdraw`), 'no withdraw button for a co-applicant');
  assert.ok(!page.body.includes(`action="/my/cases/${caseId}/messages"`), 'no message form for a co-applicant');
  assert.ok((await get(second, '/my/cases')).body.includes(reference), 'listed in My cases');

  const before = await stored();
  assert.equal((await get(second, `/my/cases/${caseId}/withdraw`)).statusCode, 403);
  let r = await post(second, `/my/cases/${caseId}/withdraw`, {}, page.body);
  assert.equal(r.statusCode, 403);
  r = await post(second, `/my/cases/${caseId}/messages`, { body: 'Jag håller inte med.' }, page.body);
  assert.equal(r.statusCode, 403);
  assert.deepEqual(await stored(), before, 'nothing changed: no status, no journal entry');

  // The applicant still can: the party role, not being a party at all, decides.
  const own = await get(anna, `/my/cases/${caseId}`);
  assert.ok(own.body.includes(`/my/cases/${caseId}/actions/withdraw`));
});

test('a person who is no party is refused as if the case did not exist', async () => {
  assert.equal((await get(stranger, `/my/cases/${caseId}`)).statusCode, 404);
  assert.equal((await get(stranger, `/my/cases/${caseId}/receipt.pdf`)).statusCode, 404);
  const r = await post(stranger, `/my/cases/${caseId}/withdraw`, {}, '/my/cases');
  assert.equal(r.statusCode, 404);
  assert.ok(!(await get(stranger, '/my/cases')).body.includes(reference));
  assert.equal((await stored()).status, 'submitted');
});

test("the subject is named with the definition's label on the staff and resident pages", async () => {
  const staffPage = await get(handler, `/staff/cases/${caseId}`);
  assert.equal(staffPage.statusCode, 200);
  assert.match(staffPage.body, /Förskolebarn<\/dt>\s*<dd[^>]*>Elsa Andersson, 20220510-9826/);
  const residentPage = await get(anna, `/my/cases/${caseId}`);
  assert.match(residentPage.body, /Förskolebarn: Elsa Andersson/);
});

test('a handler without the delegation cannot decide; nothing is stored', async () => {
  const page = await get(handler, `/staff/cases/${caseId}`);
  assert.ok(!page.body.includes(`/staff/cases/${caseId}/actions/decide`) && !page.body.includes(`/staff/cases/${caseId}/decide`), 'no decide action offered');
  assert.equal((await get(handler, `/staff/cases/${caseId}/decide?type=offered`)).statusCode, 403);
  const before = await stored();
  const r = await post(handler, `/staff/cases/${caseId}/decide`, { type: 'offered', preschool: 'nby-solrosen', startDate: '2027-04-01' }, page.body);
  assert.equal(r.statusCode, 403);
  assert.deepEqual(await stored(), before);
  const { rows: docs } = await tdb.query('SELECT id FROM documents WHERE tenant_id = $1 AND case_id = $2 AND kind = $3', [caseId, 'decision_letter']);
  assert.equal(docs.length, 0, 'no letter stored');
  // The unit head of another department does not even see it.
  assert.equal((await get(headElsewhere, `/staff/cases/${caseId}`)).statusCode, 404);
});

test('the holder of the delegation sees the case in the inbox and decides it', async () => {
  assert.ok((await get(head, '/staff/cases')).body.includes(reference), 'in the unit head’s inbox');
  const page = await get(head, `/staff/cases/${caseId}`);
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes(`/staff/cases/${caseId}/actions/decide`));
  assert.ok(!page.body.includes(`/staff/cases/${caseId}/actions/assign`) && !page.body.includes(`/staff/cases/${caseId}/assign`), 'deciding is not handling: no assign form');
  const form = await get(head, `/staff/cases/${caseId}/decide?type=offered`);
  assert.equal(form.statusCode, 200);
  const r = await post(head, `/staff/cases/${caseId}/decide`, { type: 'offered', preschool: 'nby-solrosen', startDate: '2027-04-01' }, form.body);
  assert.equal(r.statusCode, 303);
  const after = await stored();
  assert.equal(after.status, 'decided');
  assert.equal((after.decision as { decidedBy: string }).decidedBy, head.staffId);
  const { rows } = await tdb.query<{ kind: string; actor_id: string }>("SELECT kind, actor_id FROM journal WHERE tenant_id = $1 AND case_id = $2 AND kind = 'decided'", [caseId]);
  assert.deepEqual(rows.map((e) => e.actor_id), [head.staffId]);
});

test('an administrator grants and removes a role a service declares; each change is in the account events', async () => {
  const admin = await signInStaff(t, NORRBY, { username: 'adam', displayName: 'Adam Admin', roles: ['admin'], departments: [] });
  const officer = await signInStaff(t, NORRBY, { username: 'sam', displayName: 'Sam Säkerhet', roles: ['security_officer'], departments: [] });
  const url = `/staff/admin/accounts/${handler.staffId}`;
  const page = await get(admin, url);
  assert.equal(page.statusCode, 200);
  // Offered with the name its definition gives it.
  assert.match(page.body, /value="unit_head"/);
  assert.match(page.body, /Enhetschef förskola/);

  const form = { displayName: 'Hanna Handläggare', email: 'hanna@norrby.example', departments: ['education'] };
  let r = await post(admin, url, { ...form, roles: ['handler', 'no_such_role'] }, page.body);
  assert.equal(r.statusCode, 400, 'a role no service declares is refused');
  const roles = async () => (await tdb.query<{ roles: string[] }>('SELECT roles FROM staff_accounts WHERE tenant_id = $1 AND id = $2', [handler.staffId])).rows[0]!.roles;
  assert.deepEqual(await roles(), ['handler']);

  r = await post(admin, url, { ...form, roles: ['handler', 'unit_head'] }, page.body);
  assert.equal(r.statusCode, 303);
  assert.deepEqual(await roles(), ['handler', 'unit_head']);
  r = await post(admin, url, { ...form, roles: ['handler'] }, page.body);
  assert.equal(r.statusCode, 303);
  assert.deepEqual(await roles(), ['handler']);

  const { rows: events } = await tdb.query<{ actor_id: string; details: { roles?: { from: string[]; to: string[] } } }>(
    "SELECT actor_id, details FROM staff_account_events WHERE tenant_id = $1 AND staff_id = $2 AND action = 'updated' ORDER BY created_at, id",
    [handler.staffId],
  );
  assert.deepEqual(
    events.map((e) => [e.actor_id, e.details.roles]),
    [
      [admin.staffId, { from: ['handler'], to: ['handler', 'unit_head'] }],
      [admin.staffId, { from: ['handler', 'unit_head'], to: ['handler'] }],
    ],
  );
  // The security officer reviews them, the role by its name.
  const audit = await get(officer, '/staff/audit/staff-accounts');
  assert.equal(audit.statusCode, 200);
  assert.match(audit.body, /Enhetschef förskola/);

  // Nobody grants themselves the delegation.
  const own = await get(head, `/staff/admin/accounts/${head.staffId}`);
  assert.notEqual(own.statusCode, 200, 'the unit head is no administrator');
  const adminSelf = `/staff/admin/accounts/${admin.staffId}`;
  r = await post(admin, adminSelf, { displayName: 'Adam Admin', email: 'adam@norrby.example', departments: [], roles: ['admin', 'unit_head'] }, adminSelf);
  assert.equal(r.statusCode, 400);
  assert.deepEqual((await tdb.query<{ roles: string[] }>('SELECT roles FROM staff_accounts WHERE tenant_id = $1 AND id = $2', [admin.staffId])).rows[0]!.roles, ['admin']);
});
