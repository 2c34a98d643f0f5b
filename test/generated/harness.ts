/**
 * The generated tests' harness (issue 7 item 15, ADR 0018): tests a service from its definition alone,
 * over HTTP, so that a new service is tested by being added to the catalogue.
 *
 * - `fillAndSubmit`: starts the form as a person of an audience (a row of audiences.ts), answers every
 *   page with the field kinds' `exampleValid` (or the definition's `example`), and on the way posts each
 *   kind's `exampleInvalid` once, expecting that field's message with the page's other answers kept;
 *   pays when the service has a fee (the demo provider), and checks the party the submission made.
 * - `takeWalk`: takes one walk of `planWalks` through the workflow as the party each action belongs to,
 *   and after each action checks the state, the journal entry, the outbox rows (party, template), that
 *   the applicant still reads the case, and — before it — that a resident who is no party and a member
 *   of staff without the service's roles are refused and change nothing.
 *
 * Nothing here knows a service, a field id or a state id: everything comes from the definition. Every
 * failure names the tenant, the service, the walk and the step (`HarnessFailure`).
 */
import assert from 'node:assert/strict';
import type { ActionDef, ActionKind, CaseReferenceField, DecisionField, Field, FileField, ServiceDefinition, Step, When } from '../../src/catalogue/types.ts';
import { actionsOf, defaultActor, defaultNotifications } from '../../src/catalogue/index.ts';
import { ACTION_KIND_HANDLERS, actionInput } from '../../src/cases/action-kinds/index.ts';
import { verifyArchive } from '../../src/archive/index.ts';
import { errorKindOf } from '../../src/forms/field-errors.ts';
import { eligibleChildren, fileLimits, kindOf, offeredCases, type EarlierCaseOption, type ExampleContext, type PostedForm, type PropertyOption } from '../../src/forms/kinds/index.ts';
import { compact, readStepAnswers } from '../../src/forms/answers.ts';
import { conditionHolds, fieldsOf, type Answers } from '../../src/forms/conditions.ts';
import { duplicateMode, openCaseFor } from '../../src/forms/duplicates.ts';
import { earlierCases, loadDemoRegisters } from '../../src/integrations/registers/index.ts';
import { tenantScope, type TenantScope } from '../../src/kernel/db/index.ts';
import { translate, type Locale } from '../../src/kernel/i18n/index.ts';
import { stockholmToday } from '../../src/forms/dates.ts';
import type { TestApp } from '../helpers/app.ts';
import { choiceStepsOf } from '../../src/app.ts';
import { journey } from '../helpers/journey.ts';
import { signInResident, signInStaff, type SignedIn } from '../helpers/sign-in.ts';
import { expireDueCoSigning } from '../../src/co-signing/index.ts';
import type { Actor, AudienceDriver } from './audiences.ts';
import type { Edge, WorkflowGraph } from './workflow-paths.ts';

