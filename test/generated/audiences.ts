/**
 * The audience drivers of the generated tests (ADR 0018): for each audience a definition may name, how a
 * person of that audience gets to the form, what party the submission must make of them, and who is
 * NOT a party (to be refused). A driver is added as a row when its audience is built (anonymous,
 * e-mail-verified, organisation representative, co-signer); an audience without a row is reported as
 * not driven yet by the harness — never faked by another audience's sign-in.
 */
import type { Audience } from '../../src/catalogue/types.ts';
import type { TestApp } from '../helpers/app.ts';
import assert from 'node:assert/strict';
import { journey } from '../helpers/journey.ts';
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
  /** Whether the signed-in person is written as the representative acting for the applicant (an organisation). */
  represents?: boolean;
  /**
   * What the person does between "apply" and the first question when the engine asks something
   * first (the organisation to act for); given where "apply" sent them, returns the first page.
   */
  beforeForm?(t: TestApp, who: SignedIn, serviceId: string, location: string): Promise<string>;
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
 * Signatories of demo organisations in the business register (src/integrations/registers/demo-data.yaml),
 * residents of the tenant: an applicant and an outsider who signs for another organisation.
 */
const SIGNATORIES: Record<string, { applicant: Person; outsider: Person }> = {
  norrby: {
    applicant: { personalNumber: '197911309842', givenName: 'Sara', familyName: 'Lind' },
    outsider: { personalNumber: '199007029813', givenName: 'Erik', familyName: 'Berg' },
  },
  sodera: {
    applicant: { personalNumber: '198708089837', givenName: 'Johan', familyName: 'Ek' },
    outsider: { personalNumber: '197001259857', givenName: 'Lars', familyName: 'Nyström' },
  },
};

function signatoriesOf(t: TestApp, host: string) {
  const tenant = t.tenants.forHost(host)!;
  const people = SIGNATORIES[tenant.id];
  if (!people) throw new Error(`the representative driver has no signatories for tenant ${tenant.id}: add them to SIGNATORIES in test/generated/audiences.ts`);
  return people;
}

/**
 * A resident with e-ID applying for an organisation they may sign for (ADR 0015): "apply" sends them to
 * choose the organisation, where they take the first one the business register lists for them. The
 * organisation becomes the applicant and they its representative.
 */
const representative: AudienceDriver = {
  name: 'organisation representative',
  audiences: ['representative'],
  async applicant(t, host, locale) {
    const p = signatoriesOf(t, host).applicant;
    return { who: await signInResident(t, host, p, locale), label: `${p.givenName} (for an organisation)`, personalNumber: p.personalNumber };
  },
  async outsider(t, host) {
    const p = signatoriesOf(t, host).outsider;
    return { who: await signInResident(t, host, p), label: `${p.givenName} (for another organisation, no party)`, personalNumber: p.personalNumber };
  },
  party: { role: 'applicant', kind: 'organisation' },
  represents: true,
  async beforeForm(t, who, serviceId, location) {
    const { get, post } = journey(t);
    assert.equal(location, `/services/${serviceId}/organisation`, 'apply asks which organisation first');
    const page = await get(who, location);
    assert.equal(page.statusCode, 200, `the organisation page: ${page.statusCode}`);
    const number = /name="organisation"[^>]*value="(\d{10})"|value="(\d{10})"[^>]*name="organisation"/.exec(page.body);
    assert.ok(number, 'the business register lists an organisation the person signs for');
    const r = await post(who, location, { organisation: (number[1] ?? number[2])! }, page.body);
    assert.equal(r.statusCode, 303, `choosing the organisation: ${r.statusCode}`);
    return String(r.headers.location);
  },
};

/**
 * The table. Add a row for an audience when it is built; the harness then submits every service that
 * allows it through that row too.
 */
export const AUDIENCE_DRIVERS: readonly AudienceDriver[] = [eidResident, representative];

/** The drivers a service is submitted through (each once), and the audiences it allows that no driver covers yet. */
export function driversFor(audience: readonly Audience[]): { drivers: AudienceDriver[]; undriven: Audience[] } {
  const drivers = AUDIENCE_DRIVERS.filter((d) => d.audiences.some((a) => audience.includes(a)));
  const undriven = audience.filter((a) => !AUDIENCE_DRIVERS.some((d) => d.audiences.includes(a)));
  return { drivers, undriven };
}
