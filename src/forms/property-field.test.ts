/**
 * The property field (ADR 0035) over HTTP against the real database: the signed-in owner's
 * properties offered from the property register, a neighbour's typed in any case and spacing and
 * stored in the register's form with its address, hostile text refused with the question named and
 * kept (never sent to the register), and `catalogue check` refusing each misuse of the kind.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { createTestApp, csrfFrom, NORRBY } from '../../test/helpers/app.ts';
import { ANNA, signInResident } from '../../test/helpers/sign-in.ts';
import { tenantsFileWithCatalogue } from '../../test/helpers/test-catalogue.ts';
import { loadTenants } from '../kernel/tenants.ts';
import { formatProblem, readCatalogue } from '../catalogue/index.ts';
import { DemoPropertyRegister, type PropertyRegister } from '../integrations/registers/index.ts';

const text = (sv: string, en: string) => ({ sv, en });

/** A small service about a property: the applicant's own, then a neighbour's typed. */
let prefixes = 0;
function definition(id: string, overrides: { audience?: string[]; own?: object; neighbour?: object; subject?: object; extraStep?: object } = {}) {
  return {
    id,
    skl: null,
    engines: ['apply'],
    department: 'city-services',
    audience: overrides.audience ?? ['eid'],
    title: text('Anmäl en tomt', 'Report a plot'),
    summary: text('Om en fastighet.', 'About a property.'),
    needs: [],
    duration: text('Cirka 2 minuter', 'About 2 minutes'),
    handlingTime: text('Inom en månad.', 'Within a month.'),
    decidedBy: text('Nämnden', 'The committee'),
    whatHappensNext: text('Vi läser.', 'We read it.'),
    reference: { prefix: `T${String.fromCharCode(65 + (prefixes++ % 26))}X` },
    retention: '10y',
    classification: 'internal',
    subject: overrides.subject ?? { kind: 'property', field: 'plot' },
    form: {
      steps: [
        { id: 'plot', title: text('Fastigheten', 'The property'), fields: [{ id: 'plot', kind: 'property', label: text('Din fastighet', 'Your property'), ...overrides.own }] },
        {
          id: 'neighbour',
          title: text('Grannen', 'The neighbour'),
          fields: [{ id: 'neighbourPlot', kind: 'property', allowOthers: true, offerOwn: false, label: text('Grannens fastighet', "The neighbour's property"), ...overrides.neighbour }],
        },
        ...(overrides.extraStep ? [overrides.extraStep] : []),
      ],
    },
    workflow: {
      initial: 'submitted',
      states: [
        { id: 'submitted', label: text('Inkommen', 'Received') },
        { id: 'decided', label: text('Beslutat', 'Decided'), final: true },
        { id: 'withdrawn', label: text('Återkallad', 'Withdrawn'), final: true },
      ],
      transitions: [
        { from: ['submitted'], to: 'decided', action: 'decide' },
        { from: ['submitted'], to: 'withdrawn', action: 'withdraw' },
      ],
    },
    decisions: [{ id: 'granted', outcome: 'approved', title: text('Beviljat', 'Granted'), fields: [], letter: text('Beviljas {applicant}.', 'Granted to {applicant}.') }],
  };
}

/** A catalogue folder with these definitions for Norrby. */
function catalogueWith(defs: object[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'medborg-property-'));
  mkdirSync(path.join(dir, 'norrby'));
  for (const d of defs) writeFileSync(path.join(dir, 'norrby', `${(d as { id: string }).id}.yaml`), YAML.stringify(d));
  return dir;
}

/** The value of the typed designation's input on a page, its attribute decoded. */
function typedValue(html: string): string | undefined {
  // Attribute values are read to their closing quote: the serializer leaves ">" in them as it is.
  const v = /<input[^<]*?name="neighbourPlot\.other"[^<]*?value="([^"]*)"/.exec(html)?.[1];
  return v?.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The demo property register, counting the designations it is asked about. */
function countingRegister(): PropertyRegister & { asked: string[] } {
  const demo = new DemoPropertyRegister();
  const asked: string[] = [];
  return {
    name: 'counting',
    asked,
    property: (tenant, designation) => {
      asked.push(designation);
      return demo.property(tenant, designation);
    },
    ownedBy: (tenant, owner) => demo.ownedBy(tenant, owner),
  };
}

