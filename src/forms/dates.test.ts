import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addMonths, ageOn, isIsoDate, normaliseTypedDate, stockholmToday } from './dates.ts';
import { evaluate } from './conditions.ts';

test('today is counted in Stockholm, not UTC', () => {
  assert.equal(stockholmToday(new Date('2026-11-23T22:59:00Z')), '2026-11-23');
  assert.equal(stockholmToday(new Date('2026-11-23T23:00:00Z')), '2026-11-24');
  // Summer time: UTC+2.
  assert.equal(stockholmToday(new Date('2026-06-30T22:30:00Z')), '2026-07-01');
  // Remembered by the minute: the last second before midnight and midnight itself still differ.
  assert.equal(stockholmToday(new Date('2026-11-23T22:59:59.999Z')), '2026-11-23');
  assert.equal(stockholmToday(new Date('2026-11-23T22:59:00.000Z')), '2026-11-23');
  assert.equal(stockholmToday(new Date('2026-11-23T23:00:00.000Z')), '2026-11-24');
  assert.equal(stockholmToday(new Date('2026-11-23T22:59:30.000Z')), '2026-11-23');
});

test('adding months clamps to the end of a short month', () => {
  assert.equal(addMonths('2026-11-23', 4), '2027-03-23');
  assert.equal(addMonths('2026-10-31', 4), '2027-02-28');
  assert.equal(addMonths('2027-10-31', 4), '2028-02-29');
  assert.equal(addMonths('2026-01-15', -2), '2025-11-15');
  assert.equal(addMonths('2026-12-01', 1), '2027-01-01');
});

test('only real calendar dates are dates', () => {
  for (const ok of ['2027-02-28', '2028-02-29']) assert.ok(isIsoDate(ok), ok);
  for (const bad of ['2027-02-29', '2027-13-01', '27-01-01', '2027-1-1', '2027-01-01T00:00', '', '<script>']) assert.ok(!isIsoDate(bad), bad);
});

test('a typed date is read in the unambiguous ways people write it, and otherwise kept as typed', () => {
  for (const [typed, iso] of [['2027-03-05', '2027-03-05'], ['20270305', '2027-03-05'], ['2027/3/5', '2027-03-05'], ['2027.03.05', '2027-03-05'], ['5/3/2027', '2027-03-05'], ['05.03.2027', '2027-03-05'], ['5-3-2027', '2027-03-05']] as [string, string][]) {
    assert.equal(normaliseTypedDate(typed), iso, typed);
  }
  // Mixed separators, two-digit years, words, and month-first dates are not guessed at.
  for (const kept of ['2027-03/05', '3/22/2027', '2027-13-01', '5/3/27', '5 mars 2027', '2027035', '<script>', '']) assert.equal(normaliseTypedDate(kept), kept.trim(), kept);
});

test('age in whole years', () => {
  assert.equal(ageOn('2021-11-24', '2026-11-23'), 4);
  assert.equal(ageOn('2021-11-23', '2026-11-23'), 5);
});

test('conditions', () => {
  const a = { specialNeeds: 'yes', startDate: '2027-01-10', list: ['a'] };
  const today = '2026-11-23';
  assert.equal(evaluate({ field: 'specialNeeds', equals: 'yes' }, a, today), true);
  assert.equal(evaluate({ field: 'specialNeeds', notEquals: 'yes' }, a, today), false);
  assert.equal(evaluate({ field: 'startDate', beforeMonthsFromToday: 4 }, a, today), true);
  assert.equal(evaluate({ field: 'startDate', beforeMonthsFromToday: 4 }, { startDate: '2027-03-23' }, today), false);
  assert.equal(evaluate({ field: 'startDate', beforeMonthsFromToday: 4 }, { startDate: 'garbage' }, today), false);
  assert.equal(evaluate({ all: [{ field: 'specialNeeds', equals: 'yes' }, { not: { field: 'list', answered: false } }] }, a, today), true);
  assert.equal(evaluate({ any: [{ field: 'x', in: ['1'] }, { field: 'specialNeeds', in: ['no'] }] }, a, today), false);
});