/** A failure that says where: tenant/service, then the walk or form and the step. */
export class HarnessFailure extends Error {
  constructor(where: string, cause: unknown) {
    super(`${where}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'HarnessFailure';
  }
}

/** Runs one step, naming it if it fails. */
export async function step<T>(where: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof HarnessFailure) throw err;
    throw new HarnessFailure(where, err);
  }
}

export interface ServiceUnderTest {
  t: TestApp;
  tenant: string;
  host: string;
  def: ServiceDefinition;
}

export const nameOf = (s: ServiceUnderTest) => `${s.tenant}/${s.def.id}`;

/** Actions an HTTP test can take (a `system` action is the engine's own, taken by a job, not a person). */
export function personActions(def: ServiceDefinition): ActionDef[] {
  return actionsOf(def).filter((a) => (a.by ?? defaultActor(a.kind)) !== 'system');
}

/** The workflow as planWalks reads it: an action without `to` (an assign that keeps the state) is a loop on its state. */
export function workflowGraph(def: ServiceDefinition): WorkflowGraph {
  const edges: Edge[] = personActions(def).flatMap((a) => a.from.map((from) => ({ action: a.id, from, to: a.to ?? from })));
  // Co-signing's moves (ADR 0016) are edges too, so the states after an answer are walked.
  if (def.coSign) {
    const c = def.coSign;
    edges.push({ action: CO_SIGN.approve, from: c.waitIn, to: c.onApprove }, { action: CO_SIGN.reject, from: c.waitIn, to: c.onReject }, { action: CO_SIGN.expire, from: c.waitIn, to: c.onExpiry });
  }
  return { initial: def.workflow.initial, finals: def.workflow.states.filter((s) => s.final).map((s) => s.id), edges };
}

/**
 * The co-signing moves as walk steps: the co-signer approves or rejects on their case page, or the
 * deadline job expires the request. Their names cannot be action ids (those have no colon).
 */
export const CO_SIGN = { approve: 'coSign:approve', reject: 'coSign:reject', expire: 'coSign:expire' } as const;
const CO_SIGN_JOURNAL: Record<string, string> = { [CO_SIGN.approve]: 'co_sign_approved', [CO_SIGN.reject]: 'co_sign_rejected', [CO_SIGN.expire]: 'co_sign_expired' };

export const walkText = (w: readonly Edge[]) => w.map((e) => `${e.action}>${e.to}`).join(' ');

// ---------------------------------------------------------------------------------------------
// Filling in the form

/** What the harness learnt from one submission. */
export interface Submitted {
  caseId: string;
  /** Whether the submission told the applicant by e-mail (then the actions' notifications are expected too). */
  told: boolean;
  /** Field kinds whose invalid example was posted and refused. */
  invalidChecked: string[];
  /** Where the applicant reads the case: /my/cases/<id>, or the follow link for someone without e-ID. */
  readAt: string;
  /** The answer to the subject question as posted, where the service refuses a second open case for a subject. */
  subject?: PostedForm;
  /** File questions with a condition of their own that applied and were answered with a file. */
  conditionalFiles: string[];
}

/** How one submission is filled in. */
export interface FillOptions {
  /** Kinds whose invalid example was already posted (each once per run and language); undefined: none posted. */
  checkInvalid: Set<string> | undefined;
  locale: Locale;
  /**
   * Answer the questions a file question's own condition reads so that it applies (`revealingAnswers`),
   * where the examples do not already: the file is then uploaded on its page.
   */
  reveal?: boolean;
  /**
   * File questions with a condition whose "required file missing" error was already shown (once per
   * service); a revealed one not in it is posted without its file first, and added.
   */
  provenFiles?: Set<string>;
}

const decode = (html: string) => html.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The message a key gives, as a pattern: its {placeholders} match anything. */
function messagePattern(locale: Locale, key: string, field?: Field): RegExp {
  // The field's own message for that error when its definition words one (ADR 0026), else the engine's.
  const kind = errorKindOf(key);
  const own = kind ? field?.errors?.[kind]?.[locale] : undefined;
  const text = own ?? translate(locale, key);
  return new RegExp(text.split(/\{\w+\}/).map(escapeRe).join('.+?'));
}

/**
 * Whether the page shows a posted value in its input: a radio or checkbox with that value checked, a
 * text input with that value, a textarea with it, a select with it selected. Values may come back in
 * their display form (a personal number with its hyphen, a postcode with its space), so spaces and
 * hyphens are not compared.
 */
export function keptOnPage(html: string, name: string, value: string): boolean {
  const loose = (s: string) => decode(s).replace(/[\s\-\u00a0]/g, '');
  const attr = escapeRe(`name="${name}"`);
  for (const m of html.matchAll(new RegExp(`<input[^>]*${attr}[^>]*>`, 'g'))) {
    const tag = m[0];
    const v = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
    if (/type="(radio|checkbox)"/.test(tag)) {
      if (loose(v) === loose(value) && /\schecked/.test(tag)) return true;
    } else if (loose(v) === loose(value)) return true;
  }
  for (const m of html.matchAll(new RegExp(`<textarea[^>]*${attr}[^>]*>([\\s\\S]*?)</textarea>`, 'g'))) if (loose(m[1]!) === loose(value)) return true;
  for (const m of html.matchAll(new RegExp(`<select[^>]*${attr}[^>]*>([\\s\\S]*?)</select>`, 'g'))) {
    if (new RegExp(`<option[^>]*value="${escapeRe(value)}"[^>]*selected`).test(m[1]!)) return true;
  }
  return false;
}

const hasCondition = (f: Field) => (f as { when?: unknown }).when !== undefined;

/** Posted names a field's valid example uses (to leave them out when its invalid example is posted instead). */
const namesOf = (form: PostedForm) => Object.keys(form);

/** What filling in the pages left: the draft at "check your answers", or refused at the subject question. */
interface Filled {
  draftId: string;
  invalidChecked: string[];
  subject: PostedForm | undefined;
  conditionalFiles: string[];
}

const fieldMap = (def: ServiceDefinition) => new Map(def.form.steps.flatMap((st) => st.fields).map((f) => [f.id, f]));
const whenOf = (x: Field | Step): When | undefined => (x as { when?: When }).when;

/**
 * The demo property register's properties in the tenant, those the applicant (or, for a
 * representative, the organisation the register lists first for them) owns marked (ADR 0035).
 */
async function propertiesOfActor(s: ServiceUnderTest, driver: AudienceDriver, actor: Actor): Promise<PropertyOption[]> {
  const pn = actor.personalNumber;
  const owner = pn && driver.represents ? (await s.t.app.registers.business.representedBy(s.tenant, pn))[0]?.organisationNumber : pn;
  return loadDemoRegisters()
    .properties.filter((p) => p.tenant === s.tenant)
    .map((p) => ({
      designation: p.designation,
      address: `${p.address.street}, ${p.address.postalCode} ${p.address.city}`,
      owned: owner !== undefined && p.owners.some((o) => o.personalNumber === owner || o.organisationNumber === owner),
    }));
}

/** The answers a set of posted examples (by field id) make, read and normalised by each field's kind as the engine does. */
function answersOf(def: ServiceDefinition, posted: Record<string, PostedForm>): Answers {
  const fields = fieldMap(def);
  return compact(Object.assign({}, ...def.form.steps.map((st) => readStepAnswers(st, Object.assign({}, ...st.fields.map((f) => posted[f.id] ?? {}))))), fields);
}

/** The answers a question that chooses offers (a choice, a yes or no), each as its posted form; none for other kinds. */
function offeredAnswers(f: Field): PostedForm[] {
  if (f.kind === 'yesNo') return [{ [f.id]: 'yes' }, { [f.id]: 'no' }];
  if (f.kind === 'choice') return f.choices.map((c) => ({ [f.id]: c.value }));
  if (f.kind === 'multiChoice') return f.choices.map((c) => ({ [f.id]: [c.value] }));
  return [];
}

/**
 * Answers that make each file question with a condition of its own apply (and its step, if it has
 * one): for the questions its conditions read that offer answers (choices, yes or no), the first
 * combination that holds, changing as few of the examples as it can. Read from the definition only;
 * a question no combination reveals (or one the revealing of another rules out) is left as the
 * examples have it. Returns the posted forms that replace the examples, by field id.
 */
export function revealingAnswers(def: ServiceDefinition, ctx: ExampleContext): Record<string, PostedForm> {
  const fields = fieldMap(def);
  const examples = Object.fromEntries([...fields.values()].map((f) => [f.id, kindOf(f).exampleValid(f, ctx)]));
  const chosen: Record<string, PostedForm> = {};
  for (const st of def.form.steps) {
    for (const f of st.fields) {
      if (!kindOf(f).takesFiles || !hasCondition(f)) continue;
      const conditions = [whenOf(st), whenOf(f)].filter((w): w is When => w !== undefined);
      const holds = (posted: Record<string, PostedForm>) => {
        const answers = answersOf(def, posted);
        return conditions.every((w) => conditionHolds(w, answers, ctx.today, def));
      };
      // The questions it reads that may still change, each with its example first.
      const free = [...new Set(conditions.flatMap((w) => fieldsOf(w, def)))].filter((id) => fields.has(id) && !chosen[id] && offeredAnswers(fields.get(id)!).length);
      const options = free.map((id) => [examples[id]!, ...offeredAnswers(fields.get(id)!)]);
      // Every combination, fewest changed answers first (bounded: a condition reads a few questions).
      let combos: number[][] = [[]];
      for (const o of options) combos = combos.flatMap((c) => o.map((_, i) => [...c, i])).slice(0, 4096);
      combos.sort((a, b) => a.filter((i) => i > 0).length - b.filter((i) => i > 0).length);
      for (const combo of combos) {
        const tried = Object.fromEntries(free.map((id, n) => [id, options[n]![combo[n]!]!]));
        if (!holds({ ...examples, ...chosen, ...tried })) continue;
        for (const [n, id] of free.entries()) if (combo[n]! > 0) chosen[id] = tried[id]!;
        break;
      }
    }
  }
  return chosen;
}

/** Texts like the example that differ from it in its last number (ABC123, ABC124…; Gärdet 1:12, 1:13…). */
function* variantsOf(example: string): Generator<string> {
  const m = /(\d+)(?!.*\d)/.exec(example);
  if (!m) {
    for (let n = 2; n < 100; n++) yield `${example} ${n}`;
    return;
  }
  const width = m[1]!.length;
  const start = Number(m[1]);
  for (let k = 1; k < 2000; k++) yield example.slice(0, m.index) + String((start + k) % 10 ** width).padStart(width, '0') + example.slice(m.index + width);
}

/**
 * An answer to the subject question of a service that refuses a second open case for a subject
 * (ADR 0022) for which the service has no open case: the example when it has none, otherwise the
 * next eligible child of the applicant, or a text like the example (its last number changed) that
 * the question accepts. Each submission so gets a subject of its own while earlier ones are open.
 */
async function freeSubject(s: ServiceUnderTest, field: Field, example: PostedForm, ctx: ExampleContext): Promise<PostedForm> {
  const tdb = tenantScope(s.t.tdb.db, s.tenant);
  const kind = kindOf(field);
  const accepts = (form: PostedForm): string | undefined => {
    const value = kind.read(field, form, field.id);
    if (typeof value !== 'string' || value === '') return undefined;
    const { pattern, maxLength } = field as { pattern?: string; maxLength?: number };
    if (pattern && !new RegExp(pattern, 'u').test(value)) return undefined;
    if (maxLength !== undefined && value.length > maxLength) return undefined;
    const rule = kind.rules?.(field, value, { today: ctx.today, children: ctx.children, answers: {}, name: field.id, validateField: () => [] });
    if (rule && [rule].flat().length) return undefined;
    const normal = kind.normalise ? kind.normalise(field, value) : value;
    return typeof normal === 'string' ? normal : undefined;
  };
  function* candidates(): Generator<PostedForm> {
    yield example;
    if (kind.needsChildren?.(field)) {
      for (const c of eligibleChildren(field as Parameters<typeof eligibleChildren>[0], ctx, ctx.today)) yield { [field.id]: c.personalNumber };
      return;
    }
    const text = example[field.id];
    if (typeof text === 'string') for (const v of variantsOf(text)) yield { [field.id]: v };
  }
  let tried = 0;
  for (const form of candidates()) {
    const subject = accepts(form);
    if (subject === undefined) continue;
    if (!(await openCaseFor(tdb, s.def, subject, ''))) return form;
    if (++tried >= 50) break;
  }
  throw new Error(`every answer the harness can give to ${field.id} (the subject) has an open case of the service, which refuses a second one`);
}

/**
 * Starts the form and answers its pages as `fillAndSubmit` describes, up to "check your answers".
 * With `sameSubject`, the subject question is answered with it and the refusal of a second open case
 * is checked there (`refusedForSubject`), which ends the filling.
 */
async function fillPages(s: ServiceUnderTest, driver: AudienceDriver, actor: Actor, opts: FillOptions, sameSubject?: { subject: PostedForm; reference: string }): Promise<Filled> {
  const { t, def } = s;
  const { get, post, postMultipart } = journey(t);
  const who = actor.who;
  const where = (what: string) => `${nameOf(s)} as ${driver.name}, form: ${what}`;
  const today = stockholmToday(t.clock.now());
  const person = actor.personalNumber ? await t.app.populationRegister.lookup(s.tenant, actor.personalNumber).catch(() => undefined) : undefined;
  const ctx: ExampleContext = {
    today,
    children: (person?.children ?? []).map((c) => ({ personalNumber: c.personalNumber, name: c.name, birthDate: c.birthDate })),
    register: (id) => t.app.catalogue.register(s.tenant, id),
    ...(def.form.steps.some((st) => st.fields.some((f) => f.kind === 'property')) ? { properties: await propertiesOfActor(s, driver, actor) } : {}),
  };
  const invalidChecked: string[] = [];
  const conditionalFiles: string[] = [];
  const fields = fieldMap(def);
  const tdb = tenantScope(t.tdb.db, s.tenant);
  // A question about an earlier case needs one: made first, by the referenced service's own form and walk.
  if (needsEarlierCases(def)) ctx.earlierCases = await step(where('the earlier case a question refers to'), () => earlierCasesFor(s, driver, actor));
  const overrides = opts.reveal ? revealingAnswers(def, ctx) : {};
  const subjectField = duplicateMode(def) === 'refuse' ? def.subject!.field : undefined;
  let subject: PostedForm | undefined;
  // The answers of the pages posted so far, as the engine reads them (for the conditions of later questions).
  let sofar: Answers = {};

  let location = await step(where('start'), async () => {
    const r = await get(who, `/services/${def.id}/apply`);
    assert.equal(r.statusCode, 303, `GET /services/${def.id}/apply: ${r.statusCode}`);
    const to = String(r.headers.location);
    return driver.beforeForm ? driver.beforeForm(t, who, def.id, to) : to;
  });
  const draftId = /^\/apply\/([0-9a-f-]{36})\//.exec(location)?.[1];
  if (!draftId) throw new HarnessFailure(where('start'), `expected a draft, was sent to ${location}`);

  for (let guard = 0; !location.endsWith('/check'); guard++) {
    if (guard > def.form.steps.length * 2 + 2) throw new HarnessFailure(where('pages'), `the pages never reach "check your answers" (at ${location})`);
    const stepId = location.split('/')[3]!.split('?')[0]!;
    // A step another engine puts before the questions (a booking's time, ADR 0039): its own example answer.
    const choice = choiceStepsOf(t.app).find((c) => c.path === stepId && c.appliesTo(def));
    if (choice) {
      location = await step(where(`the ${stepId} step`), async () => {
        const url = `/apply/${draftId}/${stepId}`;
        const form = await choice.example(tdb, def, t.clock.now());
        if (!form) throw new Error('the step has nothing free to choose');
        // The page of the example's resource (where there are several, the step first lists them).
        const page = await get(who, form.resource ? `${url}?resource=${encodeURIComponent(form.resource)}` : url);
        assert.equal(page.statusCode, 200, `GET ${url}: ${page.statusCode}`);
        const r = await post(who, url, form, page.body);
        assert.equal(r.statusCode, 303, `POST ${url} ${JSON.stringify(form)}: ${r.statusCode}`);
        return String(r.headers.location);
      });
      continue;
    }
    const page = def.form.steps.find((x) => x.id === stepId);
    if (!page) throw new HarnessFailure(where(`page ${stepId}`), `sent to a page the definition does not have: ${location}`);
    const url = `/apply/${draftId}/${page.id}`;
    const valid: Record<string, PostedForm> = Object.fromEntries(page.fields.map((f) => [f.id, overrides[f.id] ?? kindOf(f).exampleValid(f, ctx)]));
    // Posted as a browser with scripts posts it: every conditional question revealed says it was
    // asked ("_asked", ADR 0026); the server keeps only those whose condition holds.
    const asked = page.fields.filter(hasCondition).map((f) => f.id);
    const all = (): PostedForm => Object.assign(asked.length ? { _asked: asked } : {}, ...Object.values(valid));

    if (subjectField && valid[subjectField]) {
      if (sameSubject) {
        valid[subjectField] = sameSubject.subject;
        await step(where(`page ${page.id}, a second open case for the same subject`), () => refusedForSubject(s, actor, draftId, page, all(), sameSubject.reference, opts.locale));
        return { draftId, invalidChecked, subject: sameSubject.subject, conditionalFiles };
      }
      // One open case per subject: each submission answers with a subject that has none.
      subject = valid[subjectField] = await step(where(`page ${page.id}, a subject without an open case`), () => freeSubject(s, fields.get(subjectField)!, valid[subjectField]!, ctx));
    }
    // A file question with a condition of its own is answered with a file when the answers make it apply.
    const pageAnswers = (): Answers => ({ ...sofar, ...compact(readStepAnswers(page, all()), fields) });
    const applies = (f: Field) => !hasCondition(f) || conditionHolds(whenOf(f)!, pageAnswers(), today, def);
    const revealedFiles = page.fields.filter((f): f is FileField => kindOf(f).takesFiles === true && hasCondition(f) && applies(f));

    // Each kind's invalid example, once per run, on a field shown without conditions.
    for (const f of page.fields) {
      if (!opts.checkInvalid || opts.checkInvalid.has(f.kind) || hasCondition(f)) continue;
      // A kind whose invalid example is the blank answer (a file question) has none for an optional question.
      if (f.required === false && Object.keys(kindOf(f).exampleInvalid(f, ctx).form).length === 0) continue;
      await step(where(`page ${page.id}, invalid ${f.kind} answer to ${f.id}`), async () => {
        const bad = kindOf(f).exampleInvalid(f, ctx);
        const form = all();
        for (const n of namesOf(valid[f.id]!)) delete form[n];
        Object.assign(form, bad.form);
        const r = await post(who, url, form, url);
        assert.equal(r.statusCode, 400, `the invalid answer ${JSON.stringify(bad.form)} is refused`);
        assert.match(r.body, new RegExp(`href="#f-${escapeRe(f.id)}`), `the error summary links to ${f.id}`);
        assert.match(decode(r.body), messagePattern(opts.locale, bad.key, f), `the page says ${bad.key}`);
        for (const g of page.fields) {
          if (g === f || hasCondition(g)) continue;
          for (const [name, value] of Object.entries(valid[g.id]!)) {
            for (const v of [value].flat()) assert.ok(keptOnPage(r.body, name, v), `the answer ${name}=${JSON.stringify(v)} is kept on the page`);
          }
        }
      });
      opts.checkInvalid.add(f.kind);
      invalidChecked.push(f.kind);
    }

    // A required file question its condition reveals, once per service: sent without its file, it is
    // the question's error and nothing of the page is finished.
    for (const f of revealedFiles) {
      if (!opts.provenFiles || opts.provenFiles.has(f.id) || f.required === false) continue;
      await step(where(`page ${page.id}, ${f.id} (asked when its condition holds) without a file`), async () => {
        const bad = kindOf(f).exampleInvalid(f, ctx);
        const r = await post(who, url, all(), url);
        assert.equal(r.statusCode, 400, `the page without the file ${f.id} needs is refused: ${r.statusCode}`);
        assert.match(r.body, new RegExp(`href="#f-${escapeRe(f.id)}`), `the error summary links to ${f.id}`);
        assert.match(decode(r.body), messagePattern(opts.locale, bad.key, f), `the page says ${bad.key}`);
        const { rows } = await tdb.query<{ completed_steps: string[]; files: number }>(
          'SELECT d.completed_steps, (SELECT count(*)::int FROM draft_files f WHERE f.tenant_id = d.tenant_id AND f.draft_id = d.id AND f.field_id = $3) AS files FROM drafts d WHERE d.tenant_id = $1 AND d.id = $2',
          [draftId, f.id],
        );
        assert.ok(!rows[0]!.completed_steps.includes(page.id), 'the page stays unfinished');
        assert.equal(rows[0]!.files, 0, 'no file is kept for the question');
      });
      opts.provenFiles.add(f.id);
    }

    location = await step(where(`page ${page.id}`), async () => {
      // A page with file questions is sent as the browser sends it: multipart, the CSRF token first, a small real file each.
      const files = page.fields.filter((f): f is FileField => kindOf(f).takesFiles === true && applies(f));
      const form = all();
      const r = files.length
        ? await postMultipart(who, url, form, files.map((f) => sampleFile(f)), url)
        : await post(who, url, form, url);
      assert.equal(r.statusCode, 303, `the example answers are accepted: ${r.statusCode} ${(/<div[^>]*error-summary[\s\S]*?<\/ul>/.exec(r.body) ?? [''])[0].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')}`);
      return String(r.headers.location).replace(/#.*$/, '');
    });
    sofar = pageAnswers();
    conditionalFiles.push(...revealedFiles.map((f) => f.id));
  }
  return { draftId, invalidChecked, subject, conditionalFiles };
}

