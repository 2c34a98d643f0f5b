/**
 * Where an application stands in each of its queues (ADR 0043), worked out once when it joins and
 * stored as numbers the database orders by: the definition's rules — priority group, queue date,
 * distance — as three keys (k1, k2, k3) in the definition's order, then the tie-break. Nothing here
 * reads the database or a register: the caller gives the answers, the chosen entries and the home.
 */
import type { GeoPosition, QueueRule, QueueSpec, RegisterEntry, ServiceDefinition } from '../catalogue/types.ts';
import { holds } from '../expressions/index.ts';
import type { Answers } from '../forms/index.tsx';

/** Where a distance is unknown (no position for the home or the unit): after every known one. */
export const UNKNOWN_DISTANCE = 2 ** 31 - 1;

/** The queue of a service without choices: one for the whole service. */
export const WHOLE_SERVICE = '';

export interface QueuePlace {
  /** The register entry the queue is for, or WHOLE_SERVICE. */
  queue: string;
  /** Where the applicant ranked it (0 first). */
  rank: number;
  /** The priority group (0 first; the number of groups: in none). */
  group: number;
  queueDate: string;
  distanceM: number | null;
  keys: [number, number, number];
}

export const orderOf = (spec: QueueSpec): QueueRule[] => spec.order ?? (spec.groups?.length ? ['groups', 'queueDate'] : ['queueDate']);

/** The days since 1970-01-01 of an ISO date: a number that sorts as the date does. */
export function dayNumber(isoDate: string): number {
  return Math.round(Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10))) / 86_400_000);
}

/** The great-circle distance in whole metres (haversine, mean Earth radius). */
export function distanceM(a: GeoPosition, b: GeoPosition): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return Math.round(2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h))));
}

/** The first group whose condition holds for these answers and this chosen entry; the number of groups when none does. */
export function groupOf(spec: QueueSpec, answers: Answers, entry: RegisterEntry | undefined, today: string): number {
  const groups = spec.groups ?? [];
  const data = { ...answers, $choice: entry ? { id: entry.id, name: entry.name, area: entry.area ?? null, address: entry.address ?? null, capacity: entry.capacity ?? null } : null };
  const i = groups.findIndex((g) => holds(g.when, data, { today }));
  return i === -1 ? groups.length : i;
}

/** The chosen entries' ids, most wanted first (or the one queue of a service without choices). */
export function choicesOf(spec: QueueSpec, answers: Answers): string[] {
  if (spec.choices === undefined) return [WHOLE_SERVICE];
  const v = answers[spec.choices];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
}

/**
 * The application's place in each queue it chose: its group, date and distance, and the keys the
 * queue is ordered by. `queueDate` is the application's (kept when choices change).
 */
export function placesFor(
  def: Pick<ServiceDefinition, 'queue'>,
  input: { answers: Answers; choices: readonly string[]; entries: (id: string) => RegisterEntry | undefined; home: GeoPosition | undefined; queueDate: string; today: string },
): QueuePlace[] {
  const spec = def.queue!;
  const order = orderOf(spec);
  return input.choices.map((queue, rank) => {
    const entry = queue === WHOLE_SERVICE ? undefined : input.entries(queue);
    const group = groupOf(spec, input.answers, entry, input.today);
    const distance = order.includes('distance') && input.home && entry?.position ? distanceM(input.home, entry.position) : null;
    const value = (rule: QueueRule): number => (rule === 'groups' ? group : rule === 'queueDate' ? dayNumber(input.queueDate) : (distance ?? UNKNOWN_DISTANCE));
    const keys: [number, number, number] = [order[0] ? value(order[0]) : 0, order[1] ? value(order[1]) : 0, order[2] ? value(order[2]) : 0];
    return { queue, rank, group, queueDate: input.queueDate, distanceM: distance, keys };
  });
}
