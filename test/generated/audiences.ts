/**
 * The audience drivers of the generated tests (ADR 0018): for each audience a definition may name, how a
 * person of that audience gets to the form, what party the submission must make of them, and who is
 * NOT a party (to be refused). A driver is added as a row when its audience is built (anonymous,
 * e-mail-verified, organisation representative, co-signer); an audience without a row is reported as
 * not driven yet by the harness — never faked by another audience's sign-in.
 */
import type { Audience, ServiceDefinition } from '../../src/catalogue/types.ts';
import { CookieJar, type TestApp } from '../helpers/app.ts';
import { tenantScope } from '../../src/kernel/db/index.ts';
import assert from 'node:assert/strict';
import { journey } from '../helpers/journey.ts';
import { signInResident, ANNA, type SignedIn } from '../helpers/sign-in.ts';
import { APPLICANT_KEY } from '../../src/expressions/index.ts';
import { birthDateOf } from '../../src/integrations/population-register/index.ts';
import { outsideAge } from '../../src/forms/ages.ts';
import { stockholmToday } from '../../src/forms/dates.ts';

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
  /**
   * A person who applies: signed in (or otherwise let in) on the tenant's host, in the given language;
   * given the definition, one the definition's ages let apply (ADR 0030).
   */
  applicant(t: TestApp, host: string, locale: 'sv' | 'en', def?: ServiceDefinition): Promise<Actor>;
  /** A person of the same audience who is no party to the applicant's cases (for the refusals); they may apply themselves. */
  outsider(t: TestApp, host: string, def?: ServiceDefinition): Promise<Actor>;
  /** The applicant's party row the submission must have written: role and kind; null for none (anonymous). */
  party: { role: string; kind: string } | null;
  /**
   * Whether this person can answer the definition's questions at all: someone without e-ID has no
   * children in the population register and no earlier cases of their own. Absent: every form.
   */
  canAnswer?(def: ServiceDefinition): boolean;
  /** Whether the applicant acts on their cases at /my/cases (a person without e-ID only reads and writes messages). */
  actsOnCases: boolean;
  /**
   * Checks of the driver's own after a submission (the follow link, who is refused it); returns the
   * page where the applicant reads the case from then on. Without it: /my/cases/<id> and the receipt.
   */
  afterSubmit?(t: TestApp, applicant: Actor, outsider: () => Promise<Actor>, caseId: string, confirmation: string): Promise<string>;
  /** What the person does on "check your answers" before sending (verifying an address). */
  beforeSubmit?(t: TestApp, who: SignedIn, draftId: string): Promise<void>;
  /** Whether the signed-in person is written as the representative acting for the applicant (an organisation, a person they represent). */
  represents?: boolean;
  /**
   * What the person does between "apply" and the first question when the engine asks something
   * first (the organisation to act for); given where "apply" sent them, returns the first page.
   */
  beforeForm?(t: TestApp, who: SignedIn, serviceId: string, location: string): Promise<string>;
}

/**
 * The demo people each driver signs in as, per tenant: an applicant and an outsider, by the part
 * they play.
 *  - resident: two custodians of other children (src/integrations/population-register/demo-data.yaml;
 *    a child field needs children), so the outsider can apply for a case of their own and be refused
 *    the applicant's;
 *  - godMan: a god man of a demo resident in the representation register
 *    (src/integrations/representation-register/demo-data.yaml), and an outsider who represents nobody;
 *  - signatory: a signatory of a demo organisation in the business register
 *    (src/integrations/registers/demo-data.yaml), and an outsider who signs for another organisation.
 */