/**
 * A second case for a subject that has an open one, where the service refuses that (ADR 0022): the
 * subject question's page is refused with the translated error naming the open case, the page stays
 * unfinished, and sending the draft anyway creates no case and no claim.
 */
async function refusedForSubject(s: ServiceUnderTest, actor: Actor, draftId: string, page: Step, form: PostedForm, reference: string, locale: Locale): Promise<void> {
  const { get, post } = journey(s.t);
  const who = actor.who;
  const tdb = tenantScope(s.t.tdb.db, s.tenant);
  const field = s.def.subject!.field;
  const counts = async () => {
    const { rows } = await tdb.query<{ cases: number; claims: number }>(
      'SELECT (SELECT count(*)::int FROM cases WHERE tenant_id = $1 AND service_id = $2) AS cases, (SELECT count(*)::int FROM subject_claims WHERE tenant_id = $1 AND service_id = $2) AS claims',
      [s.def.id],
    );
    return rows[0]!;
  };
  const before = await counts();
  const url = `/apply/${draftId}/${page.id}`;
  const r = await post(who, url, form, url);
  assert.equal(r.statusCode, 400, `the second open case for the subject is refused at its question: ${r.statusCode}`);
  assert.match(r.body, new RegExp(`href="#f-${escapeRe(field)}`), `the error summary links to ${field}`);
  // The applicant is a party of the open case when they signed in (they are told its reference); otherwise only that it exists.
  const key = who.residentId ? 'forms.duplicate.error' : 'forms.duplicate.errorOther';
  assert.match(decode(r.body), messagePattern(locale, key), `the page says ${key}`);
  if (who.residentId) assert.ok(decode(r.body).includes(reference), `the message names the open case ${reference}`);
  const { rows } = await tdb.query<{ completed_steps: string[] }>('SELECT completed_steps FROM drafts WHERE tenant_id = $1 AND id = $2', [draftId]);
  assert.ok(!rows[0]!.completed_steps.includes(page.id), 'the subject page stays unfinished');
  const check = await get(who, `/apply/${draftId}/check`);
  const sent = await post(who, `/apply/${draftId}/submit`, {}, check.statusCode === 200 ? check.body : url);
  assert.equal(sent.statusCode, 303, `sending it anyway: ${sent.statusCode}`);
  assert.ok(!String(sent.headers.location).endsWith('/confirmation'), `sending it anyway is not confirmed (${String(sent.headers.location)})`);
  const { rows: made } = await tdb.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE tenant_id = $1 AND draft_id = $2', [draftId]);
  assert.equal(made[0]!.n, 0, 'no case is made from the draft');
  assert.deepEqual(await counts(), before, 'no case and no claim is stored');
  // The person leaves the refused draft; it expires now, so the next submission starts a draft of its own.
  await tdb.query('UPDATE drafts SET expires_at = $3 WHERE tenant_id = $1 AND id = $2', [draftId, new Date(s.t.clock.now().getTime() - 1000)]);
}

