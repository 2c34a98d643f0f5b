/**
 * The allocation engine (issue 11): school choice — and summer jobs and holiday camps, with jobs or
 * camp weeks as schools and the lottery alone — by student-proposing deferred acceptance over frozen
 * inputs and a published seed. It names no service: the inputs are children, their ranked choices
 * with the school's priority group (and merit) for them, and the schools' capacities.
 *
 * `allocate` is the front door: ids in, each child's place (or none) and, for every school they
 * ranked above it, why not — the priority group, merit and lottery number of the last child that
 * school admitted. The same inputs and seed always give the same result (`deferred-acceptance.ts`,
 * `lottery.ts`).
 */
import { deferredAcceptance, keyParts, MAX_CHILDREN, MAX_GROUP, MAX_MERIT, priorityKey } from './deferred-acceptance.ts';
import { lotteryNumbers } from './lottery.ts';


export interface AllocationInput {
  schools: readonly { id: string; capacity: number }[];
  /** Each child's choices, most wanted first, each with the school's priority group for the child (0 first) and merit (higher first). */
  children: readonly { id: string; choices: readonly { school: string; group?: number; merit?: number }[] }[];
  /** The published seed the lottery is drawn from. */
  seed: string;
}

/** Why a child did not get a school they ranked higher: the school's last admitted child. */
export interface Cutoff {
  school: string;
  group: number;
  merit: number;
  lottery: number;
}

export interface ChildResult {
  id: string;
  lottery: number;
  /** The school the child got, or null. */
  school: string | null;
  /** Its place in the child's list (0: first choice), or null. */
  rank: number | null;
  /** For each school ranked above the one got (all, when none): its cut-off — or null when it had a free seat the child could not have (it never does: the child would have got it). */
  above: { school: string; cutoff: Cutoff | null; own: { group: number; merit: number } }[];
}

export interface AllocationResult {
  children: ChildResult[];
  /** Per school: admitted count and, when full, the cut-off. */
  schools: { id: string; capacity: number; admitted: number; cutoff: Cutoff | null }[];
  proposals: number;
}

export class AllocationInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AllocationInputError';
  }
}

/** Lays the input out flat (ids to indices, priorities to keys with each child's lottery number). */
export function compact(input: AllocationInput): { compact: Parameters<typeof deferredAcceptance>[0]; lottery: Uint32Array; schoolIndex: Map<string, number> } {
  const n = input.children.length;
  if (n > MAX_CHILDREN) throw new AllocationInputError(`at most ${MAX_CHILDREN} children in one run`);
  const schoolIndex = new Map<string, number>();
  input.schools.forEach((s, i) => {
    if (schoolIndex.has(s.id)) throw new AllocationInputError(`school ${s.id} is given twice`);
    if (!Number.isInteger(s.capacity) || s.capacity < 0) throw new AllocationInputError(`school ${s.id}: capacity must be a whole number, 0 or more`);
    schoolIndex.set(s.id, i);
  });
  const lottery = lotteryNumbers(n, input.seed);
  let total = 0;
  for (const c of input.children) total += c.choices.length;
  const choiceStart = new Int32Array(n + 1);
  const choiceSchool = new Int32Array(total);
  const choiceKey = new Float64Array(total);
  let k = 0;
  input.children.forEach((c, i) => {
    choiceStart[i] = k;
    const seen = new Set<number>();
    for (const choice of c.choices) {
      const s = schoolIndex.get(choice.school);
      if (s === undefined) throw new AllocationInputError(`child ${c.id} ranks a school that is not in the round: ${choice.school}`);
      if (seen.has(s)) throw new AllocationInputError(`child ${c.id} ranks ${choice.school} twice`);
      seen.add(s);
      const group = choice.group ?? 0;
      const merit = choice.merit ?? 0;
      if (!Number.isInteger(group) || group < 0 || group > MAX_GROUP) throw new AllocationInputError(`child ${c.id}: a priority group is a whole number 0–${MAX_GROUP}`);
      if (!(merit >= 0 && merit <= MAX_MERIT)) throw new AllocationInputError(`child ${c.id}: merit is 0–${MAX_MERIT}`);
      choiceSchool[k] = s;
      choiceKey[k] = priorityKey(group, merit, lottery[i]!);
      k++;
    }
  });
  choiceStart[n] = k;
  return { compact: { children: n, capacity: Int32Array.from(input.schools.map((s) => s.capacity)), choiceStart, choiceSchool, choiceKey }, lottery, schoolIndex };
}

export function allocate(input: AllocationInput): AllocationResult {
  const { compact: flat, lottery } = compact(input);
  const run = deferredAcceptance(flat);
  const cutoffOf = (s: number): Cutoff | null => {
    const key = run.cutoff[s]!;
    if (key < 0) return null;
    const p = keyParts(key);
    return { school: input.schools[s]!.id, ...p };
  };
  const admitted = new Int32Array(input.schools.length);
  const children: ChildResult[] = input.children.map((c, i) => {
    const got = run.assignedChoice[i]!;
    const start = flat.choiceStart[i]!;
    const rank = got < 0 ? null : got - start;
    if (got >= 0) admitted[flat.choiceSchool[got]!]!++;
    const upTo = rank ?? c.choices.length;
    return {
      id: c.id,
      lottery: lottery[i]!,
      school: got < 0 ? null : input.schools[flat.choiceSchool[got]!]!.id,
      rank,
      above: c.choices.slice(0, upTo).map((choice, j) => ({
        school: choice.school,
        cutoff: cutoffOf(flat.choiceSchool[start + j]!),
        own: { group: choice.group ?? 0, merit: choice.merit ?? 0 },
      })),
    };
  });
  return {
    children,
    schools: input.schools.map((s, i) => ({ id: s.id, capacity: s.capacity, admitted: admitted[i]!, cutoff: cutoffOf(i) })),
    proposals: run.proposals,
  };
}
