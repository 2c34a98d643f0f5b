/**
 * The checks a JSON Schema cannot express: ids that must name something else in the same
 * definition (fields, states, registers, departments) and ids that must be unique. They run on a
 * definition that already passed the schema, so its shape can be trusted.
 */
import type { Localised, Tenant } from '../kernel/tenants.ts';
import { decidingBody } from './decider.ts';
import { FIELD_ERROR_PLACEHOLDERS, LETTER_PLACEHOLDERS, type SchemaProblem } from './schema.ts';
import { BUILT_IN_STAFF_ROLES } from '../policy/index.ts';
import { checkBookingRules, checkBookingService } from './booking-checks.ts';
import { checkQueueService } from './queue-checks.ts';
import { CHOICE_FACTS, CHOICE_KEY, checkAllocation } from './allocation-checks.ts';
import type { ActionKind, CoSignSpec, Condition, Field, RegisterEntry, ServiceDefinition, When } from './types.ts';
import { DECIDING_KINDS, ENGINE_TEMPLATES, MESSAGE_PLACEHOLDERS, defaultActor, normaliseActions } from './workflow-actions.ts';
import { isLegacyCondition, validateExpression, variablesOf, APPLICANT_FACTS, APPLICANT_KEY, COMPUTED_KEY, type Expression } from '../expressions/index.ts';

/** A service definition as written in YAML: the loader adds tenant and source. */
export type ServiceFile = Omit<ServiceDefinition, 'tenant' | 'source'>;

/** What a rankedChoice field needs to know about the tenant's registers. */
export type RegisterIndex = ReadonlyMap<string, { entries: readonly RegisterEntry[] }>;

interface FieldAt {
  field: Field;
  path: string;
  step: number;
  order: number;
}

const list = (values: Iterable<string>) => [...values].join(', ') || '(none)';