/**
 * Where the service refuses a second open case for a subject: a second draft by the same person,
 * answered up to the subject question with the subject of `first` (whose case is open), is refused
 * there with the translated error, and nothing is stored (`refusedForSubject`).
 */
export async function refusesSecondForSubject(s: ServiceUnderTest, driver: AudienceDriver, actor: Actor, first: Submitted, locale: Locale): Promise<void> {
  if (!first.subject) throw new HarnessFailure(`${nameOf(s)}: a second case for the same subject`, 'the first submission answered no subject');
  const { rows } = await tenantScope(s.t.tdb.db, s.tenant).query<{ reference: string }>('SELECT reference FROM cases WHERE tenant_id = $1 AND id = $2', [first.caseId]);
  await fillPages(s, driver, actor, { checkInvalid: undefined, locale }, { subject: first.subject, reference: rows[0]!.reference });
}

export async function fillAndSubmit(s: ServiceUnderTest, driver: AudienceDriver, actor: Actor, opts: FillOptions): Promise<Submitted> {
  const { t, def, host } = s;
  const { get, post } = journey(t);
  const who = actor.who;
  const where = (what: string) => `${nameOf(s)} as ${driver.name}, form: ${what}`;
  const { draftId, invalidChecked, subject, conditionalFiles } = await fillPages(s, driver, actor, opts);

  const tdb = tenantScope(t.tdb.db, s.tenant);
  if (driver.beforeSubmit) await step(where('before sending'), () => driver.beforeSubmit!(t, who, draftId));
  const outboxBefore = await outboxIds(tdb);
  let confirmation = '';
  const caseId = await step(where('check your answers and send'), async () => {
    const check = await get(who, `/apply/${draftId}/check`);
    assert.equal(check.statusCode, 200);
    let r = await post(who, `/apply/${draftId}/submit`, {}, check.body);
    assert.equal(r.statusCode, 303, `submit: ${r.statusCode}`);
    let to = String(r.headers.location);
    const paying = /\/test-pay\/(DEMO-[0-9a-f-]+)$/.exec(to);
    if (paying) {
      // A service with a fee: the demo provider's "pay", then back to the service as the browser would be.
      r = await t.app.inject({ method: 'POST', url: `/test-pay/${paying[1]}`, headers: { host, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'choice=succeed' });
      assert.equal(r.statusCode, 303, 'the demo payment is made');
      to = new URL(String(r.headers.location), `http://${host}`).pathname + new URL(String(r.headers.location), `http://${host}`).search;
      for (let hops = 0; hops < 5 && !to.endsWith('/confirmation'); hops++) {
        r = await get(who, to);
        assert.equal(r.statusCode, 303, `back from the payment at ${to}: ${r.statusCode}`);
        to = String(r.headers.location);
      }
    }
    assert.equal(to, `/apply/${draftId}/confirmation`);
    const conf = await get(who, to);
    assert.equal(conf.statusCode, 200);
    confirmation = conf.body;
    if (!driver.actsOnCases) {
      // Without e-ID there is no case list to link to: the case is the one the draft became.
      const { rows } = await tdb.query<{ id: string }>('SELECT id FROM cases WHERE tenant_id = $1 AND draft_id = $2', [draftId]);
      assert.ok(rows[0], 'the draft became a case');
      return rows[0].id;
    }
    const id = /\/my\/cases\/([0-9a-f-]{36})/.exec(conf.body)?.[1];
    assert.ok(id, 'the confirmation links to the case');
    return id;
  });

  await step(where('the submitted case'), async () => {
    const { rows } = await tdb.query<{ status: string }>('SELECT status FROM cases WHERE tenant_id = $1 AND id = $2', [caseId]);
    const { rows: parties } = await tdb.query<{ role: string; kind: string; resident_id: string | null; status: string | null }>('SELECT role, kind, resident_id, status FROM case_parties WHERE tenant_id = $1 AND case_id = $2', [caseId]);
    // A service with co-signing waits for the co-signer when one is asked; with nobody to ask it goes straight on.
    const waits = parties.some((x) => x.role === 'co_applicant' && x.status === 'pending');
    const expected = def.coSign && !waits ? def.coSign.onApprove : def.workflow.initial;
    assert.equal(rows[0]?.status, expected, `the case starts in ${expected}`);
    const party = driver.party;
    const mine = party ? parties.filter((p) => p.role === party.role && p.kind === party.kind) : [];
    if (party) assert.equal(mine.length, 1, `one ${party.role} party of kind ${party.kind}: ${JSON.stringify(parties)}`);
    else assert.deepEqual(parties.filter((p) => p.role === 'applicant'), [], 'no applicant party for someone who did not say who they are');
    if (who.residentId && party?.kind === 'resident' && !driver.represents) assert.equal(mine[0]!.resident_id, who.residentId, 'the applicant party is the person who applied');
    if (driver.represents) {
      const rep = parties.filter((x) => x.role === 'representative' && x.kind === 'resident');
      assert.deepEqual(rep.map((x) => x.resident_id), [who.residentId], 'the person who applied is the representative');
    }
    const { rows: first } = await tdb.query<{ kind: string }>('SELECT kind FROM journal WHERE tenant_id = $1 AND case_id = $2 ORDER BY seq LIMIT 1', [caseId]);
    assert.equal(first[0]?.kind, 'submitted', 'the journal starts with the submission');
    // A file answering a question its condition revealed is the case's: in its answers and an attachment of it.
    for (const id of conditionalFiles) {
      const { rows: att } = await tdb.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM cases c JOIN attachments a ON a.tenant_id = c.tenant_id AND a.case_id = c.id AND a.id::text = c.answers->$3->0->>'id' WHERE c.tenant_id = $1 AND c.id = $2",
        [caseId, id],
      );
      assert.equal(att[0]!.n, 1, `the file of ${id} (asked when its condition holds) is an attachment of the case`);
    }
    if (driver.afterSubmit) return;
    const mineRead = await get(who, `/my/cases/${caseId}`);
    assert.equal(mineRead.statusCode, 200, 'the applicant reads the case');
    const receipt = await get(who, `/my/cases/${caseId}/receipt.pdf`);
    assert.equal(receipt.statusCode, 200, 'the receipt is there');
    assert.equal(receipt.headers['content-type'], 'application/pdf');
  });
  const readAt = driver.afterSubmit
    ? await step(where('reading the case after sending'), () => driver.afterSubmit!(t, actor, () => driver.outsider(t, host, def), caseId, confirmation))
    : `/my/cases/${caseId}`;
  const told = (await outboxIds(tdb)).size > outboxBefore.size;
  return { caseId, told, invalidChecked, readAt, ...(subject ? { subject } : {}), conditionalFiles };
}