const PAIRS: Record<'resident' | 'godMan' | 'signatory', Record<string, Pair>> = {
  resident: {
    norrby: { applicant: ANNA, outsider: { personalNumber: '199007029813', givenName: 'Erik', familyName: 'Berg' } },
    sodera: {
      applicant: { personalNumber: '198708089837', givenName: 'Johan', familyName: 'Ek' },
      outsider: { personalNumber: '199205059885', givenName: 'Fatima', familyName: 'Said' },
    },
  },
  godMan: {
    norrby: {
      applicant: { personalNumber: '197911309842', givenName: 'Sara', familyName: 'Lind' },
      outsider: { personalNumber: '198004129857', givenName: 'Jonas', familyName: 'Lund' },
    },
    sodera: {
      applicant: { personalNumber: '198708089837', givenName: 'Johan', familyName: 'Ek' },
      outsider: { personalNumber: '197001259857', givenName: 'Lars', familyName: 'Nyström' },
    },
  },
  signatory: {
    norrby: {
      applicant: { personalNumber: '197911309842', givenName: 'Sara', familyName: 'Lind' },
      outsider: { personalNumber: '199007029813', givenName: 'Erik', familyName: 'Berg' },
    },
    sodera: {
      applicant: { personalNumber: '198708089837', givenName: 'Johan', familyName: 'Ek' },
      outsider: { personalNumber: '197001259857', givenName: 'Lars', familyName: 'Nyström' },
    },
  },
};

function pairOf(t: TestApp, host: string, part: keyof typeof PAIRS): Pair {
  const tenant = t.tenants.forHost(host)!;
  const pair = PAIRS[part][tenant.id];
  if (!pair) throw new Error(`no demo ${part} pair for tenant ${tenant.id}: add one to PAIRS.${part} in test/generated/audiences.ts`);
  return pair;
}

interface Person {
  personalNumber: string;
  givenName: string;
  familyName: string;
}

interface Pair {
  applicant: Person;
  outsider: Person;
}

/**
 * More pairs of demo people per tenant, for definitions that restrict by age (ADR 0030): young people
 * who apply themselves (no children), and custodians of a child of school age.
 */
const AGED: Record<string, Pair[]> = {
  norrby: [
    { applicant: { personalNumber: '201003159819', givenName: 'Noah', familyName: 'Strand' }, outsider: { personalNumber: '200908229826', givenName: 'Wilma', familyName: 'Ek' } },
    { applicant: { personalNumber: '198004129857', givenName: 'Jonas', familyName: 'Lund' }, outsider: { personalNumber: '198309239872', givenName: 'Emma', familyName: 'Björk' } },
  ],
  sodera: [
    { applicant: { personalNumber: '201006079832', givenName: 'Hugo', familyName: 'Falk' }, outsider: { personalNumber: '200901309849', givenName: 'Ella', familyName: 'Vik' } },
    { applicant: { personalNumber: '198107079892', givenName: 'Oskar', familyName: 'Holm' }, outsider: { personalNumber: '197903189921', givenName: 'Maria', familyName: 'Sund' } },
  ],
};

/**
 * Whether a person may apply by the definition's ages: the applicant's own age (`applicantAge`,
 * from the personal number) and, for each child or person question, a child of theirs in the
 * register inside its ages. Counted on the test app's today, as the engine counts.
 */
async function fitsAges(t: TestApp, tenantId: string, def: ServiceDefinition, p: Person): Promise<boolean> {
  const today = stockholmToday(t.clock.now());
  if (def.applicantAge && outsideAge(def.applicantAge, birthDateOf(p.personalNumber), today)) return false;
  const pickers = def.form.steps.flatMap((s) => s.fields).filter((f) => f.kind === 'child' || f.kind === 'person');
  if (!pickers.length) return true;
  const children = (await t.app.populationRegister.lookup(tenantId, p.personalNumber))?.children ?? [];
  return pickers.every((f) => children.some((c) => !outsideAge({ min: f.minAgeYears, max: f.maxAgeYears, by: f.ageBy }, c.birthDate, today)));
}

/**
 * The tenant's pair of demo people for a definition: the usual pair unless the definition's ages
 * leave one of them out; a definition whose questions read the applicant's age tries the young
 * people first, so that what is asked of the young (a custodian's consent) is tested.
 */
async function peopleOf(t: TestApp, host: string, def?: ServiceDefinition) {
  const tenant = t.tenants.forHost(host)!;
  const people = pairOf(t, host, 'resident');
  if (!def) return people;
  const readsAge = JSON.stringify(def).includes(`"${APPLICANT_KEY}.`);
  const aged = AGED[tenant.id] ?? [];
  const pairs = readsAge ? [...aged, people] : [people, ...aged];
  for (const pair of pairs) {
    if ((await fitsAges(t, tenant.id, def, pair.applicant)) && (await fitsAges(t, tenant.id, def, pair.outsider))) return pair;
  }
  throw new Error(`${def.id}: no pair of demo people of ${tenant.id} fits its ages: add them to the demo register and AGED in test/generated/audiences.ts`);
}

