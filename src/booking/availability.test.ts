import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availability, nearestFree, occupying, requestProblem, resolveRules, slotsOn, type Span } from './availability.ts';
import { instantOf, localTime } from './time.ts';
import type { OpeningHours } from '../catalogue/types.ts';

const every = (from: string, to: string): OpeningHours => Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [[from, to]]]));
const at = (date: string, time: string) => instantOf(date, time);
const span = (date: string, from: string, to: string): Span => ({ start: at(date, from), end: at(date, to) });
const times = (slots: Span[]) => slots.map((s) => localTime(s.start));

// Summer time starts 2027-03-28 (02:00 → 03:00) and ends 2027-10-31 (03:00 → 02:00) in Sweden.
test('a resource open round the clock has 23 hourly slots the day summer time starts and 25 the day it ends', () => {
  const rules = resolveRules({ opening: every('00:00', '24:00'), slotMinutes: 60 });
  const spring = slotsOn(rules, '2027-03-28');
  assert.equal(spring.length, 23);
  assert.deepEqual(times(spring).slice(0, 4), ['00:00', '01:00', '03:00', '04:00'], 'no 02:00 that day');
  assert.equal(slotsOn(rules, '2027-03-27').length, 24);
  const autumn = slotsOn(rules, '2027-10-31');
  assert.equal(autumn.length, 25);
  assert.deepEqual(times(autumn).slice(0, 5), ['00:00', '01:00', '02:00', '02:00', '03:00'], '02:00 twice that day');
  // Each slot is an hour of real time, end to end.
  for (const day of [spring, autumn]) for (const s of day) assert.equal(s.end.getTime() - s.start.getTime(), 3_600_000);
  for (let i = 1; i < autumn.length; i++) assert.equal(autumn[i]!.start.getTime(), autumn[i - 1]!.end.getTime());
});

test('opening hours are local time on both sides of the change: 07:00 is 05:00 UTC in summer and 06:00 in winter', () => {
  const rules = resolveRules({ opening: every('07:00', '22:00'), slotMinutes: 60 });
  for (const [date, utc] of [['2027-03-27', '06:00'], ['2027-03-28', '05:00'], ['2027-10-30', '05:00'], ['2027-10-31', '06:00']] as const) {
    const slots = slotsOn(rules, date);
    assert.equal(slots.length, 15, date);
    assert.equal(slots[0]!.start.toISOString().slice(11, 16), utc, date);
    assert.equal(localTime(slots.at(-1)!.start), '21:00', date);
  }
});

test('fixed slots leave the buffer between them; a booking blocks the slots its buffer reaches into', () => {
  const rules = resolveRules({ opening: every('08:00', '12:00'), slotMinutes: 45, bufferMinutes: 15 });
  assert.deepEqual(times(slotsOn(rules, '2027-05-04')), ['08:00', '09:00', '10:00', '11:00']);
  const free = resolveRules({ opening: every('08:00', '12:00'), minMinutes: 60, maxMinutes: 120, stepMinutes: 30, bufferMinutes: 15 });
  const held = [occupying(free, span('2027-05-04', '09:00', '10:00'))];
  assert.deepEqual(held[0], span('2027-05-04', '09:00', '10:15'));
  const [day] = availability(free, ['2027-05-04'], held, at('2027-05-01', '12:00'));
  const state = Object.fromEntries(day!.slots.map((s) => [localTime(s.start), s.state]));
  // 08:00–09:00 would need until 09:15 and 10:00–11:00 starts inside the buffer; 10:30 is free again.
  assert.deepEqual(state, { '08:00': 'taken', '08:30': 'taken', '09:00': 'taken', '09:30': 'taken', '10:00': 'taken', '10:30': 'free', '11:00': 'free' });
});