// ---------------------------------------------------------------------------------------------
// Walking the workflow

async function outboxIds(tdb: TenantScope): Promise<Set<string>> {
  const { rows } = await tdb.query<{ id: string }>('SELECT id FROM outbox WHERE tenant_id = $1', []);
  return new Set(rows.map((r) => r.id));
}

async function newOutbox(tdb: TenantScope, before: Set<string>) {
  const { rows } = await tdb.query<{ id: string; payload: { party?: string; template?: string; text?: string } }>("SELECT id, payload FROM outbox WHERE tenant_id = $1 AND kind = 'email'", []);
  return rows.filter((r) => !before.has(r.id)).map((r) => r.payload);
}

async function caseState(tdb: TenantScope, caseId: string) {
  const { rows } = await tdb.query<{ status: string; journal_seq: number }>('SELECT status, journal_seq FROM cases WHERE tenant_id = $1 AND id = $2', [caseId]);
  return rows[0]!;
}

/** A one-pixel PNG: what an action that takes files (a supplement, a referral's reply) is sent with. */
const A_FILE = { name: 'files', filename: 'bilaga.png', type: 'image/png', data: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64') };

const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Valid values for a decision's fields, from their kinds and constraints. */
export function decisionValues(fields: readonly DecisionField[], answers: Record<string, unknown>, ctx: { today: string; register: (id: string) => { id: string }[] | undefined }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    switch (f.kind) {
      case 'date':
        out[f.id] = addDays(ctx.today, f.after ? 60 : 30);
        break;
      case 'amount':
        // An amount above nothing where the field allows one, so a fee taken from it is invoiced (ADR 0034).
        out[f.id] = String(Math.max(f.min ?? 0, Math.min(f.max ?? 12_500, 12_500)));
        break;
      case 'choice':
        out[f.id] = f.choices?.[0]?.value ?? '';
        break;
      case 'registerEntry':
        out[f.id] = ctx.register(f.register ?? '')?.[0]?.id ?? '';
        break;
      case 'rankedChoiceAnswer': {
        const chosen = answers[f.from ?? ''];
        out[f.id] = Array.isArray(chosen) ? String(chosen[0]) : '';
        break;
      }
      default:
        out[f.id] = `Harness: ${f.id}`;
    }
  }
  return out;
}