/** Checks one service definition against itself, its tenant and the tenant's registers. */
export function checkService(def: ServiceFile, tenant: Tenant, registers: RegisterIndex, brokenRegisters: ReadonlySet<string> = new Set()): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });

  if (!tenant.departments.some((d) => d.id === def.department)) {
    problem('/department', `"${def.department}" is not a department of ${tenant.id} (departments: ${list(tenant.departments.map((d) => d.id))})`);
  }

  // --- booking (ADR 0038) ---
  problems.push(...checkBookingService(def, registers));

  // --- engines: a report is the form engine's too, its case an anmälan (engines.ts) ---
  const isReport = def.engines.includes('report');
  if (isReport && def.engines.includes('apply')) problem('/engines', 'a service is an application (apply) or a report (report), not both');
  else if (isReport && def.matter !== 'report') problem('/matter', 'a report service says matter: report (its receipts, e-mails and letters call it an anmälan)');
  else if (!isReport && def.matter === 'report') problem('/engines', 'a service whose matter is report has the engine report, not apply');

  // --- ages (ADR 0030): the applicant's age comes from the e-ID, so every audience must sign in with it ---
  const withoutEid = def.audience.filter((a) => a === 'anyone' || a === 'email');
  if (def.applicantAge) {
    const { min, max } = def.applicantAge;
    if (min !== undefined && max !== undefined && min > max) problem('/applicantAge', `min ${min} is greater than max ${max}: nobody could apply`);
    if (withoutEid.length) problem('/applicantAge', `the age comes from the e-ID, but the audience lets people apply without one (${withoutEid.join(', ')}): remove those or the age rule`);
  }

  // --- audiences (ADR 0015): a representative is checked against the business register ---
  if (def.audience.includes('representative') && tenant.registers?.business === 'none') {
    problem('/audience', `"representative" needs the business register, but ${tenant.id} has none (registers.business: none in the tenants file)`);
  }

  // --- representation (ADR 0033): the representative signs in with e-ID and the register says whom they represent ---
  if (def.representation) {
    if (!def.audience.includes('eid')) problem('/representation', `a representative signs in with e-ID, but the audience (${def.audience.join(', ')}) has no "eid": add it or remove representation`);
    if (tenant.registers?.representation === 'none') problem('/representation', `applying for someone else needs the representation register, but ${tenant.id} has none (registers.representation: none in the tenants file)`);
  }
  // --- properties (ADR 0035): a property question reads the property register, and offers what the e-ID's person owns ---
  def.form.steps.forEach((step, s) =>
    step.fields.forEach((field, f) => {
      const path = `/form/steps/${s}/fields/${f}`;
      if (field.kind === 'group') {
        field.fields.forEach((sub, i) => {
          if ((sub.kind as string) === 'property') problem(`${path}/fields/${i}/kind`, 'a property question cannot be inside a repeating group: ask it on a step of its own');
        });
      }
      if (field.kind !== 'property') return;
      if (tenant.registers?.property === 'none') problem(`${path}/kind`, `a property question needs the property register, but ${tenant.id} has none (registers.property: none in the tenants file)`);
      if (field.offerOwn === false && !field.allowOthers) problem(`${path}/offerOwn`, 'offers no property of the applicant\'s and allows no other: nobody could answer it (set allowOthers: true)');
      if (!field.allowOthers && withoutEid.length) {
        problem(`${path}/allowOthers`, `someone without e-ID (${withoutEid.join(', ')}) owns nothing the register can show: set allowOthers: true to let them type a designation, or remove those audiences`);
      }
    }),
  );

  // Steps and fields, in the order a resident meets them.
  const stepIds = new Map<string, number>();
  const fields = new Map<string, FieldAt>();
  const ordered: FieldAt[] = [];
  def.form.steps.forEach((step, s) => {
    const prior = stepIds.get(step.id);
    if (prior !== undefined) problem(`/form/steps/${s}/id`, `step id "${step.id}" is already used by /form/steps/${prior}`);
    else stepIds.set(step.id, s);
    step.fields.forEach((field, f) => {
      const at: FieldAt = { field, path: `/form/steps/${s}/fields/${f}`, step: s, order: ordered.length };
      if ((field.kind === 'child' || field.kind === 'person') && field.minAgeYears !== undefined && field.maxAgeYears !== undefined && field.minAgeYears > field.maxAgeYears) {
        problem(`${at.path}/minAgeYears`, `${field.minAgeYears} is greater than maxAgeYears ${field.maxAgeYears}: no child could be chosen`);
      }
      ordered.push(at);
      const first = fields.get(field.id);
      if (first) problem(`${at.path}/id`, `field id "${field.id}" is already used at ${first.path}`);
      else fields.set(field.id, at);
    });
  });

  const checkCondition = (cond: Condition, path: string, mayUse: (target: FieldAt) => string | undefined) => {
    if ('all' in cond) return cond.all.forEach((c, i) => checkCondition(c, `${path}/all/${i}`, mayUse));
    if ('any' in cond) return cond.any.forEach((c, i) => checkCondition(c, `${path}/any/${i}`, mayUse));
    if ('not' in cond) return checkCondition(cond.not, `${path}/not`, mayUse);
    const target = fields.get(cond.field);
    if (!target) return problem(`${path}/field`, `names no field of this service: "${cond.field}" (fields: ${list(fields.keys())})`);
    const order = mayUse(target);
    if (order) return problem(`${path}/field`, order);
    const kind = target.field.kind;
    if ('beforeMonthsFromToday' in cond && kind !== 'date') {
      problem(`${path}/beforeMonthsFromToday`, `compares a date, but "${cond.field}" is a ${kind} field`);
    }
    const allowed =
      kind === 'yesNo' ? ['yes', 'no'] : kind === 'choice' || kind === 'multiChoice' ? target.field.choices.map((c) => c.value) : undefined;
    if (!allowed) return;
    const compared: [string, unknown][] =
      'equals' in cond ? [['equals', cond.equals]] : 'notEquals' in cond ? [['notEquals', cond.notEquals]] : 'in' in cond ? cond.in.map((v, i) => [`in/${i}`, v]) : [];
    for (const [key, value] of compared) {
      if (!allowed.includes(value as string)) {
        problem(`${path}/${key}`, `"${cond.field}" can never be ${JSON.stringify(value)} (its values: ${list(allowed)})`);
      }
    }
  };

  // ---- eng-expr: expressions (ADR 0009) ----
  // Computed values first: conditions, rules and defaults may read them, and each one's
  // dependencies on fields (through earlier computed values too) decide where it may be read.
  const computedDeps = new Map<string, Set<FieldAt>>();
  (def.computed ?? []).forEach((c, i) => {
    const path = `/computed/${i}`;
    if (computedDeps.has(c.id)) problem(`${path}/id`, `computed value "${c.id}" is already declared`);
    const deps = new Set<FieldAt>();
    checkExpression(c.expression, `${path}/expression`, () => undefined, deps);
    if (!computedDeps.has(c.id)) computedDeps.set(c.id, deps);
  });

  /**
   * An expression's operations and arity, and every variable it reads: a field of this service
   * (which mayUse may refuse, e.g. one asked later) or `$computed.<id>` declared before. The
   * fields it depends on are added to deps.
   */
  function checkExpression(expr: Expression, path: string, mayUse: (target: FieldAt) => string | undefined, deps?: Set<FieldAt>, opts: { choice?: boolean } = {}) {
    for (const p of validateExpression(expr)) problem(`${path}${p.path}`, p.message);
    for (const variable of variablesOf(expr)) {
      const [head, second] = variable.split('.');
      // An allocation's priority reads the entry it is evaluated for (ADR 0044): only there.
      if (head === CHOICE_KEY) {
        if (!opts.choice) problem(path, `reads "${variable}", but only an allocation's priorities and a queue's groups have a chosen entry`);
        else if (second === undefined || !(CHOICE_FACTS as readonly string[]).includes(second)) {
          problem(path, `reads "${variable}", but the chosen entry's facts are ${CHOICE_FACTS.map((f) => `${CHOICE_KEY}.${f}`).join(', ')}`);
        }
        continue;
      }
      // The applicant's facts from their e-ID (ADR 0030): known from the start, for e-ID audiences only.
      if (head === APPLICANT_KEY) {
        if (second === undefined || !(APPLICANT_FACTS as readonly string[]).includes(second)) {
          problem(path, `reads "${variable}", but the applicant's facts are ${APPLICANT_FACTS.map((f) => `${APPLICANT_KEY}.${f}`).join(', ')}`);
        } else if (second === 'representedBy' && !def.representation) {
          problem(path, `reads "${variable}", but the service takes no applications through a representative (no "representation"): it would never be set`);
        } else if (withoutEid.length) {
          problem(path, `reads "${variable}", which comes from the e-ID, but the audience lets people apply without one (${withoutEid.join(', ')}): they have no age to read`);
        }
        continue;
      }
      if (head === COMPUTED_KEY) {
        const computed = second === undefined ? undefined : computedDeps.get(second);
        if (!computed) {
          problem(path, `reads "${variable}", but no computed value of that id is declared before it (computed: ${list(computedDeps.keys())})`);
          continue;
        }
        for (const target of computed) {
          const why = mayUse(target);
          if (why) problem(path, `reads "${variable}", which depends on "${target.field.id}": ${why}`);
          deps?.add(target);
        }
        continue;
      }
      const target = fields.get(head!);
      if (!target) {
        problem(path, `reads "${variable}", which names no field of this service (fields: ${list(fields.keys())})`);
        continue;
      }
      const why = mayUse(target);
      if (why) problem(path, `reads "${target.field.id}": ${why}`);
      deps?.add(target);
    }
  }

  /** A `when`: the legacy syntax as before, anything else as an expression. */
  const checkWhen = (when: When, path: string, mayUse: (target: FieldAt) => string | undefined) => {
    if (isLegacyCondition(when)) checkCondition(when, path, mayUse);
    else checkExpression(when, path, mayUse);
  };
  // ---- end eng-expr ----

  // --- queue (ADR 0043): its groups' conditions read the answers and the chosen entry ---
  problems.push(...checkQueueService(def, registers, (expr, path) => checkExpression(expr, path, () => undefined, undefined, { choice: true })));

  for (const at of ordered) {
    const { field, path } = at;
    // A field's condition may only look at answers given before it, on its page or earlier.
    const earlier = (target: FieldAt) =>
      target === at ? 'a field cannot depend on itself' : target.order > at.order ? `"${target.field.id}" comes after this field, so it has no answer yet` : undefined;
    if (field.when) checkWhen(field.when, `${path}/when`, earlier);
    checkErrorMessages(field, path, problem);
    if (field.kind === 'group') field.fields.forEach((sub, k) => checkErrorMessages(sub, `${path}/fields/${k}`, problem));
    // eng-expr: a default is computed from answers given before the field.
    if (field.default !== undefined) checkExpression(field.default, `${path}/default`, earlier);
    switch (field.kind) {
      // --- field kinds (eng-kinds) ---
      case 'registerChoice':
        if (!registers.has(field.register) && !brokenRegisters.has(field.register)) {
          problem(`${path}/register`, `names no register of ${tenant.id}: "${field.register}" (registers: ${list(registers.keys())})`);
        }
        break;
      case 'number':
      case 'money':
        if (field.min !== undefined && field.max !== undefined && field.min > field.max) problem(`${path}/max`, `must not be less than min (${field.min})`);
        break;
      case 'group': {
        if (field.minItems !== undefined && field.maxItems !== undefined && field.minItems > field.maxItems) problem(`${path}/maxItems`, `must not be less than minItems (${field.minItems})`);
        // An item's sub-field may depend on the fields before the group and on the sub-fields before it in the item.
        const before = new Map<string, FieldAt>([...fields].filter(([, f]) => f.order < at.order));
        const own = new Map<string, FieldAt>();
        field.fields.forEach((sub, k) => {
          const subAt: FieldAt = { field: sub, path: `${path}/fields/${k}`, step: at.step, order: at.order };
          if (sub.kind === 'group') problem(`${subAt.path}/kind`, 'a repeating group cannot contain another group');
          if (own.has(sub.id)) problem(`${subAt.path}/id`, `sub-field id "${sub.id}" is already used in this group`);
          if (sub.when) {
            const names = new Set([...before.keys(), ...own.keys()]);
            for (const name of isLegacyCondition(sub.when) ? conditionFields(sub.when) : variablesOf(sub.when as Expression)) {
              if (!names.has(name)) problem(`${subAt.path}/when`, `"${name}" is neither a field before this group nor a sub-field before this one`);
            }
          }
          own.set(sub.id, subAt);
        });
        break;
      }
      // --- end field kinds ---
      case 'date':
        if (field.earlierAllowedWith !== undefined) {
          const reason = fields.get(field.earlierAllowedWith);
          if (!reason) problem(`${path}/earlierAllowedWith`, `names no field of this service: "${field.earlierAllowedWith}"`);
          else if (reason === at) problem(`${path}/earlierAllowedWith`, 'must name another field (the reason for an earlier date)');
        }
        if (field.minMonthsAhead !== undefined && field.maxMonthsAhead !== undefined && field.minMonthsAhead > field.maxMonthsAhead) {
          problem(`${path}/maxMonthsAhead`, `must not be less than minMonthsAhead (${field.minMonthsAhead})`);
        }
        break;
      case 'weeklySchedule':
        // `latest` is a time of the same day: with ends on the next day it would say nothing.
        if (field.overnight && field.latest !== undefined) problem(`${path}/latest`, 'cannot be used with overnight (an end before the start is the next day’s)');
        break;
      case 'rankedChoice': {
        const register = registers.get(field.register);
        if (!register) {
          if (!brokenRegisters.has(field.register)) {
            problem(`${path}/register`, `names no register of ${tenant.id}: "${field.register}" (registers: ${list(registers.keys())})`);
          }
        } else if (field.min > register.entries.length) {
          problem(`${path}/min`, `asks for ${field.min} choices but register "${field.register}" has only ${register.entries.length} entries`);
        }
        if (field.min > field.max) problem(`${path}/min`, `must not be greater than max (${field.max})`);
        break;
      }
      case 'choice':
      case 'multiChoice': {
        const seen = new Set<string>();
        field.choices.forEach((c, i) => {
          if (seen.has(c.value)) problem(`${path}/choices/${i}/value`, `value "${c.value}" appears twice`);
          seen.add(c.value);
        });
        break;
      }
      case 'text':
        if (field.pattern !== undefined) {
          try {
            new RegExp(field.pattern, 'u');
          } catch (e) {
            problem(`${path}/pattern`, `is not a valid regular expression: ${(e as Error).message}`);
          }
        }
        break;
    }
  }

  def.form.steps.forEach((step, s) => {
    // A page's condition is decided before the page is shown: only answers from earlier pages count.
    if (step.when) {
      checkWhen(step.when, `/form/steps/${s}/when`, (target) =>
        target.step >= s ? `"${target.field.id}" is not asked before this step, so it has no answer yet` : undefined,
      );
    }
    // eng-expr: a rule is checked when its step is posted: it reads this step's answers and earlier ones.
    const ruleIds = new Set<string>();
    (step.rules ?? []).forEach((rule, r) => {
      const path = `/form/steps/${s}/rules/${r}`;
      if (ruleIds.has(rule.id)) problem(`${path}/id`, `rule id "${rule.id}" is already used on this step`);
      ruleIds.add(rule.id);
      if (!step.fields.some((f) => f.id === rule.field)) {
        problem(`${path}/field`, `must name a field of this step, where the message is shown: "${rule.field}" (fields: ${list(step.fields.map((f) => f.id))})`);
      }
      checkExpression(rule.expression, `${path}/expression`, (target) =>
        target.step > s ? `"${target.field.id}" is not asked until a later step, so it has no answer yet` : undefined,
      );
    });
  });

  checkWorkflow(def, problem);
  checkDecisions(def, tenant, fields, problem);
  checkFeeInvoice(def, problem);
  checkPartiesAndRoles(def, fields, problem);
  // --- routing (loc, ADR 0020): departments of this tenant, teams the service declares, expressions over any answer ---
  const teams = new Set((def.roles ?? []).map((r) => r.id));
  const ruleIds = new Set<string>();
  (def.routing ?? []).forEach((r, i) => {
    const path = `/routing/${i}`;
    if (ruleIds.has(r.id)) problem(`${path}/id`, `routing rule id "${r.id}" is already used`);
    ruleIds.add(r.id);
    if (r.department !== undefined && !tenant.departments.some((d) => d.id === r.department)) {
      problem(`${path}/department`, `"${r.department}" is not a department of ${tenant.id} (departments: ${list(tenant.departments.map((d) => d.id))})`);
    }
    if (r.team !== undefined && !teams.has(r.team)) problem(`${path}/team`, `names no role of this service: "${r.team}" (roles: ${list(teams)})`);
    // Rules are evaluated on the submitted answers, so they may read any field.
    if (r.when !== undefined) checkExpression(r.when as Expression, `${path}/when`, () => undefined);
  });
  // --- end routing ---
  // --- allocation (ADR 0044): priority groups read the answers (any of them) and the chosen entry ---
  problems.push(...checkAllocation(def, registers));
  (def.allocation?.priorities ?? []).forEach((p, i) => checkExpression(p.when as Expression, `/allocation/priorities/${i}/when`, () => undefined, undefined, { choice: true }));
  return problems;
}

