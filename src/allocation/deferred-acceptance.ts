/**
 * Student-proposing deferred acceptance (Gale–Shapley), the school-choice allocation of issue 11.
 * Each child proposes to their schools in the order they ranked them; a school holds the best
 * proposals it has room for, by its priority for each child, and turns away the rest; a child
 * turned away proposes to their next school. When nobody is left to propose, the held proposals are
 * the allocation. It is stable (no child prefers a school that has a free seat or holds a child it
 * gives lower priority: no justified envy) and, when each child ranks every school, strategy-proof
 * for the children (nobody gains by misreporting their order).
 *
 * A school's priority for a child is one number, lower first: the priority group (siblings, distance,
 * special grounds — what the definition ranks), then the merit (grades, higher first), then the
 * child's lottery number, which is unique, so no two children ever tie. The run works on flat typed
 * arrays (a child's choices laid end to end; each school's held proposals a max-heap in one shared
 * array, its worst held child on top), so 100,000 children with five choices each are half a million
 * heap operations at most.
 */

/** Groups 0…255, merits 0…409.5 in tenths, lottery numbers below 2^21 (Sweden's 1.1 million pupils fit). */
export const MAX_GROUP = 255;
export const MAX_MERIT = 409.5;
export const MAX_CHILDREN = 2 ** 21;
const MERIT_STEPS = 4096;
const LOTTERY_SPAN = 2 ** 21;

/** A school's priority for a child as one number (lower first); exact in a double (below 2^53). */
export function priorityKey(group: number, merit: number, lottery: number): number {
  const meritRank = MERIT_STEPS - 1 - Math.round(merit * 10);
  return (group * MERIT_STEPS + meritRank) * LOTTERY_SPAN + lottery;
}

/** The parts of a priority key: what the "why" shows of the last child a school admitted. */
export function keyParts(key: number): { group: number; merit: number; lottery: number } {
  const lottery = key % LOTTERY_SPAN;
  const rest = (key - lottery) / LOTTERY_SPAN;
  const meritRank = rest % MERIT_STEPS;
  return { group: (rest - meritRank) / MERIT_STEPS, merit: (MERIT_STEPS - 1 - meritRank) / 10, lottery };
}

/** The run's input, flat: child c's choices are choiceSchool/choiceKey[choiceStart[c] … choiceStart[c+1]), most wanted first. */
export interface CompactInput {
  children: number;
  capacity: Int32Array;
  choiceStart: Int32Array;
  choiceSchool: Int32Array;
  choiceKey: Float64Array;
}

export interface CompactResult {
  /** Per child: the index (into the choice arrays) of the choice it got, or −1. */
  assignedChoice: Int32Array;
  /** Per school: the priority key of the last child it admitted when full, or −1 when a seat was left. */
  cutoff: Float64Array;
  /** Proposals made (each a heap operation at most). */
  proposals: number;
}

export function deferredAcceptance(input: CompactInput): CompactResult {
  const { children, capacity, choiceStart, choiceSchool, choiceKey } = input;
  const schools = capacity.length;
  // Each school's heap: slots heapStart[s] … heapStart[s] + capacity[s] in the shared arrays.
  const heapStart = new Int32Array(schools + 1);
  for (let s = 0; s < schools; s++) heapStart[s + 1] = heapStart[s]! + Math.max(0, capacity[s]!);
  const heapKey = new Float64Array(heapStart[schools]!);
  const heapChoice = new Int32Array(heapStart[schools]!);
  const size = new Int32Array(schools);
  const next = new Int32Array(children);
  // Children with a proposal to make; each starts with their first choice.
  const free = new Int32Array(children);
  let top = 0;
  for (let c = children - 1; c >= 0; c--) free[top++] = c;
  const childOf = new Int32Array(choiceSchool.length);
  for (let c = 0; c < children; c++) for (let k = choiceStart[c]!; k < choiceStart[c + 1]!; k++) childOf[k] = c;
  let proposals = 0;

  while (top > 0) {
    const c = free[--top]!;
    const end = choiceStart[c + 1]!;
    for (let k = choiceStart[c]! + next[c]!; k < end; k = choiceStart[c]! + next[c]!) {
      next[c]!++;
      proposals++;
      const s = choiceSchool[k]!;
      const cap = capacity[s]!;
      if (cap <= 0) continue;
      const key = choiceKey[k]!;
      const base = heapStart[s]!;
      const n = size[s]!;
      if (n < cap) {
        // Room: held, sifted up the school's max-heap.
        let i = n;
        while (i > 0) {
          const parent = (i - 1) >> 1;
          if (heapKey[base + parent]! >= key) break;
          heapKey[base + i] = heapKey[base + parent]!;
          heapChoice[base + i] = heapChoice[base + parent]!;
          i = parent;
        }
        heapKey[base + i] = key;
        heapChoice[base + i] = k;
        size[s] = n + 1;
        break;
      }
      if (key >= heapKey[base]!) continue; // turned away: the school holds only children before this one
      // The worst held child is turned away and proposes again; this one takes its place.
      free[top++] = childOf[heapChoice[base]!]!;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const m = r < n && heapKey[base + r]! > heapKey[base + l]! ? r : l;
        if (heapKey[base + m]! <= key) break;
        heapKey[base + i] = heapKey[base + m]!;
        heapChoice[base + i] = heapChoice[base + m]!;
        i = m;
      }
      heapKey[base + i] = key;
      heapChoice[base + i] = k;
      break;
    }
  }

  const assignedChoice = new Int32Array(children).fill(-1);
  const cutoff = new Float64Array(schools).fill(-1);
  for (let s = 0; s < schools; s++) {
    const base = heapStart[s]!;
    for (let i = 0; i < size[s]!; i++) assignedChoice[childOf[heapChoice[base + i]!]!] = heapChoice[base + i]!;
    if (capacity[s]! > 0 && size[s] === capacity[s]) cutoff[s] = heapKey[base]!;
  }
  return { assignedChoice, cutoff, proposals };
}