/**
 * The kinds whose action needs the delegation to decide rather than the role to handle (ADR 0011, 0014):
 * a handler proposes; someone with the delegation decides, approves or returns a proposal.
 */
const NEEDS_DECIDING = new Set<ActionKind>(['decide', 'approveDecision', 'returnDecision']);

/**
 * The staff of one service's walks: two who handle and decide (one proposes, the other approves); one in
 * its department without its roles (who does not find its cases); and, when the definition gives handling
 * and deciding to different roles, one who only handles and one who only decides (who read its cases but
 * may not take the other's actions).
 */
export interface ServiceStaff {
  handler: StaffMember;
  approver: StaffMember;
  noRole: StaffMember;
  handleOnly: StaffMember | undefined;
  decideOnly: StaffMember | undefined;
}

type StaffMember = SignedIn & { staffId: string };

/** Where a case went: the department (and team) its service's routing chose at submission (ADR 0020). */
export interface Route {
  department: string;
  team: string | null;
}

const staffMade = new WeakMap<TestApp, Map<string, Promise<ServiceStaff>>>();

/**
 * The staff for a service's cases in one department (the service's own unless routing sent the case
 * elsewhere), holding the team the case was routed to. Made once per app, service and route.
 */
export function staffFor(s: ServiceUnderTest, route: Route = { department: s.def.department, team: null }): Promise<ServiceStaff> {
  const key = `${s.tenant}/${s.def.id}/${route.department}/${route.team ?? ''}`;
  const made = staffMade.get(s.t) ?? new Map<string, Promise<ServiceStaff>>();
  staffMade.set(s.t, made);
  if (!made.has(key)) made.set(key, makeStaff(s, route));
  return made.get(key)!;
}

async function makeStaff(s: ServiceUnderTest, route: Route): Promise<ServiceStaff> {
  const handle = s.def.handling?.handle ?? ['handler'];
  const decide = s.def.handling?.decide ?? ['handler'];
  const team = route.team ? [route.team] : [];
  const roles = [...new Set(['handler', ...handle, ...decide, ...team])];
  const routed = route.department !== s.def.department || route.team ? `-${route.department}-${route.team ?? ''}` : '';
  const base = `h-${s.tenant}-${s.def.id}${routed}`.replace(/[^a-z0-9-]/gi, '').slice(0, 56);
  const make = (suffix: string, r: string[]) => signInStaff(s.t, s.host, { username: `${base}-${suffix}`, displayName: `Harness ${suffix}`, roles: r, departments: [route.department] });
  const handleOnly = handle.filter((r) => !decide.includes(r));
  const decideOnly = decide.filter((r) => !handle.includes(r));
  return {
    handler: await make('a', roles),
    approver: await make('b', roles),
    noRole: await make('x', ['security_officer']),
    handleOnly: handleOnly.length ? await make('h', [...handleOnly, ...team]) : undefined,
    decideOnly: decideOnly.length ? await make('d', [...decideOnly, ...team]) : undefined,
  };
}

export interface WalkParties {
  applicant: Actor;
  outsider: Actor;
  staff: ServiceStaff;
}