function checkWorkflow(def: ServiceFile, problem: (path: string, message: string) => void): void {
  const { workflow } = def;
  const states = new Map<string, { final: boolean }>();
  workflow.states.forEach((s, i) => {
    if (states.has(s.id)) problem(`/workflow/states/${i}/id`, `state "${s.id}" is declared twice`);
    else states.set(s.id, { final: s.final === true });
  });
  const declared = `(states: ${list(states.keys())})`;
  const initial = states.get(workflow.initial);
  if (!initial) problem('/workflow/initial', `names no declared state: "${workflow.initial}" ${declared}`);
  else if (initial.final) problem('/workflow/initial', `"${workflow.initial}" is a final state; a new case could never be handled`);
  if (![...states.values()].some((s) => s.final)) problem('/workflow/states', 'at least one state must be final (decided, withdrawn)');
  (workflow.transitions ?? []).forEach((tr, i) => {
    tr.from.forEach((from, k) => {
      const state = states.get(from);
      if (!state) problem(`/workflow/transitions/${i}/from/${k}`, `names no declared state: "${from}" ${declared}`);
      else if (state.final) problem(`/workflow/transitions/${i}/from/${k}`, `"${from}" is a final state; no transition may leave it`);
    });
    if (!states.has(tr.to)) problem(`/workflow/transitions/${i}/to`, `names no declared state: "${tr.to}" ${declared}`);
  });
  checkActions(def, states, declared, problem);
  const all = normaliseActions(workflow);
  if (!workflow.actions && !all.some((a) => a.kind === 'decide')) {
    problem('/workflow/transitions', 'has no transition with action "decide", so no decision could ever be made');
  } else if (workflow.actions && !all.some((a) => ENDING_KINDS.includes(a.kind))) {
    problem('/workflow/actions', 'has no action that ends the case (decide, approveDecision or close)');
  }
  if (!initial) return;
  const { unreachable, deadEnds } = workflowReach(workflow, def.coSign, def.booking, def.allocation, def.queue?.offers, def.queue?.renewal);
  workflow.states.forEach((s, i) => {
    if (unreachable.has(s.id)) problem(`/workflow/states/${i}/id`, `state "${s.id}" cannot be reached from the initial state "${workflow.initial}"`);
    else if (deadEnds.has(s.id)) problem(`/workflow/states/${i}/id`, `no final state can be reached from state "${s.id}": a case there could never be closed`);
  });
}