test('a property question over HTTP: own properties offered, a neighbour typed loosely, hostile text refused and kept', async () => {
  const register = countingRegister();
  const t = await createTestApp({ env: { MEDBORG_TENANTS: tenantsFileWithCatalogue(catalogueWith([definition('tomt')])) }, registers: { property: register } });
  after(() => t.close());
  const anna = await signInResident(t, NORRBY, ANNA);
  const headers = () => ({ host: NORRBY, cookie: anna.jar.header() });
  const get = async (url: string) => {
    const r = await t.app.inject({ url, headers: headers() });
    anna.jar.store(r.headers['set-cookie']);
    return r;
  };
  const post = async (url: string, form: Record<string, string>) => {
    const page = await get(url);
    const r = await t.app.inject({ method: 'POST', url, headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ ...form, _csrf: csrfFrom(page.body) }).toString() });
    anna.jar.store(r.headers['set-cookie']);
    return r;
  };
  const start = await get('/services/tomt/apply');
  assert.equal(start.statusCode, 303);
  const draftId = /^\/apply\/([0-9a-f-]{36})\//.exec(String(start.headers.location))![1]!;
  const stored = async () => (await t.tdb.db.query<{ answers: Record<string, unknown> }>('SELECT answers FROM drafts WHERE id = $1', [draftId])).rows[0]!.answers;

  // Her own property, with its address; nobody else's, no other municipality's, nothing to type.
  const step = await get(`/apply/${draftId}/plot`);
  assert.equal(step.statusCode, 200);
  assert.match(step.body, /value="Norrby Eken 1:23"/);
  assert.match(step.body, /Storgatan 12, 123 45 Norrby/);
  assert.doesNotMatch(step.body, /Norrby Eken 1:24|Söderå|name="plot\.other"/);

  // Someone else's property, posted by a tampered form: refused, naming the question.
  const theirs = await post(`/apply/${draftId}/plot`, { plot: 'Norrby Eken 1:24' });
  assert.equal(theirs.statusCode, 400);
  assert.match(theirs.body, /Välj din fastighet bland fastigheterna du äger: Norrby Eken 1:24 ägs av någon annan/);

  const own = await post(`/apply/${draftId}/plot`, { plot: 'Norrby Eken 1:23' });
  assert.equal(own.statusCode, 303);
  assert.deepEqual((await stored()).plot, { designation: 'Norrby Eken 1:23', address: 'Storgatan 12, 123 45 Norrby' });

  // The neighbour's: typed, hostile or mistaken text first. Each is refused with the question named and the text kept.
  const url = `/apply/${draftId}/neighbour`;
  const hostile: [string, RegExp][] = [
    ['<script>alert(1)</script>', /Skriv grannens fastighet som i fastighetsregistret/],
    ["Norrby Eken 1:23'; DROP TABLE cases; --", /Skriv grannens fastighet som i fastighetsregistret/],
    ['../../etc/passwd 1:2', /Skriv grannens fastighet som i fastighetsregistret/],
    ['Norrby Eken 1:23\u0000', /./],
    ['Norrby ' + 'Eken'.repeat(2000) + ' 1:2', /Grannens fastighet får vara högst 80 tecken/],
    ['Söderå Torget 2:1', /Fastighetsregistret har ingen fastighet Söderå Torget 2:1 i kommunen\. Kontrollera grannens fastighet/],
    ['Norrby Eken 9:99', /Fastighetsregistret har ingen fastighet Norrby Eken 9:99 i kommunen/],
  ];
  register.asked.length = 0;
  for (const [typed, message] of hostile) {
    const r = await post(url, { 'neighbourPlot.other': typed });
    if (typed.endsWith('\u0000')) {
      // NUL is dropped as everywhere: what is left is a designation the register knows (her own, allowed here).
      assert.equal(r.statusCode, 303, 'the NUL byte is dropped');
      continue;
    }
    assert.equal(r.statusCode, 400, typed.slice(0, 40));
    assert.match(r.body, message, typed.slice(0, 40));
    assert.match(r.body, /href="#f-neighbourPlot"/, 'the error summary links to the question');
    assert.doesNotMatch(r.body, /<script>alert/, 'the typed text is escaped');
    assert.equal(typedValue(r.body), typed, 'the answer is kept as typed');
  }
  assert.deepEqual([...new Set(register.asked)].sort(), ['Norrby Eken 9:99', 'Söderå Torget 2:1'], 'only designations in the register’s format were sent to the register');

  // Kept as typed: the last refused answer is in the input.
  const kept = await post(url, { 'neighbourPlot.other': 'Norrby Eken 9:99' });
  assert.match(kept.body, /name="neighbourPlot\.other"[^>]*value="Norrby Eken 9:99"|value="Norrby Eken 9:99"[^>]*name="neighbourPlot\.other"/);

  // Typed loosely: another case, doubled spaces, spaces around the colon, a look-alike colon.
  const loose = await post(url, { 'neighbourPlot.other': '  norrby   EKEN 1 ： 24 ' });
  assert.equal(loose.statusCode, 303);
  assert.deepEqual((await stored()).neighbourPlot, { designation: 'Norrby Eken 1:24', address: 'Storgatan 14, 123 45 Norrby' }, 'stored as the register writes it, with its address');

  // Check your answers, then the case: the property is its subject, by designation.
  const check = await get(`/apply/${draftId}/check`);
  assert.equal(check.statusCode, 200);
  assert.match(check.body, /Norrby Eken 1:24<br\/?>Storgatan 14, 123 45 Norrby|Norrby Eken 1:24[\s\S]{0,40}Storgatan 14, 123 45 Norrby/);
  const sent = await t.app.inject({ method: 'POST', url: `/apply/${draftId}/submit`, headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrfFrom(check.body) }).toString() });
  assert.equal(sent.statusCode, 303);
  const { rows } = await t.tdb.db.query<{ identifier: string; kind: string }>("SELECT identifier, kind FROM case_parties WHERE tenant_id = 'norrby' AND role = 'subject' ORDER BY created_at DESC LIMIT 1");
  assert.deepEqual(rows[0], { identifier: 'Norrby Eken 1:23', kind: 'property' });
});