/** Takes one walk on a submitted case, checking each step (see the file's comment). */
export async function takeWalk(s: ServiceUnderTest, label: string, walk: readonly Edge[], submitted: Submitted, parties: WalkParties): Promise<void> {
  const { t, def } = s;
  const { get, post, postMultipart } = journey(t);
  const tdb = tenantScope(t.tdb.db, s.tenant);
  const actions = new Map(personActions(def).map((a) => [a.id, a]));
  const { caseId } = submitted;
  const today = stockholmToday(t.clock.now());
  // The handlers are staff of the department (and team) the case was routed to, read from its row.
  const { rows: routed } = await tdb.query<Route>('SELECT department, team FROM cases WHERE tenant_id = $1 AND id = $2', [caseId]);
  const p: WalkParties = { ...parties, staff: await staffFor(s, routed[0]!) };
  // A page with a CSRF token for each person who is refused, fetched once: the token is the session's.
  const tokens = new Map<SignedIn, string>();
  const tokenOf = async (who: SignedIn, url: string) => {
    if (!tokens.has(who)) tokens.set(who, (await get(who, url)).body);
    return tokens.get(who)!;
  };

  for (const [i, edge] of walk.entries()) {
    if (CO_SIGN_JOURNAL[edge.action]) {
      await coSignStep(s, `${nameOf(s)}, ${label} (${walkText(walk)}), step ${i + 1} ${edge.action} ${edge.from}→${edge.to}`, edge, caseId, p);
      continue;
    }
    const action = actions.get(edge.action)!;
    const where = `${nameOf(s)}, ${label} (${walkText(walk)}), step ${i + 1} ${action.id} [${action.kind}] ${edge.from}→${edge.to}`;
    const by = action.by ?? defaultActor(action.kind);
    const handler = ACTION_KIND_HANDLERS[action.kind];
    // What the route asks for: the kind's shape, or a text where the definition asks for one (ADR 0029).
    const shape = actionInput(action);
    const staffUrl = `/staff/cases/${caseId}/actions/${action.id}`;
    const residentUrl = `/my/cases/${caseId}/actions/${action.id}`;

    await step(`${where}, before`, async () => {
      const before = await caseState(tdb, caseId);
      assert.equal(before.status, edge.from, 'the case is where the walk expects it');
      // A resident who is no party does not find the case, to read or to act on.
      if (p.outsider.who.residentId) {
        assert.equal((await get(p.outsider.who, `/my/cases/${caseId}`)).statusCode, 404, 'a resident who is no party does not find the case');
        const r = await post(p.outsider.who, residentUrl, { body: 'x' }, await tokenOf(p.outsider.who, '/my/cases'));
        assert.equal(r.statusCode, 404, `a resident who is no party cannot act on it (${r.statusCode})`);
      } else {
        // Someone without sign-in who is no party: the case's id reads nothing (sign-in is asked).
        assert.notEqual((await get(p.outsider.who, `/my/cases/${caseId}`)).statusCode, 200, 'a browser that is no party does not read the case');
      }
      // Staff of its department without the service's roles do not find the case.
      const junk = { body: 'x', assignee: p.staff.noRole.staffId, type: def.decisions[0]?.id ?? '' };
      const s2 = await post(p.staff.noRole, staffUrl, junk, await tokenOf(p.staff.noRole, '/staff'));
      assert.equal(s2.statusCode, 404, `staff without the service's roles do not find the case (${s2.statusCode})`);
      // Staff who read the case but hold the other role (handling, not deciding, or the reverse) are refused the action.
      if (by !== 'applicant') {
        const other = NEEDS_DECIDING.has(action.kind) ? p.staff.handleOnly : p.staff.decideOnly;
        if (other) {
          const s3 = await post(other, staffUrl, junk, await tokenOf(other, '/staff'));
          assert.equal(s3.statusCode, 403, `staff without the role this action needs are refused (${s3.statusCode})`);
        }
      }
      assert.deepEqual(await caseState(tdb, caseId), before, 'the refusals change nothing');
    });

    const outBefore = await outboxIds(tdb);
    const seqBefore = (await caseState(tdb, caseId)).journal_seq;

    await step(`${where}, taking it`, async () => {
      let r;
      if (by === 'applicant') {
        const form: Record<string, string> = shape === 'none' ? {} : { body: `Harness: ${action.id}` };
        r = shape === 'textFiles' ? await postMultipart(p.applicant.who, residentUrl, form, [A_FILE], `/my/cases/${caseId}`) : await post(p.applicant.who, residentUrl, form, `/my/cases/${caseId}`);
      } else {
        // The approver is another person than whoever proposed: nobody approves their own proposal.
        const staff = action.kind === 'approveDecision' ? p.staff.approver : p.staff.handler;
        const form: Record<string, string> = {};
        let tokenPage = `/staff/cases/${caseId}`;
        if (shape === 'text' || shape === 'textFiles') form.body = `Harness: ${action.id}`;
        if (shape === 'assign') form.assignee = p.staff.handler.staffId;
        if (shape === 'decision') {
          const type = def.decisions.find((d) => !action.decisions || action.decisions.includes(d.id));
          assert.ok(type, 'the action has a decision type to make');
          const { rows } = await tdb.query<{ answers: Record<string, unknown> }>('SELECT answers FROM cases WHERE tenant_id = $1 AND id = $2', [caseId]);
          Object.assign(form, { type: type.id }, decisionValues(type.fields, rows[0]!.answers, { today, register: (id) => t.app.catalogue.register(s.tenant, id) }));
          tokenPage = `${staffUrl}?type=${encodeURIComponent(type.id)}`;
          const shown = await get(staff, tokenPage);
          assert.equal(shown.statusCode, 200, `the decision form: ${shown.statusCode}`);
          tokenPage = shown.body;
        }
        r = shape === 'textFiles' ? await postMultipart(staff, staffUrl, form, [A_FILE], tokenPage) : await post(staff, staffUrl, form, tokenPage);
      }
      assert.equal(r.statusCode, 303, `${r.statusCode} ${r.body.slice(0, 300)}`);
    });

    await step(`${where}, after`, async () => {
      const now = await caseState(tdb, caseId);
      assert.equal(now.status, edge.to, 'the new state');
      assert.equal(now.journal_seq, seqBefore + 1, 'one journal entry');
      const { rows } = await tdb.query<{ kind: string; payload: Record<string, unknown> }>('SELECT kind, payload FROM journal WHERE tenant_id = $1 AND case_id = $2 AND seq = $3', [caseId, now.journal_seq]);
      const entry = rows[0]!;
      assert.equal(entry.kind, handler.journal, 'the journal entry of the kind');
      assert.deepEqual(
        [entry.payload.action, entry.payload.actionKind, entry.payload.from, entry.payload.to],
        [action.id, action.kind, edge.from, edge.to],
        'the journal entry names the action, its kind, from and to',
      );
      if (action.text) assert.equal(entry.payload.body, `Harness: ${action.id}`, 'the text the definition asks for is kept in the journal entry');
      if (shape === 'textFiles') {
        // The file sent with the text is recorded with the action, in its journal entry and as an attachment row.
        const files = (entry.payload.attachments ?? []) as { id: string }[];
        assert.equal(files.length, 1, 'the file sent with it is in the journal entry');
        const { rows: att } = await tdb.query<{ n: number }>('SELECT count(*)::int AS n FROM attachments WHERE tenant_id = $1 AND case_id = $2 AND id = $3', [caseId, files[0]!.id]);
        assert.equal(att[0]!.n, 1, 'and stored as an attachment of the case');
      }
      const notify = action.notify ?? defaultNotifications(action.kind);
      const sent = await newOutbox(tdb, outBefore);
      const expected = submitted.told ? notify.filter((n) => n.to === 'applicant').map((n) => n.template) : [];
      assert.deepEqual(sent.filter((m) => m.party === 'applicant').map((m) => m.template).sort(), [...expected].sort(), 'the applicant is told with the templates the action names');
      for (const m of sent) assert.ok(notify.some((n) => n.to === m.party && n.template === m.template), `an e-mail the action does not name: ${JSON.stringify(m)}`);
      // A transition's text goes to the applicant in the e-mail the action sends (ADR 0029).
      if (action.kind === 'transition' && action.text) for (const m of sent.filter((x) => x.party === 'applicant')) assert.ok(m.text?.includes(`Harness: ${action.id}`), 'the e-mail carries the text');
      if (action.kind === 'decide' || action.kind === 'approveDecision') {
        // This decision's own letters (a case may be decided more than once, ADR 0034), and its invoice when its type charges a fee.
        const ids = ((entry.payload.letters ?? []) as { id: string }[]).map((l) => l.id);
        assert.ok(ids.length >= 1, 'the decision entry lists its letters');
        const { rows: letters } = await tdb.query<{ n: number }>("SELECT count(*)::int AS n FROM documents WHERE tenant_id = $1 AND case_id = $2 AND kind = 'decision_letter' AND id = ANY($3::uuid[])", [caseId, ids]);
        assert.equal(letters[0]!.n, ids.length, 'the decision letters are stored');
        const { rows: invoices } = await tdb.query<{ amount_ore: number; decision_type: string }>('SELECT amount_ore::int, decision_type FROM invoices WHERE tenant_id = $1 AND case_id = $2 AND decision_seq = $3', [caseId, now.journal_seq]);
        const charged = def.fee?.invoice?.when.includes(String(entry.payload.type)) === true;
        assert.equal(invoices.length, charged ? 1 : 0, charged ? 'the decision invoices its fee once' : 'a decision that charges no fee invoices nothing');
        if (charged) assert.deepEqual(entry.payload.invoice, { id: (entry.payload.invoice as { id: string }).id, amountOre: invoices[0]!.amount_ore }, 'the decision entry records its invoice');
      }
      assert.equal((await get(p.applicant.who, submitted.readAt)).statusCode, 200, 'the applicant still reads the case');
      assert.equal((await get(p.staff.handler, `/staff/cases/${caseId}`)).statusCode, 200, 'the handler reads the case');
    });
  }
}

/** The journal chains of every case verify (run once a service's walks are done). */
export async function archiveVerifies(s: ServiceUnderTest): Promise<void> {
  await step(`${nameOf(s)}: the archive`, async () => {
    const { problems } = await verifyArchive(s.t.tdb.db, s.t.tenants.all.map((x) => x.id));
    assert.deepEqual(problems, [], `the journal chain verifies: ${JSON.stringify(problems).slice(0, 600)}`);
  });
}

// ---------------------------------------------------------------------------------------------
// Files and earlier cases