/** A resident signed in with e-ID (a real session row, as the e-ID callback writes it). */
const eidResident: AudienceDriver = {
  name: 'e-ID resident',
  audiences: ['eid', 'custodian'],
  async applicant(t, host, locale, def) {
    const p = (await peopleOf(t, host, def)).applicant;
    return { who: await signInResident(t, host, p, locale), label: `${p.givenName} (e-ID)`, personalNumber: p.personalNumber };
  },
  async outsider(t, host, def) {
    const p = (await peopleOf(t, host, def)).outsider;
    return { who: await signInResident(t, host, p), label: `${p.givenName} (e-ID, no party)`, personalNumber: p.personalNumber };
  },
  party: { role: 'applicant', kind: 'resident' },
  actsOnCases: true,
  // A resident the representation register lists as representing someone is asked whom a service
  // with `representation` is for (ADR 0033), and a service for residents and organisations alike
  // asks whether it is for an organisation (ADR 0035): this driver applies for themselves.
  async beforeForm(t, who, serviceId, location) {
    const next = await chooseWhomFor(t, who, serviceId, location, 'self');
    if (next !== `/services/${serviceId}/organisation`) return next;
    const { get, post } = journey(t);
    const page = await get(who, next);
    assert.equal(page.statusCode, 200, `the page asking whom it is for: ${page.statusCode}`);
    assert.match(page.body, /name="organisation"[^>]*value="self"|value="self"[^>]*name="organisation"/, 'it offers "myself"');
    const r = await post(who, next, { organisation: 'self' }, page.body);
    assert.equal(r.statusCode, 303, `choosing myself: ${r.statusCode}`);
    return String(r.headers.location);
  },
};

/**
 * On the page that asks whom the application is for (ADR 0033), when "apply" sent the person there:
 * themselves, or the first person the representation register lets them apply for. Elsewhere: the
 * location as it was.
 */
async function chooseWhomFor(t: TestApp, who: SignedIn, serviceId: string, location: string, whom: 'self' | 'represented'): Promise<string> {
  if (location !== `/services/${serviceId}/on-behalf`) return location;
  const { get, post } = journey(t);
  const page = await get(who, location);
  assert.equal(page.statusCode, 200, `the page asking whom the application is for: ${page.statusCode}`);
  const person = /name="for"[^>]*value="(\d{12})"|value="(\d{12})"[^>]*name="for"/.exec(page.body);
  if (whom === 'represented') assert.ok(person, 'the representation register lists a person the resident may apply for');
  const r = await post(who, location, { for: whom === 'self' ? 'self' : (person![1] ?? person![2])! }, page.body);
  assert.equal(r.statusCode, 303, `choosing whom the application is for: ${r.statusCode}`);
  return String(r.headers.location);
}

/**
 * A god man applying for the person they represent, where the definition takes applications through
 * a god man (`representation`, ADR 0033): "apply" asks whom it is for, and they choose that person,
 * who becomes the applicant with them as the representative.
 */
const godMan: AudienceDriver = {
  name: 'god man (representation register)',
  audiences: ['eid'],
  async applicant(t, host, locale) {
    const p = pairOf(t, host, 'godMan').applicant;
    return { who: await signInResident(t, host, p, locale), label: `${p.givenName} (god man)`, personalNumber: p.personalNumber };
  },
  async outsider(t, host) {
    const p = pairOf(t, host, 'godMan').outsider;
    return { who: await signInResident(t, host, p), label: `${p.givenName} (e-ID, represents nobody, no party)`, personalNumber: p.personalNumber };
  },
  party: { role: 'applicant', kind: 'resident' },
  represents: true,
  actsOnCases: true,
  // The represented person's children are no question of theirs to answer here.
  canAnswer: (def) => !!def.representation?.kinds.includes('godman') && withoutPersonalQuestions(def),
  beforeForm: (t, who, serviceId, location) => chooseWhomFor(t, who, serviceId, location, 'represented'),
};

