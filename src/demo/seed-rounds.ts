/**
 * The demo's school-choice round (ADR 0044): three dozen school choices received and co-signed, and a
 * round opened for them by the admissions unit, ready to freeze — so a member of staff (Hanna, Olof)
 * can open it under /staff/allocation, see each choice's priority, freeze, preview and publish, and
 * a family can then read the result and why. Fjällskolan and Centrumskolan are wanted by more than
 * they have room for; a few have a sibling at their first choice.
 */
import type { Catalogue } from '../catalogue/index.ts';
import { createCase, residentApplicant } from '../cases/index.ts';
import { recordSignIn } from '../identity/eid/residents-repository.ts';
import type { TenantScope } from '../kernel/db/index.ts';
import { uuidv7 } from '../kernel/ids.ts';
import { allocated, insertRound, schoolsOf } from '../allocation/index.ts';

const SERVICE = 'skolval';

const PARENTS = [
  { personalNumber: '198803149825', givenName: 'Anna', familyName: 'Andersson' },
  { personalNumber: '198502209862', givenName: 'Karin', familyName: 'Holm' },
  { personalNumber: '199007029813', givenName: 'Erik', familyName: 'Berg' },
  { personalNumber: '198004129857', givenName: 'Jonas', familyName: 'Lund' },
];

/** Seeds the applications and an open round where the tenant offers the service; returns how many applications. */
export async function seedAllocationRound(tdb: TenantScope, catalogue: Catalogue, siteUrl: string, staffId: string | undefined, now: Date): Promise<number> {
  const def = catalogue.service(tdb.tenantId, SERVICE);
  if (!def || !allocated(def) || !staffId) return 0;
  const schools = schoolsOf(catalogue, tdb.tenantId, def).map((e) => e.id);
  if (schools.length < 3) return 0;
  const parents = [];
  for (const p of PARENTS) parents.push({ ...p, id: await recordSignIn(tdb, { ...p, locale: 'sv' }, now) });
  const n = 36;
  for (let i = 0; i < n; i++) {
    const parent = parents[i % parents.length]!;
    // Most want the last school first (few places), then one of the others; every fifth has a sibling at their first choice.
    const first = schools[i % 3 === 0 ? 0 : schools.length - 1]!;
    const rest = schools.filter((s) => s !== first);
    const choices = [first, rest[i % rest.length]!, rest[(i + 2) % rest.length]!].filter((s, j, all) => all.indexOf(s) === j);
    const sibling = i % 5 === 0;
    const sentAt = new Date(now.getTime() - (n - i) * 3_600_000);
    await tdb.transaction((tx) =>
      createCase(tx, {
        definition: def,
        parties: [residentApplicant({ id: parent.id, personalNumber: parent.personalNumber, name: `${parent.givenName} ${parent.familyName}` })],
        answers: { [def.allocation.choices]: choices, sibling: sibling ? 'yes' : 'no', ...(sibling ? { siblingSchool: first } : {}), email: `${parent.givenName.toLowerCase()}@example.se` },
        locale: 'sv',
        draftId: null,
        email: undefined,
        siteUrl,
        now: sentAt,
        status: def.allocation.from[0]!,
      }),
    );
  }
  await insertRound(tdb, { id: uuidv7(now.getTime()), serviceId: def.id, staffId, now });
  return n;
}
