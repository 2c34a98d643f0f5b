/**
 * The audience drivers of the generated tests (ADR 0018): for each audience a definition may name, how a
 * person of that audience gets to the form, what party the submission must make of them, and who is
 * NOT a party (to be refused). A driver is added as a row when its audience is built (anonymous,
 * e-mail-verified, organisation representative, co-signer); an audience without a row is reported as
 * not driven yet by the harness — never faked by another audience's sign-in.
 */
import type { Audience } from '../../src/catalogue/types.ts';
import type { TestApp } from '../helpers/app.ts';
import { signInResident, type SignedIn } from '../helpers/sign-in.ts';

/** A person a driver put in front of the forms engine. */
export interface Actor {
  who: SignedIn;
  /** What to call them in failure messages. */
  label: string;
  /** Their personal identity number, when they have one (the register's children for a child field). */
  personalNumber?: string;
}

export interface AudienceDriver {
  /** The name in test titles and failure messages. */
  name: string;
  /** The audiences of a definition this driver applies as (one driver may stand for several). */
  audiences: readonly Audience[];
  /** A person who applies: signed in (or otherwise let in) on the tenant's host, in the given language. */
  applicant(t: TestApp, host: string, locale: 'sv' | 'en'): Promise<Actor>;
  /** A person of the same audience who is no party to the applicant's cases (for the refusals); they may apply themselves. */
  outsider(t: TestApp, host: string): Promise<Actor>;
  /** The applicant's party row the submission must have written: role and kind. */
  party: { role: string; kind: string };
}

/**
 * Demo people per tenant (src/integrations/population-register/demo-data.yaml): an applicant and an
 * outsider, both custodians of other children (a child field needs children), so the outsider can
 * apply for a case of their own and be refused the applicant's.
 */
const PEOPLE: Record<string, { applicant: Person; outsider: Person }> = {
  norrby: {
    applicant: { personalNumber: '198803149825', givenName: 'Anna', familyName: 'Andersson' },
    outsider: { personalNumber: '199007029813', givenName: 'Erik', familyName: 'Berg' },
  },
  sodera: {
    applicant: { personalNumber: '198708089837', givenName: 'Johan', familyName: 'Ek' },
    outsider: { personalNumber: '199205059885', givenName: 'Fatima', familyName: 'Said' },
  },
};

interface Person {
  personalNumber: string;
  givenName: string;
  familyName: string;
}

function peopleOf(t: TestApp, host: string) {
  const tenant = t.tenants.forHost(host)!;
  const people = PEOPLE[tenant.id];
  if (!people) throw new Error(`the e-ID driver has no demo people for tenant ${tenant.id}: add them to PEOPLE in test/generated/audiences.ts`);
  return people;
}

/** A resident signed in with e-ID (a real session row, as the e-ID callback writes it). */
const eidResident: AudienceDriver = {
  name: 'e-ID resident',
  audiences: ['eid', 'custodian'],
  async applicant(t, host, locale) {
    const p = peopleOf(t, host).applicant;
    return { who: await signInResident(t, host, p, locale), label: `${p.givenName} (e-ID)`, personalNumber: p.personalNumber };
  },
  async outsider(t, host) {
    const p = peopleOf(t, host).outsider;
    return { who: await signInResident(t, host, p), label: `${p.givenName} (e-ID, no party)`, personalNumber: p.personalNumber };
  },
  party: { role: 'applicant', kind: 'resident' },
};

/**
 * The table. Add a row for an audience when it is built; the harness then submits every service that
 * allows it through that row too.
 */
export const AUDIENCE_DRIVERS: readonly AudienceDriver[] = [eidResident];

/** The drivers a service is submitted through (each once), and the audiences it allows that no driver covers yet. */
export function driversFor(audience: readonly Audience[]): { drivers: AudienceDriver[]; undriven: Audience[] } {
  const drivers = AUDIENCE_DRIVERS.filter((d) => d.audiences.some((a) => audience.includes(a)));
  const undriven = audience.filter((a) => !AUDIENCE_DRIVERS.some((d) => d.audiences.includes(a)));
  return { drivers, undriven };
}