/** Small real files of each type a file question may accept (the engine judges a file by its first bytes). */
const SAMPLE_FILES: Record<string, { filename: string; data: Buffer }> = {
  'image/png': { filename: 'bild.png', data: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64') },
  'application/pdf': {
    filename: 'intyg.pdf',
    data: Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 3 3]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'),
  },
  // A JPEG's start-of-image and JFIF header, then end-of-image: what the type check reads.
  'image/jpeg': { filename: 'foto.jpg', data: Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex') },
};

/** The file a file question is answered with: of the first type it accepts, posted under its id. */
export function sampleFile(field: FileField): { name: string; filename: string; type: string; data: Buffer } {
  const type = fileLimits(field).accept[0]!;
  const sample = SAMPLE_FILES[type];
  if (!sample) throw new Error(`the harness has no sample file of type ${type} (SAMPLE_FILES in test/generated/harness.ts)`);
  return { name: field.id, filename: sample.filename, type, ...{ data: sample.data } };
}

const caseReferenceFields = (def: ServiceDefinition): CaseReferenceField[] =>
  def.form.steps.flatMap((st) => st.fields).filter((f): f is CaseReferenceField => f.kind === 'caseReference');

function needsEarlierCases(def: ServiceDefinition): boolean {
  return caseReferenceFields(def).length > 0;
}

/** The applicant's earlier cases as the forms engine offers them (read from the same register). */
async function earlierCaseList(s: ServiceUnderTest, actor: Actor): Promise<EarlierCaseOption[]> {
  if (!actor.who.residentId || !actor.personalNumber) return [];
  const cases = await earlierCases(tenantScope(s.t.tdb.db, s.tenant), { id: actor.who.residentId, personalNumber: actor.personalNumber });
  return cases.map((c) => ({ id: c.id, reference: c.reference, serviceId: c.serviceId, serviceTitle: { sv: c.serviceId, en: c.serviceId }, status: c.status, statusLabel: { sv: c.status, en: c.status }, createdAt: c.createdAt.toISOString() }));
}

/**
 * For each case-reference question the applicant has no case to choose for, makes one from the
 * field's definition alone: submits the referenced service's own form as the same person and walks
 * its workflow the shortest way to a state the field allows. Returns the applicant's earlier cases.
 */
async function earlierCasesFor(s: ServiceUnderTest, driver: AudienceDriver, actor: Actor): Promise<EarlierCaseOption[]> {
  for (const field of caseReferenceFields(s.def)) {
    if (offeredCases(field, await earlierCaseList(s, actor)).length) continue;
    const def = s.t.app.catalogue.service(s.tenant, field.services[0]!);
    if (!def) throw new Error(`${field.id} refers to service ${field.services[0]}, which the tenant does not offer`);
    const other: ServiceUnderTest = { ...s, def };
    const walk = shortestWalkTo(workflowGraph(def), field.states);
    if (!walk) throw new Error(`no walk of ${def.id} reaches ${field.states?.join(', ')}`);
    const submitted = await fillAndSubmit(other, driver, actor, { checkInvalid: undefined, locale: 'sv' });
    // The person refused the earlier case is the driver's other person (when the outsider applies, the applicant).
    const outsider = await driver.outsider(s.t, s.host, s.def);
    const stranger = outsider.personalNumber === actor.personalNumber ? await driver.applicant(s.t, s.host, 'sv', s.def) : outsider;
    await takeWalk(other, `the earlier case for ${field.id}`, walk, submitted, { applicant: actor, outsider: stranger, staff: await staffFor(other) });
  }
  return earlierCaseList(s, actor);
}

/** The shortest walk from the initial state to one of the states (any state when none are named). */
function shortestWalkTo(g: WorkflowGraph, states: readonly string[] | undefined): Edge[] | undefined {
  const seen = new Map<string, Edge[]>([[g.initial, []]]);
  const queue = [g.initial];
  while (queue.length) {
    const at = queue.shift()!;
    const path = seen.get(at)!;
    if (!states || states.includes(at)) return path;
    for (const e of g.edges) {
      if (e.from !== at || seen.has(e.to)) continue;
      seen.set(e.to, [...path, e]);
      queue.push(e.to);
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Co-signing

/**
 * One co-signing move: the co-signer named on the case (the pending co_applicant party, looked up
 * in the population register and signed in with e-ID) approves or rejects on their case page, or
 * the deadline job runs after the deadline. Before it, the outsider does not find the case and the
 * applicant may not answer for the co-signer (403); after it, the state and one journal entry.
 */
async function coSignStep(s: ServiceUnderTest, where: string, edge: Edge, caseId: string, p: WalkParties): Promise<void> {
  const { t } = s;
  const { get, post } = journey(t);
  const tdb = tenantScope(t.tdb.db, s.tenant);
  const url = `/my/cases/${caseId}/co-sign`;
  const { rows } = await tdb.query<{ personal_number: string | null; due_at: Date }>("SELECT personal_number, due_at FROM case_parties WHERE tenant_id = $1 AND case_id = $2 AND role = 'co_applicant' AND status = 'pending'", [caseId]);
  const pending = rows[0];
  const seqBefore = (await caseState(tdb, caseId)).journal_seq;
  await step(`${where}, before`, async () => {
    assert.equal((await caseState(tdb, caseId)).status, edge.from, 'the case is where the walk expects it');
    assert.ok(pending?.personal_number, 'a co-signer is asked (the applicant must have someone to co-sign)');
    assert.equal((await post(p.outsider.who, url, { answer: 'approve' }, '/my/cases')).statusCode, 404, 'a resident who is no party does not find the case');
    assert.equal((await post(p.applicant.who, url, { answer: 'approve' }, `/my/cases/${caseId}`)).statusCode, 403, 'the applicant may not answer for the co-signer');
  });
  await step(`${where}, taking it`, async () => {
    if (edge.action === CO_SIGN.expire) {
      const later = new Date(pending!.due_at.getTime() + 60_000);
      const expired = await expireDueCoSigning(t.tdb.db, t.app.serviceVersions, later, () => `https://${s.host}`);
      assert.ok(expired >= 1, 'the deadline job expires the request');
      return;
    }
    const person = await t.app.populationRegister.lookup(s.tenant, pending!.personal_number!);
    assert.ok(person, 'the co-signer is in the population register');
    const coSigner = await signInResident(t, s.host, person);
    assert.equal((await get(coSigner, `/my/cases/${caseId}`)).statusCode, 200, 'the co-signer reads the case');
    const answer = edge.action === CO_SIGN.approve ? 'approve' : 'reject';
    const r = await post(coSigner, url, { answer, reason: answer === 'reject' ? 'Harness: no' : '' }, `/my/cases/${caseId}`);
    assert.equal(r.statusCode, 303, `${r.statusCode} ${r.body.slice(0, 300)}`);
    assert.match(String(r.headers.location), new RegExp(`cosign=${answer === 'approve' ? 'approved' : 'rejected'}`));
  });
  await step(`${where}, after`, async () => {
    const now = await caseState(tdb, caseId);
    assert.equal(now.status, edge.to, 'the new state');
    assert.equal(now.journal_seq, seqBefore + 1, 'one journal entry');
    const { rows: entry } = await tdb.query<{ kind: string }>('SELECT kind FROM journal WHERE tenant_id = $1 AND case_id = $2 AND seq = $3', [caseId, now.journal_seq]);
    assert.equal(entry[0]?.kind, CO_SIGN_JOURNAL[edge.action], 'the journal entry of the answer');
    assert.equal((await get(p.applicant.who, `/my/cases/${caseId}`)).statusCode, 200, 'the applicant still reads the case');
  });
}