test('catalogue check: each misuse of the property kind is named with its file and path', () => {
  const bad = [
    definition('wrongtype', { own: { allowOthers: 'yes' } }),
    definition('unknownoption', { own: { register: 'fastigheter' } }),
    definition('noeid', { audience: ['anyone'] }),
    definition('nothing', { neighbour: { allowOthers: false } }),
    definition('wrongsubject', { subject: { kind: 'vehicle', field: 'plot' } }),
    definition('ingroup', {
      extraStep: {
        id: 'more',
        title: text('Fler', 'More'),
        fields: [{ id: 'plots', kind: 'group', label: text('Fastigheter', 'Properties'), itemLabel: text('Fastighet', 'Property'), fields: [{ id: 'one', kind: 'property', allowOthers: true, label: text('Fastighet', 'Property') }] }],
      },
    }),
  ];
  const folder = catalogueWith([definition('fine'), ...bad]);
  const messages = readCatalogue(loadTenants(tenantsFileWithCatalogue(folder))).problems.map(formatProblem);
  const about = (file: string, ...parts: string[]) => assert.ok(messages.some((m) => m.includes(`${file}.yaml`) && parts.every((p) => m.includes(p))), `${file}: ${parts.join(' ')}\n${messages.join('\n')}`);
  about('wrongtype', '/form/steps/0/fields/0');
  about('unknownoption', '/form/steps/0/fields/0');
  about('noeid', '/allowOthers', 'owns nothing the register can show');
  about('nothing', '/offerOwn', 'nobody could answer it');
  about('wrongsubject', '/subject/kind', 'is a property question');
  about('ingroup', 'cannot be inside a repeating group');
  assert.ok(!messages.some((m) => m.includes('fine.yaml')), messages.join('\n'));

  const none = readCatalogue(loadTenants(tenantsFileWithCatalogue(catalogueWith([definition('fine')]), { norrby: { registers: { property: 'none' } } }))).problems.map(formatProblem);
  assert.ok(none.some((m) => m.includes('fine.yaml') && m.includes('needs the property register')), none.join('\n'));
});