/**
 * The states a workflow can never reach from `initial`, and the non-final states from which no final
 * state can be reached (a case there would stay open for ever). Also used when the database is at
 * hand, for states holding open cases (versions.ts).
 */
export function workflowReach(
  workflow: Pick<ServiceFile['workflow'], 'initial' | 'states' | 'transitions' | 'actions'>,
  coSign?: Pick<CoSignSpec, 'waitIn' | 'onApprove' | 'onReject' | 'onExpiry'>,
  booking?: { cancelledState?: string | undefined; season?: { allocatedState: string; refusedState: string } | undefined },
  allocation?: { from: readonly string[]; placedState: string; notPlacedState: string },
  offers?: { acceptedState: string; leftState: string },
  renewal?: { lapsedState: string },
): { unreachable: Set<string>; deadEnds: Set<string> } {
  const ids = workflow.states.map((s) => s.id);
  // Declared actions and legacy transitions alike (an action without `to` keeps the state: no edge).
  const edges = normaliseActions(workflow).flatMap((a) => (a.to === undefined ? [] : [{ from: a.from, to: a.to }]));
  // Co-signing's answers move a case out of its waiting state (ADR 0016); a sole custodian's case starts in onApprove.
  if (coSign) {
    edges.push(...[coSign.onApprove, coSign.onReject, coSign.onExpiry].map((to) => ({ from: [coSign.waitIn], to })));
    edges.push({ from: [workflow.initial], to: coSign.onApprove });
  }
  // A booking cancelled (by its booker or staff) moves its case from any state that has not ended (ADR 0039).
  if (booking?.cancelledState) edges.push({ from: workflow.states.filter((s) => !s.final).map((s) => s.id), to: booking.cancelledState });
  // Allocating a season moves each application still open to one of two states (ADR 0041).
  if (booking?.season) edges.push({ from: workflow.states.filter((s) => !s.final).map((s) => s.id), to: booking.season.allocatedState }, { from: workflow.states.filter((s) => !s.final).map((s) => s.id), to: booking.season.refusedState });
  // Publishing an allocation round moves each application it took on, placed or not (ADR 0044).
  if (allocation) edges.push({ from: [...allocation.from], to: allocation.placedState }, { from: [...allocation.from], to: allocation.notPlacedState });
  // Answering a queue's offer moves an application that has not ended to one of two states (ADR 0046).
  const open = workflow.states.filter((s) => !s.final).map((s) => s.id);
  if (offers) edges.push({ from: open, to: offers.acceptedState }, { from: open, to: offers.leftState });
  // An application not renewed in time moves from any open state to its lapsed state (ADR 0047).
  if (renewal) edges.push({ from: open, to: renewal.lapsedState });
  const walk = (start: Iterable<string>, next: (id: string) => string[]) => {
    const seen = new Set(start);
    const queue = [...seen];
    while (queue.length) {
      for (const n of next(queue.pop()!)) {
        if (!seen.has(n)) {
          seen.add(n);
          queue.push(n);
        }
      }
    }
    return seen;
  };
  const forward = walk([workflow.initial], (id) => edges.filter((t) => t.from.includes(id)).map((t) => t.to));
  const finals = workflow.states.filter((s) => s.final).map((s) => s.id);
  const backward = walk(finals, (id) => edges.filter((t) => t.to === id).flatMap((t) => t.from));
  return { unreachable: new Set(ids.filter((id) => !forward.has(id))), deadEnds: new Set(ids.filter((id) => !backward.has(id))) };
}

