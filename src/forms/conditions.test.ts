import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Field, Step } from '../catalogue/types.ts';
import { conditionHolds, fieldsOf } from './conditions.ts';
import { dependsOnSameStep, isShown } from './validator.ts';

const today = '2026-11-23';
const def = {
  computed: [
    { id: 'hours', expression: { weeklyHours: { var: 'schedule' } } },
    { id: 'long', expression: { '>': [{ var: '$computed.hours' }, { number: { var: 'limit' } }] } },
  ],
};

test('fieldsOf: legacy and JSON Logic conditions, computed values by the fields they read', () => {
  assert.deepEqual(fieldsOf({ all: [{ field: 'a', equals: 'yes' }, { not: { field: 'b', answered: true } }] }), ['a', 'b']);
  assert.deepEqual(fieldsOf({ in: ['x', { var: 'careTimes' }] }), ['careTimes']);
  assert.deepEqual(fieldsOf({ var: 'people.0.name' }), ['people']);
  assert.deepEqual(fieldsOf({ var: '$computed.long' }, def).sort(), ['limit', 'schedule']);
});

test('conditionHolds reads computed values when given the definition', () => {
  const schedule = [{ day: 'mon', from: '08:00', to: '18:00' }];
  assert.equal(conditionHolds({ var: '$computed.long' }, { schedule: schedule as unknown as string[], limit: '9' }, today, def), true);
  assert.equal(conditionHolds({ var: '$computed.long' }, { schedule: schedule as unknown as string[], limit: '10' }, today, def), false);
});

test('a field shown by a multiple-choice answer is shown when the value is among those chosen (the old server never showed it)', () => {
  const times: Field = { id: 'careTimes', kind: 'multiChoice', label: { sv: 'T', en: 'T' }, choices: [{ value: 'day', label: { sv: 'D', en: 'D' } }, { value: 'evening', label: { sv: 'K', en: 'E' } }] };
  const reason: Field = { id: 'reason', kind: 'longText', label: { sv: 'R', en: 'R' }, when: { field: 'careTimes', in: ['evening'] } };
  const step: Step = { id: 's', title: { sv: 'S', en: 'S' }, fields: [times, reason] };
  assert.equal(isShown(reason, step, { careTimes: ['day', 'evening'] }, today), true);
  assert.equal(isShown(reason, step, { careTimes: ['day'] }, today), false);
  assert.equal(isShown(reason, step, {}, today), false);
  assert.equal(dependsOnSameStep(reason, step), true);
  assert.equal(dependsOnSameStep(times, step), false);
});
