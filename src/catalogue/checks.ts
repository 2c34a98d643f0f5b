/**
 * The checks a JSON Schema cannot express: ids that must name something else in the same
 * definition (fields, states, registers, departments) and ids that must be unique. They run on a
 * definition that already passed the schema, so its shape can be trusted.
 */
import type { Tenant } from '../kernel/tenants.ts';
import { LETTER_PLACEHOLDERS, type SchemaProblem } from './schema.ts';
import type { Condition, Field, RegisterEntry, ServiceDefinition } from './types.ts';

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

  for (const at of ordered) {
    const { field, path } = at;
    // A field's condition may only look at answers given before it, on its page or earlier.
    if (field.when) {
      checkCondition(field.when, `${path}/when`, (target) =>
        target === at ? 'a field cannot depend on itself' : target.order > at.order ? `"${target.field.id}" comes after this field, so it has no answer yet` : undefined,
      );
    }
    switch (field.kind) {
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
    if (!step.when) return;
    // A page's condition is decided before the page is shown: only answers from earlier pages count.
    checkCondition(step.when, `/form/steps/${s}/when`, (target) =>
      target.step >= s ? `"${target.field.id}" is not asked before this step, so it has no answer yet` : undefined,
    );
  });

  checkWorkflow(def, problem);
  checkDecisions(def, fields, problem);
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
  workflow.transitions.forEach((tr, i) => {
    tr.from.forEach((from, k) => {
      const state = states.get(from);
      if (!state) problem(`/workflow/transitions/${i}/from/${k}`, `names no declared state: "${from}" ${declared}`);
      else if (state.final) problem(`/workflow/transitions/${i}/from/${k}`, `"${from}" is a final state; no transition may leave it`);
    });
    if (!states.has(tr.to)) problem(`/workflow/transitions/${i}/to`, `names no declared state: "${tr.to}" ${declared}`);
  });
  if (!workflow.transitions.some((tr) => tr.action === 'decide')) {
    problem('/workflow/transitions', 'has no transition with action "decide", so no decision could ever be made');
  }
  if (!initial) return;
  const { unreachable, deadEnds } = workflowReach(workflow);
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
export function workflowReach(workflow: Pick<ServiceFile['workflow'], 'initial' | 'states' | 'transitions'>): { unreachable: Set<string>; deadEnds: Set<string> } {
  const ids = workflow.states.map((s) => s.id);
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
  const forward = walk([workflow.initial], (id) => workflow.transitions.filter((t) => t.from.includes(id)).map((t) => t.to));
  const finals = workflow.states.filter((s) => s.final).map((s) => s.id);
  const backward = walk(finals, (id) => workflow.transitions.filter((t) => t.to === id).flatMap((t) => t.from));
  return { unreachable: new Set(ids.filter((id) => !forward.has(id))), deadEnds: new Set(ids.filter((id) => !backward.has(id))) };
}

function checkDecisions(def: ServiceFile, fields: ReadonlyMap<string, FieldAt>, problem: (path: string, message: string) => void): void {
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
      if (f.from === undefined) return;
      if (f.kind !== 'rankedChoiceAnswer') return problem(`${fpath}/from`, 'only a rankedChoiceAnswer decision field takes "from"');
      const source = fields.get(f.from);
      if (!source) problem(`${fpath}/from`, `names no field of this service: "${f.from}" (fields: ${list(fields.keys())})`);
      else if (source.field.kind !== 'rankedChoice') problem(`${fpath}/from`, `"${f.from}" is a ${source.field.kind} field, not a rankedChoice field`);
    });
    const known = new Set<string>([...own, ...LETTER_PLACEHOLDERS]);
    for (const lang of ['sv', 'en'] as const) {
      for (const m of d.letter[lang].matchAll(/\{(\w+)\}/g)) {
        if (!known.has(m[1]!)) problem(`${path}/letter/${lang}`, `unknown placeholder {${m[1]}} (known: ${list(known)})`);
      }
    }
  });
}

/** Checks one register file: entry ids must be unique (answers store them). */
export function checkRegister(entries: readonly RegisterEntry[]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    if (seen.has(e.id)) problems.push({ path: `/entries/${i}/id`, message: `entry id "${e.id}" appears twice` });
    seen.add(e.id);
  });
  return problems;
}