// ---- eng-flow: declared actions and templates (ADR 0014) --------------------------------------
const ENDING_KINDS: readonly ActionKind[] = ['decide', 'approveDecision', 'close'];

function checkActions(def: ServiceFile, states: ReadonlyMap<string, { final: boolean }>, declared: string, problem: (path: string, message: string) => void): void {
  const actions = def.workflow.actions ?? [];
  const all = normaliseActions(def.workflow);
  const byId = new Map<string, number>();
  const decisionIds = new Set(def.decisions.map((d) => d.id));
  const templates = new Map<string, number>();
  (def.templates ?? []).forEach((tpl, i) => {
    if (templates.has(tpl.id)) problem(`/templates/${i}/id`, `template id "${tpl.id}" is already used by /templates/${templates.get(tpl.id)}`);
    else templates.set(tpl.id, i);
    const known = new Set<string>(MESSAGE_PLACEHOLDERS);
    for (const part of ['subject', 'body'] as const) {
      for (const lang of ['sv', 'en'] as const) {
        for (const m of tpl[part][lang].matchAll(/\{(\w+)\}/g)) {
          if (!known.has(m[1]!)) problem(`/templates/${i}/${part}/${lang}`, `unknown placeholder {${m[1]}} (known: ${list(known)})`);
        }
      }
    }
  });
  actions.forEach((a, i) => {
    const path = `/workflow/actions/${i}`;
    if (byId.has(a.id)) problem(`${path}/id`, `action id "${a.id}" is already used by /workflow/actions/${byId.get(a.id)}`);
    else byId.set(a.id, i);
    a.from.forEach((from, k) => {
      const state = states.get(from);
      if (!state) problem(`${path}/from/${k}`, `names no declared state: "${from}" ${declared}`);
      else if (state.final) problem(`${path}/from/${k}`, `"${from}" is a final state; no action may leave it`);
    });
    if (a.to !== undefined && !states.has(a.to)) problem(`${path}/to`, `names no declared state: "${a.to}" ${declared}`);
    const actor = a.by ?? defaultActor(a.kind);
    const applicantKinds: readonly ActionKind[] = ['supplement', 'withdraw'];
    if (applicantKinds.includes(a.kind) !== (actor === 'applicant')) {
      problem(`${path}/by`, `a ${a.kind} action is taken by ${applicantKinds.includes(a.kind) ? 'the applicant' : 'staff or the system'}, not ${actor}`);
    }
    if (a.decisions !== undefined && !['decide', 'proposeDecision'].includes(a.kind)) {
      problem(`${path}/decisions`, 'only decide and proposeDecision actions choose decision types');
    }
    (a.decisions ?? []).forEach((d, k) => {
      if (!decisionIds.has(d)) problem(`${path}/decisions/${k}`, `names no decision type: "${d}" (decision types: ${list(decisionIds)})`);
    });
    if (a.kind === 'approveDecision' && !actions.some((p) => p.kind === 'proposeDecision' && a.from.some((f) => f === p.to))) {
      problem(`${path}/from`, 'an approveDecision action must start where a proposeDecision action leads, so there is a proposal to approve');
    }
    if (a.kind === 'returnDecision' && !actions.some((p) => p.kind === 'proposeDecision' && a.from.some((f) => f === p.to))) {
      problem(`${path}/from`, 'a returnDecision action must start where a proposeDecision action leads');
    }
    if (a.party !== undefined && a.kind !== 'refer') problem(`${path}/party`, 'only a refer action names a party');
    if (a.reply !== undefined) {
      if (a.kind !== 'refer') problem(`${path}/reply`, 'only a refer action names its reply action');
      else {
        const reply = all.find((r) => r.id === a.reply);
        if (!reply) problem(`${path}/reply`, `names no action: "${a.reply}"`);
        else if (reply.kind !== 'referralReply') problem(`${path}/reply`, `"${a.reply}" is a ${reply.kind} action, not a referralReply`);
        else if (a.to !== undefined && !reply.from.includes(a.to)) problem(`${path}/reply`, `"${a.reply}" cannot be taken in "${a.to}", where the referral leaves the case`);
      }
    }
    if (a.kind === 'referralReply' && !actions.some((r) => r.kind === 'refer' && r.reply === a.id)) {
      problem(`${path}/kind`, 'a referralReply action must be the reply of a refer action');
    }
    if (a.text !== undefined) {
      // ADR 0029: a staff action that takes nothing else may ask for a text; a kind that always takes one may word it.
      const textKinds: readonly ActionKind[] = ['transition', 'refer', 'close', 'requestSupplement'];
      if (!textKinds.includes(a.kind)) problem(`${path}/text`, `a ${a.kind} action takes no text of the definition (only ${textKinds.join(', ')} do)`);
      else if (actor !== 'staff') problem(`${path}/text`, `only a handler writes an action's text; this action is taken by ${actor === 'system' ? 'the system' : 'the applicant'}`);
      else if (a.kind !== 'transition' && a.text.required === false) problem(`${path}/text/required`, `a ${a.kind} action always takes a text; it cannot be optional`);
    }
    if (a.kind === 'close' && a.to !== undefined && states.get(a.to)?.final === false) {
      problem(`${path}/to`, `a close action ends the case: "${a.to}" must be a final state`);
    }
    (a.notify ?? []).forEach((n, k) => {
      if (!templates.has(n.template) && !(ENGINE_TEMPLATES as readonly string[]).includes(n.template)) {
        problem(`${path}/notify/${k}/template`, `names no template: "${n.template}" (templates: ${list([...templates.keys(), ...ENGINE_TEMPLATES])})`);
      }
    });
  });
  if (all.some((a) => DECIDING_KINDS.includes(a.kind)) && def.decisions.length === 0) {
    problem('/decisions', 'the workflow decides, so it needs at least one decision type');
  }
}
// ---- end eng-flow ----------------------------------------------------------------------------

