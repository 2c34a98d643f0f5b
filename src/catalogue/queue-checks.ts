/**
 * The checks of the queue engine's data (ADR 0043) a schema cannot express: a `queue` service has
 * its section and the section the engine; the choices are a ranked choice of a register; groups and
 * the order name each other; a queue ordered by distance has every unit's position; offers (ADR
 * 0046) end in final states, their age groups are distinct and every unit's places name one of them.
 */
import type { Expression, QueueSpec } from './types.ts';
import type { SchemaProblem } from './schema.ts';
import type { RegisterIndex } from './checks.ts';

export function checkQueueService(
  def: {
    engines: readonly string[];
    queue?: QueueSpec;
    form?: { steps: readonly { fields: readonly { id: string; kind: string; register?: string }[] }[] };
    workflow?: { states: readonly { id: string; final?: boolean }[] };
  },
  registers: RegisterIndex,
  checkCondition: (expr: Expression, path: string) => void,
): SchemaProblem[] {
  const queues = def.engines.includes('queue');
  const q = def.queue;
  if (!q) return queues ? [{ path: '/queue', message: 'a service with the engine queue says how its queue is ordered: a queue section (at least {})' }] : [];
  if (!queues) return [{ path: '/engines', message: 'a service with a queue section has the engine queue' }];
  const problems: SchemaProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });
  const order = q.order ?? (q.groups?.length ? ['groups', 'queueDate'] : ['queueDate']);
  if (q.groups?.length && !order.includes('groups')) problem('/queue/order', 'the queue has priority groups, so its order names "groups" where they count');
  if (order.includes('groups') && !q.groups?.length) problem('/queue/order', 'orders by "groups", but the queue has no groups');
  // A position is counted inside a block of the first two rules (ADR 0043): one of them must be fine-grained.
  if (!order.slice(0, 2).some((r) => r === 'queueDate' || r === 'distance')) problem('/queue/order', 'orders by "queueDate" or "distance" among its first two rules (a queue ordered by groups alone would count whole groups for each position)');
  const ids = new Set<string>();
  (q.groups ?? []).forEach((g, i) => {
    if (ids.has(g.id)) problem(`/queue/groups/${i}/id`, `group "${g.id}" is given twice`);
    ids.add(g.id);
    checkCondition(g.when, `/queue/groups/${i}/when`);
  });
  problems.push(...checkOffers(def, q));
  if (q.renewal) {
    const state = def.workflow?.states.find((s) => s.id === q.renewal!.lapsedState);
    if (!state) problems.push({ path: '/queue/renewal/lapsedState', message: `"${q.renewal.lapsedState}" is not a state of the workflow` });
    else if (!state.final) problems.push({ path: '/queue/renewal/lapsedState', message: `"${q.renewal.lapsedState}" is not final: an application that was not renewed stands in no queue` });
  }
  if (q.choices === undefined) {
    if (order.includes('distance')) problem('/queue/order', 'orders by "distance", which is measured to a chosen unit: the queue needs choices');
    if (q.changeChoices) problem('/queue/changeChoices', 'the queue has no choices to change');
    return problems;
  }
  const field = def.form?.steps.flatMap((s) => s.fields).find((f) => f.id === q.choices);
  if (!field) return [...problems, { path: '/queue/choices', message: `"${q.choices}" is not a field of the form` }];
  if (field.kind !== 'rankedChoice' || !field.register) return [...problems, { path: '/queue/choices', message: `"${q.choices}" is a ${field.kind} field; the choices are a rankedChoice of a register` }];
  const register = registers.get(field.register);
  if (register && order.includes('distance')) {
    const without = register.entries.filter((e) => !e.position).map((e) => e.id);
    if (without.length) problem('/queue/order', `orders by "distance", but these entries of "${field.register}" have no position: ${without.join(', ')}`);
  }
  const groups = new Set((q.offers?.ageGroups ?? []).map((g) => g.id));
  // Places are read only by offers: a queue without them leaves them be.
  for (const e of q.offers ? (register?.entries ?? []) : []) {
    for (const p of e.places ?? []) {
      if (p.ageGroup !== undefined && !groups.has(p.ageGroup)) problem('/queue/offers/ageGroups', `"${e.id}" of "${field.register}" has places for age group "${p.ageGroup}", which the offers do not name`);
      if (p.ageGroup === undefined && groups.size) problem('/queue/offers/ageGroups', `"${e.id}" of "${field.register}" has places without an age group, but the offers have age groups`);
    }
  }
  return problems;
}

function checkOffers(def: Parameters<typeof checkQueueService>[0], q: QueueSpec): SchemaProblem[] {
  const o = q.offers;
  if (!o) return [];
  const problems: SchemaProblem[] = [];
  const states = new Map((def.workflow?.states ?? []).map((s) => [s.id, s]));
  for (const key of ['acceptedState', 'leftState'] as const) {
    const state = states.get(o[key]);
    if (!state) problems.push({ path: `/queue/offers/${key}`, message: `"${o[key]}" is not a state of the workflow` });
    else if (!state.final) problems.push({ path: `/queue/offers/${key}`, message: `"${o[key]}" is not final: an application that took a place, or left its queues, stands in none` });
  }
  const seen = new Set<string>();
  (o.ageGroups ?? []).forEach((g, i) => {
    if (seen.has(g.id)) problems.push({ path: `/queue/offers/ageGroups/${i}/id`, message: `age group "${g.id}" is given twice` });
    seen.add(g.id);
    if (g.minYears >= g.maxYears) problems.push({ path: `/queue/offers/ageGroups/${i}`, message: `age group "${g.id}" ends (maxYears) where it starts or before` });
  });
  if (o.guarantee?.from !== undefined) {
    const field = def.form?.steps.flatMap((s) => s.fields).find((f) => f.id === o.guarantee!.from);
    if (!field || field.kind !== 'date') problems.push({ path: '/queue/offers/guarantee/from', message: `"${o.guarantee.from}" is not a date field of the form` });
  }
  return problems;
}
