/** Numbers and amounts as people read and write them (ADR 0030). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatKronor, formatNumber, readNumber } from './numbers.ts';

test('amounts are shown grouped in thousands: "12 500 kr" with no-break spaces, "SEK 12,500"', () => {
  assert.equal(formatKronor(1_250_000, 'sv'), '12\u00a0500\u00a0kr');
  assert.equal(formatKronor(1_250_000, 'en'), 'SEK\u00a012,500');
  assert.equal(formatKronor(1_250_050, 'sv'), '12\u00a0500,50\u00a0kr');
  assert.equal(formatKronor(1_250_050, 'en'), 'SEK\u00a012,500.50');
  assert.equal(formatKronor(50_000, 'sv'), '500\u00a0kr');
  assert.equal(formatNumber(1_234_567.5, 'sv'), '1\u00a0234\u00a0567,5');
  assert.equal(formatNumber(1_234_567.5, 'en'), '1,234,567.5');
});

test('typed amounts: spaces of every kind, and a comma or full stop as the thousands separator where it cannot be a decimal', () => {
  const kronor = (s: string) => readNumber(s, 2);
  for (const typed of ['12500', '12 500', '12\u00a0500', '12\u202f500', '12,500', '12.500', ' 12 500 ']) assert.deepEqual(kronor(typed), { value: 12500 }, typed);
  for (const typed of ['12 500,50', '12.500,50', '12,500.50', '12500,5', '12500.50']) assert.equal((kronor(typed) as { value: number }).value, 12500.5, typed);
  assert.deepEqual(kronor('1,234,567'), { value: 1234567 });
  assert.deepEqual(kronor('1.234.567,89'), { value: 1234567.89 });
  assert.deepEqual(kronor('−25'), { value: -25 });
  assert.deepEqual(kronor('0,500'), { problem: 'invalid' }, 'three decimals of a krona');
});

test('typed numbers that mean two things, or nothing, are refused and never guessed', () => {
  // Where decimals are allowed "12,500" is twelve and a half in Swedish, twelve thousand five hundred in English.
  assert.deepEqual(readNumber('12,500', 10), { problem: 'ambiguous' });
  assert.deepEqual(readNumber('1.500', 10), { problem: 'ambiguous' });
  assert.deepEqual(readNumber('12,5', 10), { value: 12.5 });
  assert.deepEqual(readNumber('0,500', 10), { value: 0.5 }, 'a leading zero is no thousands group');
  assert.deepEqual(readNumber('12,500', 0), { value: 12500 }, 'a whole number has no decimals to mistake');
  assert.deepEqual(readNumber('12,5', 0), { problem: 'invalid' });
  for (const typed of ['12,50,0', '1,23,456', '12.500.5', '1.234,5.6', '12,500,5', '12,', '12.', ',', '1,2,3', 'tolv', '12 kr', '1e5', '--5', '']) {
    assert.ok('problem' in readNumber(typed, 2), typed);
  }
});