function checkDecisions(def: ServiceFile, tenant: Tenant, fields: ReadonlyMap<string, FieldAt>, problem: (path: string, message: string) => void): void {
  const typeIds = new Map<string, number>();
  def.decisions.forEach((d, i) => {
    const path = `/decisions/${i}`;
    const prior = typeIds.get(d.id);
    if (prior !== undefined) problem(`${path}/id`, `decision type "${d.id}" is already used by /decisions/${prior}`);
    else typeIds.set(d.id, i);
    const own = new Set<string>();
    d.fields.forEach((f, k) => {
      const fpath = `${path}/fields/${k}`;
      if (own.has(f.id)) problem(`${fpath}/id`, `decision field id "${f.id}" appears twice`);
      own.add(f.id);
      checkDecisionField(d, f, fpath, problem);
      checkDecisionFieldAnswers(f, fpath, fields, problem);
      if (f.from === undefined) return;
      if (f.kind !== 'rankedChoiceAnswer') return problem(`${fpath}/from`, 'only a rankedChoiceAnswer decision field takes "from"');
      const source = fields.get(f.from);
      if (!source) problem(`${fpath}/from`, `names no field of this service: "${f.from}" (fields: ${list(fields.keys())})`);
      else if (source.field.kind !== 'rankedChoice') problem(`${fpath}/from`, `"${f.from}" is a ${source.field.kind} field, not a rankedChoice field`);
    });
    checkAppeal(def, tenant, d, path, problem);
    // {child} is {subject}'s old name (the loader renames it), for definitions written before subjects.
    const known = new Set<string>([...own, ...LETTER_PLACEHOLDERS, ...(def.subject?.kind === 'child' ? ['child'] : [])]);
    for (const lang of ['sv', 'en'] as const) {
      for (const m of d.letter[lang].matchAll(/\{(\w+)\}/g)) {
        if (!known.has(m[1]!)) problem(`${path}/letter/${lang}`, `unknown placeholder {${m[1]}} (known: ${list(known)})`);
      }
    }
  });
}

/**
 * An appeal route names its authority when (and only when) it is `authority`. Its own texts (and a
 * bare text) use only {authority} on that route and {decider}, the deciding committee, which this
 * municipality must then configure: the service's `decider` or its department's `committee` (ADR 0032).
 */
function checkAppeal(def: ServiceFile, tenant: Tenant, d: ServiceFile['decisions'][number], path: string, problem: (path: string, message: string) => void): void {
  const appeal = d.appeal;
  if (!appeal) return;
  const routed = 'route' in appeal ? appeal : undefined;
  if (routed?.route === 'authority' && !routed.authority) problem(`${path}/appeal/authority`, 'the route "authority" names the authority the appeal goes to (authority: { sv, en }, as said mid-sentence)');
  if (routed && routed.route !== 'authority' && routed.authority) problem(`${path}/appeal/authority`, `only the route "authority" names an authority; this route is "${routed.route}"`);
  const known = routed?.route === 'authority' ? ['authority', 'decider'] : ['decider'];
  const texts = routed ? (['heading', 'text'] as const).map((part) => [`/appeal/${part}`, routed[part]] as const) : [['/appeal', appeal as Localised] as const];
  for (const [at, text] of texts) {
    for (const lang of ['sv', 'en'] as const) {
      for (const m of (text?.[lang] ?? '').matchAll(/\{(\w+)\}/g)) {
        if (!known.includes(m[1]!)) problem(`${path}${at}/${lang}`, `unknown placeholder {${m[1]}} (known: ${known.join(', ')})`);
        else if (m[1] === 'decider' && !decidingBody(def, tenant)) {
          problem(`${path}${at}/${lang}`, `{decider} names the deciding committee, but ${tenant.id} has none for this service: give the service a "decider" { sv, en }, or department "${def.department}" a committee in the tenants file`);
        }
      }
    }
  }
}

