/** A decision's amount (ADR 0030): typed with thousands separators, shown grouped in letters and on case pages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDecisionForm } from './decision-form.ts';
import { decisionFieldText } from '../documents/index.ts';
import { translator } from '../kernel/i18n/index.ts';
import type { DecisionType, ServiceDefinition } from '../catalogue/types.ts';
import type { Case } from './index.ts';
import './handler-messages.ts';

const type: DecisionType = {
  id: 'granted',
  title: { sv: 'Beviljad', en: 'Granted' },
  outcome: 'approved',
  fields: [{ id: 'amount', kind: 'amount', min: 1, max: 200000, label: { sv: 'Beviljat belopp (kronor)', en: 'Amount granted (SEK)' } } as DecisionType['fields'][number]],
  letter: { sv: 'Du beviljas {amount} kronor.', en: 'You are granted SEK {amount}.' },
};
const check = (amount: string, locale: 'sv' | 'en' = 'sv') =>
  checkDecisionForm(type, { amount }, { answers: {} } as unknown as Case, { today: '2026-11-23', t: translator(locale), locale, register: () => undefined });

test('a decision amount typed with thousands separators is read as whole kronor', () => {
  for (const typed of ['12500', '12 500', '12\u00a0500', '12,500', '12.500']) assert.deepEqual(check(typed), { values: { amount: '12500' }, errors: [] }, typed);
});

test('a decision amount with öre, wrong groups or outside its bounds is refused, the bound written grouped', () => {
  for (const typed of ['12,5', '12 500,50', '1,23,456', 'tolv', '-5']) assert.equal(check(typed).errors.length, 1, typed);
  assert.match(check('250 000').errors[0]!.message, /högst 200\u00a0000 kronor/);
  assert.match(check('250,000', 'en').errors[0]!.message, /at most 200,000 kronor/);
});

test('a decision amount is shown grouped in thousands, in letters and on case pages', () => {
  const ctx = { definition: {} as ServiceDefinition, register: () => undefined };
  assert.equal(decisionFieldText(ctx, type.fields[0]!, '12500', 'sv'), '12\u00a0500');
  assert.equal(decisionFieldText(ctx, type.fields[0]!, '12500', 'en'), '12,500');
  assert.equal(decisionFieldText(ctx, type.fields[0]!, '950', 'sv'), '950');
});
