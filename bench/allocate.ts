/**
 * `npm run bench:allocate` — the allocation engine (issue 11): student-proposing deferred acceptance
 * for 10k, 50k, 100k and 200k children with five choices each among 500 schools, and Sweden's 1.1
 * million pupils among 5,000 schools, each run on inputs laid out flat as the engine takes them (the
 * lottery drawn from a seed, a priority group per choice). Schools are chosen with a skew (some are
 * popular, as in life: the first choice of many), capacities total 105% of the children, so many
 * proposals are turned away. Prints one JSON line per size and a summary line with the growth per
 * child between sizes (linear: about the same). Also the front door (`allocate`, ids in and the
 * families' "why" out) for 100k.
 *
 * A figure, not a test: it exits non-zero only when a result is wrong (a school over capacity),
 * never because the machine is slow. Targets: 100,000 children under 200 ms; 1.1 million under 3 s.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { allocate, deferredAcceptance, generator, lotteryNumbers, priorityKey, type AllocationInput, type CompactInput } from '../src/allocation/index.ts';

const env = process.env;
const CHOICES = Number(env.BENCH_ALLOCATE_CHOICES ?? 5);
const SIZES: [children: number, schools: number][] = [
  [10_000, 500],
  [50_000, 500],
  [100_000, 500],
  [200_000, 500],
  [1_100_000, 5_000],
];

/** A round of `children` with CHOICES distinct choices each among `schools`, popular schools more often chosen. */
function round(children: number, schools: number, seed: string): CompactInput {
  const next = generator(`inputs:${seed}`);
  const lottery = lotteryNumbers(children, seed);
  const capacity = new Int32Array(schools);
  // Capacities that sum to 105% of the children, uneven (small village schools, big town ones).
  const weights = Array.from({ length: schools }, () => 0.5 + next() / 0x1_0000_0000);
  const sum = weights.reduce((a, b) => a + b, 0);
  weights.forEach((w, s) => (capacity[s] = Math.max(1, Math.round((w / sum) * children * 1.05))));
  const choiceStart = new Int32Array(children + 1);
  const choiceSchool = new Int32Array(children * CHOICES);
  const choiceKey = new Float64Array(children * CHOICES);
  let k = 0;
  const chosen = new Int32Array(CHOICES);
  for (let c = 0; c < children; c++) {
    choiceStart[c] = k;
    let n = 0;
    while (n < CHOICES) {
      // Skewed: the square of a uniform number favours the first schools (the popular ones).
      const u = next() / 0x1_0000_0000;
      const s = Math.floor(u * u * schools);
      let dup = false;
      for (let i = 0; i < n; i++) if (chosen[i] === s) dup = true;
      if (dup) continue;
      chosen[n++] = s;
      choiceSchool[k] = s;
      // Priority groups: 10% siblings (0), 60% near (1), the rest (2).
      const g = next() % 10;
      choiceKey[k] = priorityKey(g === 0 ? 0 : g < 7 ? 1 : 2, 0, lottery[c]!);
      k++;
    }
  }
  choiceStart[children] = k;
  return { children, capacity, choiceStart, choiceSchool, choiceKey };
}

function check(input: CompactInput, assigned: Int32Array): { placed: number } {
  const taken = new Int32Array(input.capacity.length);
  let placed = 0;
  for (let c = 0; c < input.children; c++) {
    const k = assigned[c]!;
    if (k < 0) continue;
    placed++;
    const s = input.choiceSchool[k]!;
    if (++taken[s]! > input.capacity[s]!) throw new Error(`school ${s} over capacity`);
  }
  return { placed };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function main(): void {
  console.log(`bench:allocate — ${os.cpus().length} CPUs, Node ${process.version}; ${CHOICES} choices per child`);
  const rows: { children: number; schools: number; ms: number; nsPerChild: number }[] = [];
  for (const [children, schools] of SIZES) {
    const input = round(children, schools, `bench-${children}`);
    // Warm the engine on this size once, then the median of three runs.
    deferredAcceptance(input);
    global.gc?.();
    const before = process.memoryUsage();
    const times: number[] = [];
    let result = deferredAcceptance(input);
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      result = deferredAcceptance(input);
      times.push(performance.now() - t0);
    }
    const after = process.memoryUsage();
    const { placed } = check(input, result.assignedChoice);
    const ms = median(times);
    rows.push({ children, schools, ms, nsPerChild: (ms * 1e6) / children });
    console.log(
      JSON.stringify({
        benchmark: 'allocate',
        children,
        schools,
        choices: CHOICES,
        seconds: Number((ms / 1000).toFixed(4)),
        ms: Number(ms.toFixed(1)),
        runs_ms: times.map((t) => Number(t.toFixed(1))),
        proposals: result.proposals,
        proposals_per_child: Number((result.proposals / children).toFixed(2)),
        placed,
        unplaced: children - placed,
        input_mb: Number(((input.choiceKey.byteLength + input.choiceSchool.byteLength + input.choiceStart.byteLength) / 2 ** 20).toFixed(1)),
        rss_mb: Number((after.rss / 2 ** 20).toFixed(0)),
        heap_delta_mb: Number(((after.heapUsed - before.heapUsed) / 2 ** 20).toFixed(1)),
        array_buffers_mb: Number((after.arrayBuffers / 2 ** 20).toFixed(0)),
      }),
    );
  }
  // The front door for 100,000: ids in, each child's place and "why" out.
  const frontN = 100_000;
  const flat = round(frontN, 500, 'front');
  const friendly: AllocationInput = {
    seed: 'front',
    schools: Array.from(flat.capacity, (capacity, s) => ({ id: `school-${s}`, capacity })),
    children: Array.from({ length: frontN }, (_, c) => ({
      id: `child-${c}`,
      choices: Array.from({ length: flat.choiceStart[c + 1]! - flat.choiceStart[c]! }, (_, j) => ({ school: `school-${flat.choiceSchool[flat.choiceStart[c]! + j]!}`, group: 1 })),
    })),
  };
  allocate(friendly);
  const t0 = performance.now();
  const full = allocate(friendly);
  const frontMs = performance.now() - t0;
  const at = (n: number) => rows.find((r) => r.children === n)!;
  console.log(
    JSON.stringify({
      benchmark: 'allocate-summary',
      ms_100k: Number(at(100_000).ms.toFixed(1)),
      ms_1_1m: Number(at(1_100_000).ms.toFixed(1)),
      ns_per_child: Object.fromEntries(rows.map((r) => [String(r.children), Number(r.nsPerChild.toFixed(0))])),
      growth_200k_over_10k_per_child: Number((at(200_000).nsPerChild / at(10_000).nsPerChild).toFixed(2)),
      front_door_100k_ms: Number(frontMs.toFixed(1)),
      front_door_placed: full.children.filter((c) => c.school !== null).length,
      target: { ms_100k: 200, ms_1_1m: 3000 },
      targets_met: { ms_100k: at(100_000).ms < 200 ? 'yes' : 'no', ms_1_1m: at(1_100_000).ms < 3000 ? 'yes' : 'no' },
      cpus: os.cpus().length,
      node: process.version,
    }),
  );
}

main();
