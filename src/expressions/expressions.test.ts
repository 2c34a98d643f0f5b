import { test } from 'node:test';
import assert from 'node:assert/strict';
import table from './cases.json' with { type: 'json' };
import {
  browserBundle,
  computeValues,
  type ComputedValue,
  evaluate,
  expressionData,
  holds,
  normaliseCondition,
  validateExpression,
  variablesOf,
  type Expression,
  type LegacyCondition,
} from './index.ts';

const DEFAULT_TODAY = '2026-11-23';

test('the table of cases, on the server', () => {
  assert.ok(table.cases.length >= 40);
  for (const row of table.cases) {
    const today = (row as { today?: string }).today ?? DEFAULT_TODAY;
    const got = evaluate(row.expression as unknown as Expression, row.data as Record<string, unknown>, { today });
    assert.deepEqual(got, row.expected, `${row.name}: got ${JSON.stringify(got)}`);
  }
});

test('legacy conditions become JSON Logic; JSON Logic passes through unchanged', () => {
  const legacy: LegacyCondition = { all: [{ field: 'a', equals: 'yes' }, { not: { field: 'd', beforeMonthsFromToday: 4 } }] };
  assert.deepEqual(normaliseCondition(legacy), {
    and: [{ has: [{ var: 'a' }, 'yes'] }, { '!': { before: [{ var: 'd' }, { addMonths: [{ today: [] }, 4] }] } }],
  });
  // JSON Logic's own "all" (a list and a test) is not mistaken for the legacy one.
  const jl: Expression = { all: [{ var: 'people' }, { answered: { var: 'name' } }] };
  assert.equal(normaliseCondition(jl), jl);
  for (const e of [normaliseCondition(legacy), jl]) assert.deepEqual(validateExpression(e), []);
});

test('holds is JSON Logic truthiness: an empty list is false', () => {
  assert.equal(holds({ var: 'x' }, { x: [] }, { today: DEFAULT_TODAY }), false);
  assert.equal(holds({ var: 'x' }, { x: ['a'] }, { today: DEFAULT_TODAY }), true);
});

test('variablesOf names the answers read, not what list items carry', () => {
  const e: Expression = {
    and: [
      { after: [{ var: 'endDate' }, { var: 'startDate' }] },
      { some: [{ var: 'people' }, { '===': [{ var: 'role' }, 'owner'] }] },
      { '>': [{ reduce: [{ var: 'items' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, { var: 'start' }] }, { var: '$computed.fee' }] },
      { missing: ['email'] },
    ],
  };
  assert.deepEqual(variablesOf(e).sort(), ['$computed.fee', 'email', 'endDate', 'items', 'people', 'start', 'startDate']);
  assert.deepEqual(variablesOf({ field: 'careTimes', in: ['a'] }), ['careTimes']);
});

test('validateExpression refuses what would fail at runtime, with a JSON path', () => {
  assert.deepEqual(validateExpression({ and: [{ var: 'a' }, { eval: ['x'] }] }).map((p) => p.path), ['/and/1/eval']);
  assert.match(validateExpression({ log: 'x' })[0]!.message, /unknown operation "log"/);
  assert.match(validateExpression({ 'has.x': [1] })[0]!.message, /unknown operation/);
  assert.match(validateExpression({ a: 1, b: 2 })[0]!.message, /exactly one key/);
  assert.match(validateExpression({ before: [{ var: 'a' }] })[0]!.message, /takes 2 arguments, not 1/);
  assert.match(validateExpression({ var: { cat: ['a', 'b'] } })[0]!.message, /directly/);
  assert.match(validateExpression({ var: '' })[0]!.message, /must name an answer/);
  // An empty name is the list item itself inside map/filter/…: allowed there.
  assert.deepEqual(validateExpression({ filter: [{ var: 'xs' }, { answered: { var: '' } }] }), []);
  assert.deepEqual(validateExpression({ today: [] }), []);
  assert.match(validateExpression({ today: [1] })[0]!.message, /takes 0 arguments/);
});

test('computeValues: in order, each may use those before it; bad numbers are null', () => {
  const def: { computed: ComputedValue[] } = {
    computed: [
      { id: 'weeklyHours', expression: { weeklyHours: { var: 'schedule' } } },
      { id: 'fullTime', expression: { '>=': [{ var: '$computed.weeklyHours' }, 40] } },
      { id: 'ratio', expression: { '/': [1, 0] } },
    ],
  };
  const answers = { schedule: [1, 2, 3, 4, 5].map(() => ({ day: 'x', from: '08:00', to: '16:00' })) };
  assert.deepEqual(computeValues(def, answers, { today: DEFAULT_TODAY }), { weeklyHours: 40, fullTime: true, ratio: null });
  assert.deepEqual(computeValues({}, answers, { today: DEFAULT_TODAY }), {});
});

test('the browser bundle carries no eval or new Function (the CSP has no unsafe-eval)', () => {
  const js = browserBundle();
  assert.ok(js.includes('medborgExpressions'));
  assert.doesNotMatch(js, /\beval\s*\(|new\s+Function\b|\bFunction\s*\(/);
});

test('expressionData: the answers beside $computed, a key "__proto__" kept as a key and no prototype changed', () => {
  const answers = JSON.parse('{"__proto__": {"polluted": "yes"}, "a": 2}') as Record<string, unknown>;
  const data = expressionData(answers, { total: 4 });
  assert.deepEqual(Object.keys(data), ['__proto__', 'a', '$computed']);
  assert.equal((data as { polluted?: unknown }).polluted, undefined);
  assert.equal(evaluate({ var: 'a' }, data, { today: DEFAULT_TODAY }), 2);
  assert.equal(evaluate({ var: '$computed.total' }, data, { today: DEFAULT_TODAY }), 4);
  assert.equal(evaluate({ var: 'toString' }, data, { today: DEFAULT_TODAY }), null, 'nothing inherited is an answer');
  assert.equal(Object.keys(answers).length, 2, 'the answers are left as they were');
});
