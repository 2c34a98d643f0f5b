/**
 * An error message about one answer, in a language: "Välj barn", "E-postadress har fel format".
 * The answer is named mid-sentence by the field's errorName, or by its label with the first
 * letter lower-cased (acronyms keep their capitals); a message that starts with the name starts
 * with a capital.
 */
import type { Field } from '../catalogue/types.ts';
import { pick, translate, type Locale } from '../kernel/i18n/index.ts';
import './messages.ts';

function midSentence(label: string): string {
  return /^\p{Lu}\p{Ll}/u.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
}

export function fieldErrorName(field: Field, locale: Locale): string {
  return field.errorName ? pick(field.errorName, locale) : midSentence(pick(field.label, locale));
}

export function fieldErrorMessage(locale: Locale, key: string, field: Field, vars: Record<string, string | number> = {}): string {
  const message = translate(locale, key, { label: fieldErrorName(field, locale), ...vars });
  return message.charAt(0).toLocaleUpperCase(locale) + message.slice(1);
}
