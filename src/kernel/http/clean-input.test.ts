import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../errors.ts';
import { cleanInput, MAX_INPUT_DEPTH, MAX_INPUT_VALUES } from './clean-input.ts';

const isBadRequest = (e: unknown) => e instanceof AppError && e.code === 'BAD_REQUEST';

test('NUL removed and lone surrogates replaced in every string and key, the shape and order kept', () => {
  const input = { 'a\u0000b': ['x\u0000', { y: 'e\uD800f', n: 1, t: true, z: null }], list: ['1', '2', '3'], __proto__x: 'ok' };
  const out = cleanInput(input);
  assert.deepEqual(out, { ab: ['x', { y: 'e\uFFFDf', n: 1, t: true, z: null }], list: ['1', '2', '3'], __proto__x: 'ok' });
  assert.deepEqual(Object.keys(out as object), ['ab', 'list', '__proto__x']);
  assert.equal((input as Record<string, unknown>)['a\u0000b'] !== undefined, true, 'the input is left as it was');
});

test('a key "__proto__" stays a plain property and changes no prototype', () => {
  const parsed = JSON.parse('{"__proto__": {"polluted": "yes"}, "a": "b"}') as object;
  const out = cleanInput(parsed) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.equal((out as { polluted?: unknown }).polluted, undefined);
  assert.deepEqual(Object.getOwnPropertyDescriptor(out, '__proto__')?.value, { polluted: 'yes' });
});

test('nesting 5,000 levels deep is a bad request, not a stack overflow', () => {
  const deepObject = JSON.parse('{"a":'.repeat(5000) + '"x"' + '}'.repeat(5000));
  const deepArray = JSON.parse('['.repeat(5000) + ']'.repeat(5000));
  assert.throws(() => cleanInput(deepObject), isBadRequest);
  assert.throws(() => cleanInput(deepArray), isBadRequest);
  // The bound itself: MAX_INPUT_DEPTH levels of containers are taken, one more is not.
  const nest = (levels: number) => JSON.parse('['.repeat(levels) + ']'.repeat(levels));
  assert.doesNotThrow(() => cleanInput(nest(MAX_INPUT_DEPTH)));
  assert.throws(() => cleanInput(nest(MAX_INPUT_DEPTH + 1)), isBadRequest);
});

test('more values than MAX_INPUT_VALUES is a bad request', () => {
  assert.doesNotThrow(() => cleanInput(Array.from({ length: MAX_INPUT_VALUES - 1 }, () => 'v')));
  assert.throws(() => cleanInput(Array.from({ length: MAX_INPUT_VALUES }, () => 'v')), isBadRequest);
  assert.throws(() => cleanInput(Object.fromEntries(Array.from({ length: MAX_INPUT_VALUES }, (_, i) => [`k${i}`, i]))), isBadRequest);
});

test('buffers and other values pass as they are', () => {
  const buf = Buffer.from('a\u0000b');
  const out = cleanInput({ buf, n: 12, b: false }) as { buf: Buffer };
  assert.equal(out.buf, buf);
  assert.equal(cleanInput('a\u0000'), 'a');
  assert.equal(cleanInput(undefined), undefined);
});

test('input with nothing to clean comes back as it is; one value to clean anywhere makes a cleaned copy', () => {
  const clean = { a: 'b', list: ['1', '2'], nested: { n: 1, deeper: [{ x: 'y' }] } };
  assert.equal(cleanInput(clean), clean, 'the same object: nothing copied');
  const dirtyDeep = { a: 'b', nested: { deeper: [{ x: 'y\u0000' }] } };
  const out = cleanInput(dirtyDeep) as typeof dirtyDeep;
  assert.notEqual(out, dirtyDeep);
  assert.equal(out.nested.deeper[0]!.x, 'y');
  assert.equal(dirtyDeep.nested.deeper[0]!.x, 'y\u0000', 'the input is left as it was');
  const dirtyKey = { ['k\uDC00']: 'v' };
  assert.deepEqual(Object.keys(cleanInput(dirtyKey) as object), ['k\uFFFD']);
});
