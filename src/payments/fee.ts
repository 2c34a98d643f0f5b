/**
 * A service's fee for a set of answers, in öre. The amount is a number of kronor or a JSON Logic
 * expression over the answers. Evaluated here, behind this one function, with json-logic-js
 * directly; when the shared expression module (src/expressions) is merged, this is the one place
 * to switch to it.
 */
import { COMPUTED_KEY, evaluate as evaluateExpression, expressionData, type Expression } from '../expressions/index.ts';
import type { Answers } from '../forms/conditions.ts';
import { stockholmToday } from '../forms/dates.ts';
import type { Fee } from '../catalogue/types.ts';
import { formatKronor, readNumber } from '../kernel/i18n/numbers.ts';

export class FeeError extends Error {}

/** Evaluates a JSON Logic expression against data (the one call to switch to src/expressions). */
function evaluate(expression: Expression, answers: Record<string, unknown>, today: string): unknown {
  const computed = (answers[COMPUTED_KEY] ?? {}) as Record<string, unknown>;
  return evaluateExpression(expression, expressionData(answers as Answers, computed), { today });
}

/**
 * The fee in whole öre for these answers (rounded to the öre); 0 means nothing to pay. Throws
 * FeeError when the expression gives no amount (not a finite number, negative): a definition
 * error, never the applicant's, so it is not shown as a validation message.
 */
export function feeAmountOre(fee: Fee, answers: Record<string, unknown>, today: string = stockholmToday(new Date())): number {
  // Only invoiced on a decision (ADR 0034): nothing to pay when applying.
  if (fee.amount === undefined) return 0;
  const kronor = typeof fee.amount === 'number' ? fee.amount : evaluate(fee.amount, answers, today);
  const value = typeof kronor === 'string' && kronor.trim() !== '' ? Number(kronor) : kronor;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1_000_000) {
    throw new FeeError(`the fee expression gave ${JSON.stringify(kronor)}, not an amount of kronor between 0 and 1 000 000`);
  }
  return Math.round(value * 100);
}

/** "1 234,50 kr" / "SEK 1,234.50": grouped in thousands, whole kronor without decimals (kernel/i18n/numbers.ts). */
export function formatAmount(ore: number, locale: 'sv' | 'en'): string {
  return formatKronor(ore, locale);
}

/**
 * Reads an amount typed in kronor ("150", "150,50", "1 234.5", "12,500", "12.500,50", with "kr" or
 * "SEK" around it) as öre; undefined unless it is one, between 0 and 9 999 999,99 kronor.
 */
export function parseKronor(text: string): number | undefined {
  const t = text.trim().replace(/^sek\s*/i, '').replace(/\s*(kr|sek)$/i, '');
  const r = readNumber(t, 2);
  if (!('value' in r) || r.value < 0 || r.value >= 10_000_000) return undefined;
  return Math.round(r.value * 100);
}
