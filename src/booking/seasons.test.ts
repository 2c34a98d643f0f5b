/**
 * Seasonal allocation (ADR 0041), its pure parts: which seasons are open on a day (one that starts in
 * January is applied for the October before), a weekly time against the opening hours, its dates in a
 * season (holidays skipped, the same wall-clock time either side of a change to or from summer time),
 * and the proposal — priority, then who applied first, then each application's own order; staff's
 * grants and refusals over it; two granted times that overlap (buffers counted) in conflict.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SeasonSpec } from '../catalogue/types.ts';
import { resolveRules } from './availability.ts';
import { occurrences, openSeasons, propose, seasonById, seasonOf, staffSeasons, weeklyTimeProblem, type SeasonRequest } from './seasons.ts';
import { localTime } from './time.ts';

const SPEC: SeasonSpec = {
  periods: [
    { id: 'spring', label: { sv: 'Våren', en: 'Spring' }, from: '01-11', to: '06-13', applyBy: '10-15' },
    { id: 'autumn', label: { sv: 'Hösten', en: 'Autumn' }, from: '08-16', to: '12-19', applyBy: '03-31' },
    { id: 'winter', label: { sv: 'Vintern', en: 'Winter' }, from: '11-01', to: '03-15', applyBy: '09-30' },
  ],
  allocatedState: 'allocated',
  refusedState: 'not_allocated',
};

test('a season of a year: one starting in January is applied for the autumn before; one over New Year ends the next year', () => {
  const spring = seasonOf(SPEC.periods[0]!, 2027);
  assert.deepEqual({ id: spring.id, from: spring.from, to: spring.to, applyBy: spring.applyBy }, { id: 'spring-2027', from: '2027-01-11', to: '2027-06-13', applyBy: '2026-10-15' });
  const winter = seasonOf(SPEC.periods[2]!, 2027);
  assert.deepEqual([winter.from, winter.to, winter.applyBy], ['2027-11-01', '2028-03-15', '2027-09-30']);
  assert.equal(seasonById(SPEC, 'autumn-2027')?.from, '2027-08-16');
  assert.equal(seasonById(SPEC, 'summer-2027'), undefined, 'a period the definition does not have');
  assert.equal(seasonById(SPEC, 'autumn'), undefined, 'no year');
});

test('the seasons open for applications on a day, and those staff work with', () => {
  // Open from 180 days before the last day to apply.
  assert.deepEqual(openSeasons(SPEC, '2026-12-06').map((s) => s.id), ['autumn-2027']);
  assert.deepEqual(openSeasons(SPEC, '2027-03-31').map((s) => s.id), ['autumn-2027'], 'the last day to apply is still open');
  assert.deepEqual(openSeasons(SPEC, '2027-04-01').map((s) => s.id), [], 'between application periods');
  assert.deepEqual(openSeasons(SPEC, '2027-05-01').map((s) => s.id), ['winter-2027', 'spring-2028']);
  assert.deepEqual(openSeasons(SPEC, '2027-04-17').map((s) => s.id), ['winter-2027'], 'spring 2028 opens on 18 April 2027');
  // Staff: those not yet ended, also the ones whose applications are closed (to allocate).
  assert.deepEqual(staffSeasons(SPEC, '2026-12-06').map((s) => s.id), ['autumn-2026', 'winter-2026', 'spring-2027', 'autumn-2027', 'winter-2027', 'spring-2028']);
});

const HALL = resolveRules({
  opening: { tue: [['16:00', '22:00']], sun: [['08:00', '20:00']] },
  exceptions: [{ from: '2027-10-31', reason: { sv: 'Allhelgona', en: 'All Saints' } }],
  bufferMinutes: 15,
});

test('a weekly time is within the opening hours that weekday, on the quarter hour, 30 minutes to the longest allowed', () => {
  const ok = { weekday: 'tue' as const, from: '18:00', to: '19:30' };
  assert.equal(weeklyTimeProblem({ rules: HALL }, ok, 180), undefined);
  assert.equal(weeklyTimeProblem({ rules: HALL }, { ...ok, weekday: 'mon' }, 180), 'closed');
  assert.equal(weeklyTimeProblem({ rules: HALL }, { ...ok, from: '15:30' }, 240), 'closed', 'starts before opening');
  assert.equal(weeklyTimeProblem({ rules: HALL }, { ...ok, from: '21:00', to: '22:15' }, 240), 'closed', 'ends after closing');
  assert.equal(weeklyTimeProblem({ rules: HALL }, { ...ok, from: '18:10' }, 180), 'notOnGrid');
  assert.equal(weeklyTimeProblem({ rules: HALL }, { ...ok, to: '18:15' }, 180), 'tooShort');
  assert.equal(weeklyTimeProblem({ rules: HALL }, { ...ok, to: '21:15' }, 180), 'tooLong');
  assert.equal(weeklyTimeProblem({ rules: HALL }, { ...ok, to: '17:00' }, 180), 'endBeforeStart');
  assert.equal(weeklyTimeProblem({ rules: HALL }, { ...ok, from: '25:00' }, 180), 'notATime');
  assert.equal(weeklyTimeProblem({ rules: HALL }, { ...ok, from: "18:00'; DROP TABLE bookings;--" }, 180), 'notATime');
});

test('a weekly time\'s dates in a season: each week\'s, a closed day skipped with its reason, the same wall-clock time across the change from summer time', () => {
  const dates = occurrences({ rules: HALL }, { from: '2027-10-16', to: '2027-11-14' }, { weekday: 'sun', from: '18:00', to: '19:30' });
  assert.deepEqual(dates.map((d) => d.date), ['2027-10-17', '2027-10-24', '2027-10-31', '2027-11-07', '2027-11-14']);
  const closed = dates.find((d) => d.date === '2027-10-31')!;
  assert.equal(closed.span, undefined);
  assert.deepEqual(closed.closed, { sv: 'Allhelgona', en: 'All Saints' });
  // Summer time ends on 31 October 2027: 18:00 is 16:00 UTC before, 17:00 UTC after.
  assert.equal(dates[1]!.span!.start.toISOString(), '2027-10-24T16:00:00.000Z');
  assert.equal(dates[3]!.span!.start.toISOString(), '2027-11-07T17:00:00.000Z');
  assert.ok(dates.filter((d) => d.span).every((d) => localTime(d.span!.start) === '18:00' && localTime(d.span!.end) === '19:30'));
  // And across its start (28 March 2027).
  const spring = occurrences({ rules: HALL }, { from: '2027-03-20', to: '2027-04-04' }, { weekday: 'sun', from: '10:00', to: '11:00' });
  assert.deepEqual(spring.map((d) => d.span!.start.toISOString()), ['2027-03-21T09:00:00.000Z', '2027-03-28T08:00:00.000Z', '2027-04-04T08:00:00.000Z']);
});

let n = 0;
function request(over: Partial<SeasonRequest>): SeasonRequest {
  n++;
  return {
    id: `r${n}`,
    caseId: `c${n}`,
    rank: 1,
    resource: 'sports/hall',
    weekday: 'tue',
    from: '18:00',
    to: '19:30',
    priority: 0,
    submittedAt: new Date(Date.UTC(2027, 0, 1, 0, n)),
    decision: null,
    outcome: null,
    booked: null,
    ownerId: null,
    customerType: 'association',
    organisationNumber: null,
    ...over,
  };
}
const states = (p: ReturnType<typeof propose>) => Object.fromEntries([...p].map(([id, x]) => [id, x.by ? `${x.state} by ${x.by}` : x.state]));
const buffer = () => 15;

test('the proposal: priority first, then who applied first; a time the buffer touches is contested; other times and resources are not', () => {
  const early = request({ id: 'early', priority: 1, submittedAt: new Date('2027-01-01T10:00:00Z') });
  const youth = request({ id: 'youth', priority: 0, submittedAt: new Date('2027-03-30T10:00:00Z'), from: '19:00', to: '20:00' });
  const touching = request({ id: 'touching', priority: 1, submittedAt: new Date('2027-01-02T10:00:00Z'), from: '20:00', to: '21:00' });
  const after = request({ id: 'after', priority: 1, submittedAt: new Date('2027-01-03T10:00:00Z'), from: '20:15', to: '21:00' });
  const otherDay = request({ id: 'otherDay', priority: 2, weekday: 'wed' });
  const otherHall = request({ id: 'otherHall', priority: 2, resource: 'sports/gym' });
  const p = propose([early, youth, touching, after, otherDay, otherHall], buffer);
  assert.deepEqual(states(p), {
    youth: 'given',
    early: 'refused by youth',
    // 20:00 is within youth's 15 minutes' buffer after 20:00.
    touching: 'refused by youth',
    after: 'given',
    otherDay: 'given',
    otherHall: 'given',
  });
});

test('the proposal: within one application its own order; with equal priority and time the earlier application', () => {
  const a1 = request({ id: 'a1', caseId: 'A', rank: 1, from: '18:00', to: '19:00', submittedAt: new Date('2027-01-01T10:00:00Z') });
  const a2 = request({ id: 'a2', caseId: 'A', rank: 2, from: '18:30', to: '19:30', submittedAt: new Date('2027-01-01T10:00:00Z') });
  const b1 = request({ id: 'b1', caseId: 'B', rank: 1, from: '20:00', to: '21:00', submittedAt: new Date('2027-01-01T10:00:00Z') });
  const c1 = request({ id: 'c1', caseId: 'C', rank: 1, from: '20:30', to: '21:30', submittedAt: new Date('2027-01-02T10:00:00Z') });
  assert.deepEqual(states(propose([c1, b1, a2, a1], buffer)), { a1: 'given', a2: 'refused by a1', b1: 'given', c1: 'refused by b1' });
  // Deterministic: the same requests in any order give the same proposal.
  assert.deepEqual(states(propose([a1, a2, b1, c1], buffer)), states(propose([c1, a2, b1, a1], buffer)));
});

test("staff's decisions: a refusal frees the time for the next; a grant goes first; two granted that overlap are in conflict", () => {
  const first = request({ id: 'first', submittedAt: new Date('2027-01-01T10:00:00Z') });
  const second = request({ id: 'second', submittedAt: new Date('2027-01-02T10:00:00Z') });
  assert.deepEqual(states(propose([first, second], buffer)), { first: 'given', second: 'refused by first' });
  assert.deepEqual(states(propose([{ ...first, decision: 'refused' }, second], buffer)), { first: 'refused', second: 'given' });
  assert.deepEqual(states(propose([first, { ...second, decision: 'given' }], buffer)), { second: 'given', first: 'refused by second' });
  const both = propose([{ ...first, decision: 'given' }, { ...second, decision: 'given' }], buffer);
  assert.deepEqual(states(both), { first: 'conflict by second', second: 'conflict by first' });
  assert.ok([...both.values()].every((x) => x.staff));
});
