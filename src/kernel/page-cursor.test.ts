import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from './errors.ts';
import { decodePageCursor, encodePageCursor } from './page-cursor.ts';

const ID = '0190b3c4-0000-7000-8000-000000000000';
const b64 = (s: string) => Buffer.from(s).toString('base64url');

test('a cursor survives the round trip; none means the first page', () => {
  const c = { at: new Date('2026-11-23T10:00:00.123Z'), id: ID };
  assert.deepEqual(decodePageCursor(encodePageCursor(c)), c);
  assert.equal(decodePageCursor(undefined), undefined);
  assert.equal(decodePageCursor(''), undefined);
});

test('anything else is PAGE_CURSOR_INVALID, never passed on', () => {
  const bad: unknown[] = [
    'not base64!',
    '%%%',
    b64('garbage'),
    b64(`2026-01-01T00:00:00.000Z|${'-'.repeat(36)}`),
    b64('2026-01-01T00:00:00.000Z|0190b3c4-0000-7000-8000-00000000000g'),
    b64(`2026-01-01T00:00:00.000Z|${ID.toUpperCase()}x`),
    b64(`+275760-09-13T00:00:00.000Z|${ID}`),
    b64(`-271821-04-20T00:00:00.000Z|${ID}`),
    b64(`0000-01-01T00:00:00.000Z|${ID}`),
    b64(`2026-02-30T00:00:00.000Z|${ID}`),
    b64(`2026-01-01|${ID}`),
    b64(`2026-01-01T00:00:00.000+01:00|${ID}`),
    b64(`Thu, 01 Jan 2026 00:00:00 GMT|${ID}`),
    b64(`2026-01-01T00:00:00.000Z|${ID}|extra`),
    b64(`2026-01-01T00:00:00.000Z`),
    b64(`2026-01-01T00:00:00.000Z|${ID}\u0000`),
    'A'.repeat(201),
    ['a', 'b'],
    { at: 1 },
    42,
  ];
  for (const value of bad) {
    assert.throws(() => decodePageCursor(value), (e: unknown) => e instanceof AppError && e.code === 'PAGE_CURSOR_INVALID' && e.status === 400, JSON.stringify(value));
  }
});
