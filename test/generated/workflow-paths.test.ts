import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planWalks, shortestWalkToEachFinal, type WorkflowGraph } from './workflow-paths.ts';

// Today's pre-school workflow, as its transitions read.
const PRESCHOOL: WorkflowGraph = {
  initial: 'submitted',
  finals: ['decided', 'withdrawn'],
  edges: [
    { action: 'assign', from: 'submitted', to: 'in_progress' },
    { action: 'start', from: 'submitted', to: 'in_progress' },
    { action: 'requestSupplement', from: 'submitted', to: 'awaiting_supplement' },
    { action: 'requestSupplement', from: 'in_progress', to: 'awaiting_supplement' },
    { action: 'supplementReceived', from: 'awaiting_supplement', to: 'in_progress' },
    { action: 'decide', from: 'submitted', to: 'decided' },
    { action: 'decide', from: 'in_progress', to: 'decided' },
    { action: 'decide', from: 'awaiting_supplement', to: 'decided' },
    { action: 'withdraw', from: 'submitted', to: 'withdrawn' },
    { action: 'withdraw', from: 'in_progress', to: 'withdrawn' },
    { action: 'withdraw', from: 'awaiting_supplement', to: 'withdrawn' },
  ],
};

const walkText = (w: { action: string; to: string }[]) => w.map((e) => `${e.action}>${e.to}`).join(' ');

test('every action from every state is taken, each walk ends in a final state, loops once', () => {
  const { walks, problems } = planWalks(PRESCHOOL);
  assert.deepEqual(problems, []);
  const taken = new Set(walks.flat().map((e) => `${e.from}/${e.action}`));
  for (const e of PRESCHOOL.edges) assert.ok(taken.has(`${e.from}/${e.action}`), `${e.from}/${e.action} is taken`);
  for (const w of walks) {
    assert.equal(w[0]!.from, 'submitted');
    assert.ok(PRESCHOOL.finals.includes(w.at(-1)!.to), walkText(w));
    for (let i = 1; i < w.length; i++) assert.equal(w[i]!.from, w[i - 1]!.to, 'a walk is connected');
    // The supplement loop is gone round at most once per walk.
    assert.ok(w.filter((e) => e.action === 'supplementReceived').length <= 1, walkText(w));
  }
  assert.deepEqual(walks.map(walkText), [
    'assign>in_progress decide>decided',
    'start>in_progress decide>decided',
    'requestSupplement>awaiting_supplement decide>decided',
    'assign>in_progress requestSupplement>awaiting_supplement decide>decided',
    'requestSupplement>awaiting_supplement supplementReceived>in_progress decide>decided',
    'decide>decided',
    'withdraw>withdrawn',
    'assign>in_progress withdraw>withdrawn',
    'requestSupplement>awaiting_supplement withdraw>withdrawn',
  ]);
});

test('an action from a state nothing leads to, or into a state nothing leaves, is reported, not walked', () => {
  const broken: WorkflowGraph = {
    initial: 'a',
    finals: ['done'],
    edges: [
      { action: 'go', from: 'a', to: 'done' },
      { action: 'orphan', from: 'nowhere', to: 'done' },
      { action: 'trap', from: 'a', to: 'stuck' },
    ],
  };
  const { walks, problems } = planWalks(broken);
  assert.deepEqual(walks.map(walkText), ['go>done']);
  assert.deepEqual(problems, [
    { action: 'orphan', from: 'nowhere', reason: 'unreachable' },
    { action: 'trap', from: 'a', reason: 'dead-end' },
  ]);
});

test('one shortest walk per final state (the PostgreSQL run)', () => {
  assert.deepEqual(shortestWalkToEachFinal(PRESCHOOL).map(walkText), ['decide>decided', 'withdraw>withdrawn']);
});
