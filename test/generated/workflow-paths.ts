/**
 * Plans the walks through a workflow that the generated tests take (issue 7, item 15): every action of the
 * workflow is taken at least once, each walk starts where a submitted case starts and ends in a final state,
 * and a loop (ask for a supplement, get it) is gone round once, not again and again.
 *
 * The plan is a pure function of the workflow graph, so it is tested on its own; the harness then takes each
 * walk over HTTP as the party the action belongs to.
 */

export interface Edge {
  /** The action's id in the definition. */
  action: string;
  from: string;
  to: string;
}

export interface WorkflowGraph {
  initial: string;
  finals: readonly string[];
  edges: readonly Edge[];
}

export interface PlanProblem {
  /** An action no walk can take: its state is never reached, or no final state is reached after it. */
  action: string;
  from: string;
  reason: 'unreachable' | 'dead-end';
}

/** Shortest list of edges from `start` to any state `goal` accepts (breadth first, in definition order). */
function shortest(graph: WorkflowGraph, start: string, goal: (state: string) => boolean): Edge[] | undefined {
  if (goal(start)) return [];
  const cameBy = new Map<string, Edge | null>([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const at = queue.shift()!;
    for (const e of graph.edges) {
      if (e.from !== at || cameBy.has(e.to)) continue;
      cameBy.set(e.to, e);
      if (goal(e.to)) {
        const path: Edge[] = [];
        for (let step: Edge | null | undefined = e; step; step = cameBy.get(step.from)) path.unshift(step);
        return path;
      }
      queue.push(e.to);
    }
  }
  return undefined;
}

const key = (e: Edge) => `${e.from}\u0000${e.action}\u0000${e.to}`;

/**
 * Walks that together take every edge. For each edge not yet taken: the shortest way to its state, the edge,
 * the shortest way on to a final state; every edge on the walk counts as taken. Deterministic: the same
 * workflow gives the same walks, in definition order.
 */
export function planWalks(graph: WorkflowGraph): { walks: Edge[][]; problems: PlanProblem[] } {
  const isFinal = (s: string) => graph.finals.includes(s);
  const taken = new Set<string>();
  const walks: Edge[][] = [];
  const problems: PlanProblem[] = [];
  for (const edge of graph.edges) {
    if (taken.has(key(edge))) continue;
    const before = shortest(graph, graph.initial, (s) => s === edge.from);
    if (!before) {
      problems.push({ action: edge.action, from: edge.from, reason: 'unreachable' });
      continue;
    }
    const after = shortest(graph, edge.to, isFinal);
    if (!after) {
      problems.push({ action: edge.action, from: edge.from, reason: 'dead-end' });
      continue;
    }
    const walk = [...before, edge, ...after];
    for (const e of walk) taken.add(key(e));
    walks.push(walk);
  }
  return { walks, problems };
}

/** One walk per final state, the shortest: the single path per service that runs on PostgreSQL too. */
export function shortestWalkToEachFinal(graph: WorkflowGraph): Edge[][] {
  return graph.finals.map((f) => shortest(graph, graph.initial, (s) => s === f)).filter((w): w is Edge[] => w !== undefined);
}
