/**
 * An error message about one answer, in a language: "Välj barn", "E-postadress har fel format".
 * The answer is named mid-sentence by the field's errorName, or by its label with the first
 * letter lower-cased (acronyms keep their capitals); a message that starts with the name starts
 * with a capital.
 */
import type { Field } from '../catalogue/types.ts';
import { formatDate, pick, translate, type Locale } from '../kernel/i18n/index.ts';
import './messages.ts';

function midSentence(label: string): string {
  // "Barn" → "barn", "E-postadress" → "e-postadress"; "SMS-nummer" and "BankID" keep their capitals.
  return /^\p{Lu}-?\p{Ll}/u.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
}

export function fieldErrorName(field: Field, locale: Locale): string {
  return field.errorName ? pick(field.errorName, locale) : midSentence(pick(field.label, locale));
}

/**
 * Dates in a message read as people write them ("23 mars 2027"), not as the form stores them; a
 * value "@message.key" is that message in the language (a weekday's name).
 */
function readable(vars: Record<string, string | number>, locale: Locale): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(vars)) {
    if (typeof v === 'string' && v.startsWith('@')) out[k] = translate(locale, v.slice(1));
    else out[k] = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDate(`${v}T12:00:00Z`, locale) : v;
  }
  return out;
}

export function fieldErrorMessage(locale: Locale, key: string, field: Field, vars: Record<string, string | number> = {}): string {
  const message = translate(locale, key, { label: fieldErrorName(field, locale), ...readable(vars, locale) });
  return message.charAt(0).toLocaleUpperCase(locale) + message.slice(1);
}
