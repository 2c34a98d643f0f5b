/**
 * The checks of a definition's `allocation` section (engine allocate, ADR 0044) a JSON Schema cannot
 * make: the choices question is a ranked choice whose register's entries all have a capacity, the
 * merit question is a number within what the engine ranks (0–409.5), the states exist (a round takes
 * cases from open states and moves them on to others), and the priority groups' ids are unique. The
 * groups' expressions are checked by the caller, with `$choice` allowed.
 */
import type { SchemaProblem } from './schema.ts';
import type { AllocationSpec, Field, RegisterEntry, ServiceDefinition } from './types.ts';

/** Where an allocation's priority condition reads the chosen entry (`{ "var": "$choice.id" }`). */
export const CHOICE_KEY = '$choice';
/** What `$choice` holds: the entry's id and properties. */
export const CHOICE_FACTS = ['id', 'name', 'area', 'address', 'capacity'] as const;
/** The highest merit the engine ranks (deferred-acceptance.ts MAX_MERIT). */
export const MAX_ALLOCATION_MERIT = 409.5;

type Def = Pick<ServiceDefinition, 'engines' | 'workflow' | 'form'> & { allocation?: AllocationSpec | undefined };

export function checkAllocation(def: Def, registers: ReadonlyMap<string, { entries: readonly RegisterEntry[] }>): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });
  const a = def.allocation;
  if (!a) return problems;
  if (!def.engines.includes('allocate')) problem('/engines', 'a service with an allocation section has the engine allocate');
  const fields = def.form.steps.flatMap((s) => s.fields);
  const byId = (id: string): Field | undefined => fields.find((f) => f.id === id);
  const choices = byId(a.choices);
  if (!choices) problem('/allocation/choices', `"${a.choices}" is not a question of the form`);
  else if (choices.kind !== 'rankedChoice') problem('/allocation/choices', `"${a.choices}" is a ${choices.kind} question, not a rankedChoice: the choices are ranked`);
  else {
    const register = registers.get(choices.register);
    const without = register?.entries.filter((e) => e.capacity === undefined) ?? [];
    if (register && without.length) {
      problem('/allocation/choices', `the register "${choices.register}" has entries without a capacity, which a round cannot fill: ${without.map((e) => e.id).join(', ')}`);
    }
  }
  if (a.merit) {
    const f = byId(a.merit.field);
    if (!f) problem('/allocation/merit/field', `"${a.merit.field}" is not a question of the form`);
    else if (f.kind !== 'number') problem('/allocation/merit/field', `"${a.merit.field}" is a ${f.kind} question, not a number: merit is a number`);
    else if (f.min === undefined || f.max === undefined || f.min < 0 || f.max > MAX_ALLOCATION_MERIT) {
      problem('/allocation/merit/field', `"${a.merit.field}" must say min and max within 0–${MAX_ALLOCATION_MERIT}, what the allocation ranks`);
    }
  }
  const states = new Map(def.workflow.states.map((s) => [s.id, s]));
  a.from.forEach((s, i) => {
    const state = states.get(s);
    if (!state) problem(`/allocation/from/${i}`, `"${s}" is not a state of the workflow`);
    else if (state.final) problem(`/allocation/from/${i}`, `"${s}" is a final state: a round takes open applications`);
  });
  for (const key of ['placedState', 'notPlacedState'] as const) {
    if (!states.has(a[key])) problem(`/allocation/${key}`, `"${a[key]}" is not a state of the workflow`);
    else if (a.from.includes(a[key])) problem(`/allocation/${key}`, `"${a[key]}" is a state the round takes applications from: publishing must move them on`);
  }
  const ids = new Set<string>();
  (a.priorities ?? []).forEach((p, i) => {
    if (ids.has(p.id)) problem(`/allocation/priorities/${i}/id`, `"${p.id}" is given twice`);
    ids.add(p.id);
  });
  return problems;
}