/** A field's own error messages use only the placeholders the engine fills in (FIELD_ERROR_PLACEHOLDERS). */
function checkErrorMessages(field: Field, path: string, problem: (path: string, message: string) => void): void {
  const known = new Set<string>(FIELD_ERROR_PLACEHOLDERS);
  for (const [kind, text] of Object.entries(field.errors ?? {})) {
    for (const lang of ['sv', 'en'] as const) {
      for (const m of (text?.[lang] ?? '').matchAll(/\{(\w+)\}/g)) {
        if (!known.has(m[1]!)) problem(`${path}/errors/${kind}/${lang}`, `unknown placeholder {${m[1]}} (known: ${list(known)})`);
      }
    }
  }
}

function conditionFields(cond: Condition): string[] {
  if ('all' in cond) return cond.all.flatMap(conditionFields);
  if ('any' in cond) return cond.any.flatMap(conditionFields);
  if ('not' in cond) return conditionFields(cond.not);
  return [cond.field];
}

// --- Parties and roles (docs/adr/0011-parties-and-roles.md) ---

/** The subject names an answer of the right kind; handling names roles built in or declared here. */
function checkPartiesAndRoles(def: ServiceFile, fields: ReadonlyMap<string, FieldAt>, problem: (path: string, message: string) => void): void {
  if (def.subject) {
    const target = fields.get(def.subject.field);
    if (!target) problem('/subject/field', `names no field of this service: "${def.subject.field}" (fields: ${list(fields.keys())})`);
    else if (def.subject.kind === 'child' && target.field.kind !== 'child') problem('/subject/field', `a child subject comes from a child field, but "${def.subject.field}" is a ${target.field.kind} field`);
    else if (target.field.kind === 'property' && def.subject.kind !== 'property') problem('/subject/kind', `"${def.subject.field}" is a property question: the subject it names is a property, not a ${def.subject.kind}`);
    else if (def.subject.kind !== 'child' && target.field.kind !== 'text' && target.field.kind !== 'property') {
      problem('/subject/field', `a ${def.subject.kind} subject is named by a text answer${def.subject.kind === 'property' ? ' or a property question' : ''}, but "${def.subject.field}" is a ${target.field.kind} field`);
    }
    if (def.subject.partyReads && def.subject.kind !== 'person') problem('/subject/partyReads', `only a person who is the subject can read the case, not a ${def.subject.kind}`);
  }
  const declared = new Map<string, number>();
  (def.roles ?? []).forEach((r, i) => {
    if ((BUILT_IN_STAFF_ROLES as readonly string[]).includes(r.id)) problem(`/roles/${i}/id`, `"${r.id}" is a built-in role; declare only new ones`);
    else if (declared.has(r.id)) problem(`/roles/${i}/id`, `role "${r.id}" is already declared at /roles/${declared.get(r.id)}`);
    else declared.set(r.id, i);
  });
  if (def.coSign) checkCoSign(def, def.coSign, fields, problem);
  const known = new Set<string>(['handler', ...declared.keys()]);
  for (const part of ['handle', 'decide'] as const) {
    (def.handling?.[part] ?? []).forEach((role, i) => {
      if (!known.has(role)) problem(`/handling/${part}/${i}`, `names no role of this service: "${role}" (roles: ${list(known)})`);
    });
  }
}

/** Co-signing (ADR 0016): a signer the engine can find, and states that exist where they must. */
function checkCoSign(def: ServiceFile, spec: CoSignSpec, fields: ReadonlyMap<string, FieldAt>, problem: (path: string, message: string) => void): void {
  if (spec.from === 'custodiansOfSubject' && def.subject?.kind !== 'child') problem('/coSign/from', 'custodiansOfSubject needs a child subject (subject: { kind: child, field: … })');
  if (spec.from === 'field') {
    const target = spec.field === undefined ? undefined : fields.get(spec.field);
    if (spec.field === undefined) problem('/coSign', 'from: field needs `field`, the personal identity number field naming the co-signer');
    else if (!target) problem('/coSign/field', `names no field of this service: "${spec.field}" (fields: ${list(fields.keys())})`);
    else if (target.field.kind !== 'personalNumber') problem('/coSign/field', `the co-signer is named by a personalNumber field, but "${spec.field}" is a ${target.field.kind} field`);
  } else if (spec.field !== undefined) problem('/coSign/field', 'only from: field names a field');
  const states = new Map(def.workflow.states.map((s) => [s.id, s]));
  if (spec.waitIn !== def.workflow.initial) problem('/coSign/waitIn', `a case waits for its co-signer first: waitIn must be the workflow's initial state "${def.workflow.initial}"`);
  for (const key of ['onApprove', 'onReject', 'onExpiry'] as const) {
    const s = states.get(spec[key]);
    if (!s) problem(`/coSign/${key}`, `names no declared state: "${spec[key]}" (states: ${list(states.keys())})`);
    else if (s.id === spec.waitIn) problem(`/coSign/${key}`, `"${s.id}" is the waiting state itself`);
  }
  if (states.get(spec.onApprove)?.final) problem('/coSign/onApprove', `"${spec.onApprove}" is a final state: an approved case must go on to be handled`);
}