/**
 * A resident with e-ID applying for an organisation they may sign for (ADR 0015): "apply" sends them to
 * choose the organisation, where they take the first one the business register lists for them. The
 * organisation becomes the applicant and they its representative.
 */
const representative: AudienceDriver = {
  name: 'organisation representative',
  audiences: ['representative'],
  async applicant(t, host, locale) {
    const p = pairOf(t, host, 'signatory').applicant;
    return { who: await signInResident(t, host, p, locale), label: `${p.givenName} (for an organisation)`, personalNumber: p.personalNumber };
  },
  async outsider(t, host) {
    const p = pairOf(t, host, 'signatory').outsider;
    return { who: await signInResident(t, host, p), label: `${p.givenName} (for another organisation, no party)`, personalNumber: p.personalNumber };
  },
  party: { role: 'applicant', kind: 'organisation' },
  represents: true,
  actsOnCases: true,
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

/** Questions only a person identified by e-ID can answer (their children, their earlier cases). */
const PERSONAL_KINDS = new Set(['child', 'caseReference']);
const withoutPersonalQuestions = (def: ServiceDefinition) => !def.form.steps.some((st) => st.fields.some((f) => PERSONAL_KINDS.has(f.kind)));

/** A browser without sign-in (the kernel's anonymous session comes with the first page). */
function browser(t: TestApp, host: string, locale: 'sv' | 'en' = 'sv'): SignedIn {
  const jar = new CookieJar();
  if (locale === 'en') jar.cookies.set('mb_lang', 'en');
  return { residentId: '', jar, host };
}

let addresses = 0;
const newAddress = (tenant: string) => `harness-${tenant}-${++addresses}@example.se`;

/** Verifies an address by the code the dev mailbox (the outbox) got, as /verify-email asks (ADR 0015). */
export async function verifyAddress(t: TestApp, who: SignedIn, email: string, back: string): Promise<void> {
  const { get, post } = journey(t);
  const tenant = t.tenants.forHost(who.host)!.id;
  const form = await get(who, `/verify-email?back=${encodeURIComponent(back)}`);
  assert.equal(form.statusCode, 200, `the address form: ${form.statusCode}`);
  const sent = await post(who, '/verify-email', { email, back }, form.body);
  assert.equal(sent.headers.location, '/verify-email/code', 'the code is sent');
  const { rows } = await tenantScope(t.tdb.db, tenant).query<{ payload: { text: string } }>("SELECT payload FROM outbox WHERE tenant_id = $1 AND kind = 'email' AND payload->>'to' = $2 ORDER BY created_at DESC, id DESC LIMIT 1", [email]);
  const code = /\b(\d{6})\b/.exec(rows[0]?.payload.text ?? '')?.[1];
  assert.ok(code, `a code was mailed to ${email}`);
  const page = await get(who, '/verify-email/code');
  const done = await post(who, '/verify-email/code', { code }, page.body);
  assert.equal(done.statusCode, 303, `the code is accepted: ${done.statusCode}`);
}

/**
 * The private follow link of a case sent without e-ID: on the confirmation page, it opens the case in
 * a browser with no session; the same link with one character changed is 404, and a stranger's
 * browser neither finds the case at /my/cases nor reads the sender's draft.
 */
async function followLinkWorks(t: TestApp, applicant: Actor, caseId: string, confirmation: string): Promise<string> {
  const { get } = journey(t);
  const follow = /href="(\/follow\/[A-Za-z0-9_-]{43})"/.exec(confirmation)?.[1];
  assert.ok(follow, 'the confirmation shows the private follow link');
  const stranger = browser(t, applicant.who.host);
  const page = await get(stranger, follow);
  assert.equal(page.statusCode, 200, 'the follow link opens the case without signing in');
  const flipped = follow.slice(0, -1) + (follow.endsWith('A') ? 'B' : 'A');
  assert.equal((await get(browser(t, applicant.who.host), flipped)).statusCode, 404, 'a changed link finds nothing');
  assert.notEqual((await get(stranger, `/my/cases/${caseId}`)).statusCode, 200, 'a browser without sign-in does not read the case by its id');
  return follow;
}

/** Anyone, without signing in and without an address: no party; the follow link is how they read the case. */
const anonymous: AudienceDriver = {
  name: 'anyone without sign-in',
  audiences: ['anyone'],
  async applicant(t, host, locale) {
    return { who: browser(t, host, locale), label: 'anonymous' };
  },
  async outsider(t, host) {
    return { who: browser(t, host), label: 'another anonymous browser (no party)' };
  },
  party: null,
  actsOnCases: false,
  canAnswer: withoutPersonalQuestions,
  afterSubmit: (t, applicant, _outsider, caseId, confirmation) => followLinkWorks(t, applicant, caseId, confirmation),
};

/**
 * Anyone, without signing in, who verifies an address on "check your answers" (where the definition
 * takes one): an `email` party with the verified address, the follow link, and /follow/mine for that
 * address only.
 */
const anonymousVerified: AudienceDriver = {
  name: 'anyone with a verified address',
  audiences: ['anyone'],
  async applicant(t, host, locale) {
    return { who: browser(t, host, locale), label: 'anonymous, verified address' };
  },
  async outsider(t, host) {
    return { who: browser(t, host), label: 'another anonymous browser (no party)' };
  },
  party: { role: 'applicant', kind: 'email' },
  actsOnCases: false,
  canAnswer: withoutPersonalQuestions,
  async beforeSubmit(t, who, draftId) {
    await verifyAddress(t, who, newAddress(t.tenants.forHost(who.host)!.id), `/apply/${draftId}/check`);
  },
  afterSubmit: (t, applicant, outsider, caseId, confirmation) => readsOwnByAddress(t, applicant, outsider, caseId, confirmation),
};

/** The follow link, and /follow/mine/<id> for the verified session; another verified address is refused (404). */
async function readsOwnByAddress(t: TestApp, applicant: Actor, outsider: () => Promise<Actor>, caseId: string, confirmation: string): Promise<string> {
  const { get } = journey(t);
  await followLinkWorks(t, applicant, caseId, confirmation);
  const own = `/follow/mine/${caseId}`;
  assert.equal((await get(applicant.who, own)).statusCode, 200, 'the verified session reads its case at /follow/mine');
  const other = (await outsider()).who;
  await verifyAddress(t, other, newAddress(t.tenants.forHost(other.host)!.id), '/follow/mine');
  assert.equal((await get(other, own)).statusCode, 404, 'another verified address does not find the case');
  return own;
}

/** A person verified by e-mail code before the first question (audience `email`): an `email` applicant party. */
const emailVerified: AudienceDriver = {
  name: 'e-mail verified',
  audiences: ['email'],
  async applicant(t, host, locale) {
    return { who: browser(t, host, locale), label: 'verified by e-mail code' };
  },
  async outsider(t, host) {
    return { who: browser(t, host), label: 'another address (no party)' };
  },
  party: { role: 'applicant', kind: 'email' },
  actsOnCases: false,
  canAnswer: withoutPersonalQuestions,
  async beforeForm(t, who, serviceId, location) {
    const { get } = journey(t);
    assert.match(location, /^\/verify-email\?back=/, 'apply asks for the address first');
    await verifyAddress(t, who, newAddress(t.tenants.forHost(who.host)!.id), `/services/${serviceId}/apply`);
    const again = await get(who, `/services/${serviceId}/apply`);
    assert.equal(again.statusCode, 303);
    return String(again.headers.location);
  },
  afterSubmit: (t, applicant, outsider, caseId, confirmation) => readsOwnByAddress(t, applicant, outsider, caseId, confirmation),
};

/**
 * The table. Add a row for an audience when it is built; the harness then submits every service that
 * allows it through that row too.
 */
export const AUDIENCE_DRIVERS: readonly AudienceDriver[] = [eidResident, godMan, representative, anonymous, anonymousVerified, emailVerified];

/** The drivers a service is submitted through (each once), and the audiences it allows that no driver covers yet. */
export function driversFor(audience: readonly Audience[], def?: ServiceDefinition): { drivers: AudienceDriver[]; undriven: Audience[] } {
  const drivers = AUDIENCE_DRIVERS.filter((d) => d.audiences.some((a) => audience.includes(a)) && (!def || !d.canAnswer || d.canAnswer(def)));
  const undriven = audience.filter((a) => !AUDIENCE_DRIVERS.some((d) => d.audiences.includes(a)));
  return { drivers, undriven };
}