test('an exception closes a date with its reason, or opens it other hours; notice and horizon are kept', () => {
  const rules = resolveRules({
    opening: every('08:00', '20:00'),
    slotMinutes: 60,
    noticeHours: 24,
    horizonDays: 30,
    exceptions: [
      { from: '2027-12-24', to: '2027-12-26', reason: { sv: 'Julhelg', en: 'Christmas' } },
      { from: '2027-12-31', hours: [['10:00', '14:00']] },
    ],
  });
  const now = at('2027-12-20', '09:30');
  const days = availability(rules, ['2027-12-20', '2027-12-21', '2027-12-24', '2027-12-31', '2028-01-20'], [], now);
  assert.ok(days[0]!.slots.every((s) => s.state === 'tooSoon'), 'inside the notice');
  assert.equal(days[1]!.slots.find((s) => localTime(s.start) === '09:00')!.state, 'tooSoon');
  assert.equal(days[1]!.slots.find((s) => localTime(s.start) === '10:00')!.state, 'free', 'exactly 24 hours ahead');
  assert.deepEqual(days[2]!.slots, []);
  assert.deepEqual(days[2]!.closedBecause, { sv: 'Julhelg', en: 'Christmas' });
  assert.deepEqual(times(days[3]!.slots), ['10:00', '11:00', '12:00', '13:00']);
  assert.ok(days[4]!.slots.every((s) => s.state === 'tooFarAhead'), 'past the horizon');
});

test('a requested time must follow the rules: open, on a slot, long enough and not too long, in time', () => {
  const now = at('2027-05-01', '12:00');
  const fixed = resolveRules({ opening: { tue: [['08:00', '12:00']] }, slotMinutes: 60 });
  assert.equal(requestProblem(fixed, span('2027-05-04', '09:00', '10:00'), now), undefined);
  assert.equal(requestProblem(fixed, span('2027-05-04', '09:30', '10:30'), now), 'notASlot');
  assert.equal(requestProblem(fixed, span('2027-05-04', '09:00', '11:00'), now), 'notASlot');
  assert.equal(requestProblem(fixed, span('2027-05-05', '09:00', '10:00'), now), 'closed', 'a Wednesday');
  assert.equal(requestProblem(fixed, span('2027-05-04', '11:30', '12:30'), now), 'notASlot', 'runs past closing');
  const free = resolveRules({ opening: { tue: [['08:00', '22:00']] }, minMinutes: 60, maxMinutes: 180, stepMinutes: 30 });
  assert.equal(requestProblem(free, span('2027-05-04', '18:30', '21:00'), now), undefined);
  assert.equal(requestProblem(free, span('2027-05-04', '18:30', '19:00'), now), 'tooShort');
  assert.equal(requestProblem(free, span('2027-05-04', '08:00', '12:00'), now), 'tooLong');
  assert.equal(requestProblem(free, span('2027-05-04', '18:15', '19:15'), now), 'notASlot');
  assert.equal(requestProblem(resolveRules({ opening: { tue: [['08:00', '22:00']] }, minMinutes: 60, maxMinutes: 180, stepMinutes: 30, noticeHours: 2 }), span('2027-05-04', '18:30', '21:00'), at('2027-05-04', '17:00')), 'tooSoon', 'inside the notice');
  assert.equal(requestProblem(free, span('2027-05-04', '18:30', '21:00'), at('2027-05-04', '19:00')), 'past', 'begun already');
  // A listed start with a length that runs past closing: said as such.
  assert.equal(requestProblem(free, span('2027-05-04', '21:00', '23:00'), now), 'pastClosing');
  assert.equal(requestProblem(free, span('2027-05-04', '21:15', '22:15'), now), 'notASlot', 'off the half-hour steps');
});

test('when a time is taken, the nearest free ones are offered (a tie goes to the earlier), in time order', () => {
  const rules = resolveRules({ opening: every('16:00', '20:00'), slotMinutes: 60 });
  const held = ['16:00', '17:00', '18:00'].map((t) => span('2027-05-04', t, `${Number(t.slice(0, 2)) + 1}:00`));
  const offered = nearestFree(rules, ['2027-05-03', '2027-05-04', '2027-05-05'], held, at('2027-05-01', '12:00'), at('2027-05-04', '17:00'));
  assert.deepEqual(
    offered.map((s) => s.start),
    // 2, 22 and 23 hours away; the next day's 16:00 is 23 hours away too, but later.
    [at('2027-05-03', '18:00'), at('2027-05-03', '19:00'), at('2027-05-04', '19:00')],
  );
});