// eng-flow: a decision field's constraints belong to its kind.
function checkDecisionField(d: ServiceFile['decisions'][number], f: ServiceFile['decisions'][number]['fields'][number], fpath: string, problem: (path: string, message: string) => void): void {
  const only = (key: 'after' | 'pastAllowed' | 'min' | 'max' | 'choices' | 'register', kinds: string[]) => {
    if (f[key] !== undefined && !kinds.includes(f.kind)) problem(`${fpath}/${key}`, `only a ${kinds.join(' or ')} decision field takes "${key}"`);
  };
  only('after', ['date']);
  only('pastAllowed', ['date']);
  only('min', ['amount']);
  only('max', ['amount']);
  only('choices', ['choice']);
  only('register', ['registerEntry']);
  if (f.after !== undefined) {
    const other = d.fields.find((x) => x.id === f.after);
    if (!other) problem(`${fpath}/after`, `names no field of this decision type: "${f.after}"`);
    else if (other === f) problem(`${fpath}/after`, 'must name another date field');
    else if (other.kind !== 'date') problem(`${fpath}/after`, `"${f.after}" is a ${other.kind} field, not a date`);
  }
  if (f.min !== undefined && f.max !== undefined && f.min > f.max) problem(`${fpath}/max`, `must not be less than min (${f.min})`);
}

/**
 * A decision field's prefill names an answer of the service; the answer a registerEntry field marks
 * as the applicant's choices is a choice from the same register (issue 8, item 17).
 */
function checkDecisionFieldAnswers(f: ServiceFile['decisions'][number]['fields'][number], fpath: string, fields: ReadonlyMap<string, FieldAt>, problem: (path: string, message: string) => void): void {
  if (f.prefill !== undefined && !fields.has(f.prefill.answer)) problem(`${fpath}/prefill/answer`, `names no field of this service: "${f.prefill.answer}" (fields: ${list(fields.keys())})`);
  else if (f.prefill?.map !== undefined) checkPrefillMap(f, f.prefill.map, fields.get(f.prefill.answer)!.field, `${fpath}/prefill/map`, problem);
  if (f.marks === undefined) return;
  if (f.kind !== 'registerEntry') return problem(`${fpath}/marks`, 'only a registerEntry decision field takes "marks"');
  const source = fields.get(f.marks)?.field;
  if (!source) return problem(`${fpath}/marks`, `names no field of this service: "${f.marks}" (fields: ${list(fields.keys())})`);
  if ((source.kind !== 'rankedChoice' && source.kind !== 'registerChoice') || source.register !== f.register) {
    problem(`${fpath}/marks`, `"${f.marks}" is not a choice from the register "${f.register ?? ''}"`);
  }
}

/** The option values of an answer a prefill may map: a choice's, a multiple choice's, a yes/no's. */
function optionValues(field: Field): string[] | undefined {
  if (field.kind === 'choice' || field.kind === 'multiChoice') return field.choices.map((c) => c.value);
  if (field.kind === 'yesNo') return ['yes', 'no'];
  return undefined;
}

/**
 * A mapped prefill (ADR 0034): its keys are the answer's option values, its values are what the
 * decision field accepts — one of a choice field's options; any text for a text field. Other
 * decision fields (dates, amounts, units) are not filled from a mapping.
 */
function checkPrefillMap(f: ServiceFile['decisions'][number]['fields'][number], map: Record<string, string>, answer: Field, path: string, problem: (path: string, message: string) => void): void {
  const options = optionValues(answer);
  if (!options) return problem(path, `"${answer.id}" is a ${answer.kind} field: only an answer with options (choice, multiChoice, yesNo) is mapped`);
  if (!['choice', 'text', 'longText'].includes(f.kind)) return problem(path, `a mapped prefill fills a choice, text or longText decision field, not a ${f.kind} field`);
  const allowed = f.kind === 'choice' ? (f.choices ?? []).map((c) => c.value) : undefined;
  for (const [from, to] of Object.entries(map)) {
    if (!options.includes(from)) problem(`${path}/${from}`, `"${from}" is no option of "${answer.id}" (options: ${list(options)})`);
    if (allowed && !allowed.includes(to)) problem(`${path}/${from}`, `"${to}" is no option of the decision field "${f.id}" (options: ${list(allowed)})`);
  }
}

/**
 * A fee invoiced on a decision (ADR 0034) names decision types of the service, and an amount taken
 * from the decision names an amount field that every one of those types has.
 */
function checkFeeInvoice(def: ServiceFile, problem: (path: string, message: string) => void): void {
  const invoice = def.fee?.invoice;
  if (!invoice) return;
  const types = new Map(def.decisions.map((d) => [d.id, d]));
  invoice.when.forEach((id, k) => {
    if (!types.has(id)) problem(`/fee/invoice/when/${k}`, `names no decision type: "${id}" (decision types: ${list(types.keys())})`);
  });
  if (typeof invoice.amount === 'number') return;
  const field = invoice.amount.field;
  for (const id of invoice.when) {
    const f = types.get(id)?.fields.find((x) => x.id === field);
    if (!types.has(id)) continue;
    if (!f) problem('/fee/invoice/amount/field', `the decision type "${id}" has no field "${field}" to take the amount from`);
    else if (f.kind !== 'amount') problem('/fee/invoice/amount/field', `"${field}" of the decision type "${id}" is a ${f.kind} field, not an amount`);
  }
}

/** Checks one register file: entry ids must be unique (answers store them). */
export function checkRegister(entries: readonly RegisterEntry[]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    if (seen.has(e.id)) problems.push({ path: `/entries/${i}/id`, message: `entry id "${e.id}" appears twice` });
    seen.add(e.id);
    if (e.bookable) problems.push(...checkBookingRules(e.bookable, `/entries/${i}/bookable`));
  });
  return problems;
}
