import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeDefinition } from './overrides.ts';

const base = {
  id: 'svc',
  title: { sv: 'Titel', en: 'Title' },
  audience: ['eid', 'custodian'],
  form: {
    steps: [
      { id: 'a', title: 'A', fields: [{ id: 'x', kind: 'text' }, { id: 'y', kind: 'choice', choices: [{ value: 'p' }, { value: 'q' }] }] },
      { id: 'b', title: 'B', fields: [] },
    ],
  },
  workflow: { transitions: [{ from: ['s'], to: 't' }] },
};

test('objects merge recursively; scalars and plain lists replace; null removes a key', () => {
  const m = mergeDefinition(base, { title: { sv: 'Ny titel' }, audience: ['anyone'], workflow: { transitions: [] } });
  assert.deepEqual(m.problems, []);
  const v = m.value as typeof base;
  assert.deepEqual(v.title, { sv: 'Ny titel', en: 'Title' });
  assert.deepEqual(v.audience, ['anyone']);
  assert.deepEqual(v.workflow.transitions, [], 'a list without ids replaces');
  assert.equal(base.title.sv, 'Titel', 'the base is not modified');
  const removed = mergeDefinition(base, { title: { en: null } });
  assert.deepEqual((removed.value as typeof base).title, { sv: 'Titel' });
});

test('lists of items with an id merge by id: change, add, add after, remove; choices merge by value', () => {
  const m = mergeDefinition(base, {
    form: {
      steps: [
        { id: 'b', title: 'B2' },
        { id: 'c', title: 'C', fields: [] },
        { id: 'between', title: 'AB', fields: [], $after: 'a' },
        { id: 'a', fields: [{ id: 'x', $remove: true }, { id: 'y', choices: [{ value: 'q', label: 'Q' }, { value: 'r' }] }] },
      ],
    },
  });
  assert.deepEqual(m.problems, []);
  const steps = (m.value as typeof base).form.steps;
  assert.deepEqual(
    steps.map((s) => `${s.id}:${s.title}`),
    ['a:A', 'between:AB', 'b:B2', 'c:C'],
  );
  assert.deepEqual(steps[0]!.fields, [{ id: 'y', kind: 'choice', choices: [{ value: 'p' }, { value: 'q', label: 'Q' }, { value: 'r' }] }]);
  // Where each part of the merged result came from, for error messages.
  assert.deepEqual(m.originOf('/form/steps/0/fields/0/kind'), { side: 'base', pointer: '/form/steps/0/fields/1/kind' });
  assert.deepEqual(m.originOf('/form/steps/1/title'), { side: 'override', pointer: '/form/steps/2/title' });
  assert.deepEqual(m.originOf('/form/steps/2/title'), { side: 'override', pointer: '/form/steps/0/title', basePointer: '/form/steps/1/title' });
  assert.deepEqual(m.originOf('/form/steps/2/fields'), { side: 'base', pointer: '/form/steps/1/fields' });
  assert.deepEqual(m.originOf('/form/steps/0/fields/0/choices/2/value'), { side: 'override', pointer: '/form/steps/3/fields/1/choices/1/value' });
  assert.deepEqual(m.originOf('/id'), { side: 'base', pointer: '/id' });
});

test('hostile overrides: removing what is not there, a misplaced $after, an object onto a scalar, an item without its id', () => {
  const m = mergeDefinition(base, {
    nothing: null,
    id: { sv: 'x' },
    form: {
      steps: [
        { id: 'zz', $remove: true },
        { id: 'a', $remove: true, title: 'still here' },
        { id: 'n', title: 'N', fields: [], $after: 'nowhere' },
        { title: 'no id' },
        { id: 'b', title: 'once' },
        { id: 'b', title: 'twice' },
        { id: 'b2', $remove: 'yes' },
      ],
    },
  });
  assert.deepEqual(
    m.problems.map((p) => `${p.pointer}: ${p.message}`),
    [
      '/id: the shared definition has a string at /id; an override object can only merge into an object',
      '/form/steps/0: removes "zz", which the shared definition does not have at /form/steps',
      '/form/steps/1: removes "a" and also changes it (title): do one or the other',
      '/form/steps/2/$after: names no item of this list: "nowhere"',
      '/form/steps/3: the items of this list are matched by "id": each item of the override must name the id of the item it changes, adds or removes',
      '/form/steps/5: "b" is already changed at /form/steps/4',
      '/form/steps/6/$remove: must be true',
      '/nothing: removes "nothing", which the shared definition does not have at /',
    ],
  );
});

test('no override offers the base unchanged', () => {
  const m = mergeDefinition(base, null);
  assert.equal(m.value, base);
  assert.deepEqual(m.originOf('/form/steps/1'), { side: 'base', pointer: '/form/steps/1' });
});
