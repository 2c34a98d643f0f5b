/**
 * An error message about one answer, in a language: "Välj barn", "E-postadress har fel format".
 * A definition may word a field's message itself, per error (`errors: { required: { sv, en } }`);
 * otherwise the engine's message names the answer mid-sentence by the field's errorName, or by its
 * label with the first letter lower-cased (acronyms keep their capitals, a parenthesis such as
 * "(frivilligt)" is left out, a label that is a question is quoted); a message that starts with
 * the name starts with a capital. Small counts are written as words ("minst en", "at least one").
 */
import type { Field, FieldErrorKind } from '../catalogue/types.ts';
import { formatDate, pick, translate, type Locale } from '../kernel/i18n/index.ts';
import { formatNumber } from '../kernel/i18n/numbers.ts';
import './messages.ts';

/**
 * The engine's message keys by the error a definition words itself. A key not listed here (a virus
 * found, a scanner down, a register's answer) is the engine's alone: it is about the system, not
 * about how the question is worded.
 */
const ERROR_KIND_OF: Record<string, FieldErrorKind> = {
  'forms.error.required': 'required',
  'forms.error.choose': 'required',
  'forms.error.fileBlank': 'required',
  'forms.error.fileBlankMany': 'required',
  'forms.error.declaration': 'required',
  'forms.error.caseReference.choose': 'required',
  'forms.error.property.choose': 'required',
  'forms.error.property.format': 'format',
  'forms.error.property.notOwned': 'invalidChoice',
  'forms.error.location.missing': 'required',
  // An earlier date without its reason: the reason question's own "required".
  'forms.error.dateTooEarlyReason': 'required',
  'forms.error.email': 'format',
  'forms.error.phone': 'format',
  'forms.error.pattern': 'format',
  'forms.error.date': 'format',
  'forms.error.number': 'format',
  'forms.error.numberAmbiguous': 'format',
  'forms.error.integer': 'format',
  'forms.error.money': 'format',
  'forms.error.time': 'format',
  'forms.error.scheduleTime': 'format',
  'forms.error.personalNumber': 'format',
  'forms.error.organisationNumber': 'format',
  'forms.error.address.postalCode': 'format',
  'forms.error.dateTooEarly': 'tooEarly',
  'forms.error.dateInPast': 'tooEarly',
  'forms.error.dateTooFarBack': 'tooEarly',
  'forms.error.timeMin': 'tooEarly',
  'forms.error.scheduleEarliest': 'tooEarly',
  'forms.error.dateTooLate': 'tooLate',
  'forms.error.dateInFuture': 'tooLate',
  'forms.error.timeMax': 'tooLate',
  'forms.error.scheduleLatest': 'tooLate',
  'forms.error.tooLong': 'tooLong',
  'forms.error.address.tooLong': 'tooLong',
  'forms.error.location.tooLong': 'tooLong',
  'forms.error.rangeTooLong': 'tooLong',
  'forms.error.rankedMin': 'tooFew',
  'forms.error.rankedMinOne': 'tooFew',
  'forms.error.groupMin': 'tooFew',
  'forms.error.fileTooFew': 'tooFew',
  'forms.error.groupMax': 'tooMany',
  'forms.error.fileCount': 'tooMany',
  'forms.error.fileCountOne': 'tooMany',
  'forms.error.numberMin': 'tooSmall',
  'forms.error.moneyMin': 'tooSmall',
  'forms.error.numberMax': 'tooLarge',
  'forms.error.moneyMax': 'tooLarge',
  'forms.error.rankedDuplicate': 'duplicate',
  'forms.error.invalidChoice': 'invalidChoice',
  'forms.error.rangeEndBeforeStart': 'endBeforeStart',
  'forms.error.scheduleEndBeforeStart': 'endBeforeStart',
  'forms.error.scheduleEndIsStart': 'endBeforeStart',
  'forms.error.childTooOld': 'tooOld',
  'forms.error.childTooOldYear': 'tooOld',
  'forms.error.childTooYoung': 'tooYoung',
  'forms.error.childTooYoungYear': 'tooYoung',
  'forms.error.fileType': 'fileType',
  'forms.error.fileSize': 'fileSize',
};

/** The error a definition may word itself for an engine message key (undefined: the engine's own). */
export function errorKindOf(key: string): FieldErrorKind | undefined {
  return ERROR_KIND_OF[key];
}

const QUOTES: Record<Locale, [string, string]> = { sv: ['”', '”'], en: ['“', '”'] };

function midSentence(label: string, locale: Locale): string {
  // A question cannot be named mid-sentence ("Fyll i vilka förskolor vill du ha?"): it is quoted.
  if (/\?\s*$/.test(label)) return `${QUOTES[locale][0]}${label.trim()}${QUOTES[locale][1]}`;
  // "Telefonnummer (frivilligt)" → "telefonnummer": the parenthesis tells the person, not the error.
  const plain = label.replace(/\s*\([^)]*\)\s*$/, '') || label;
  // "Barn" → "barn", "E-postadress" → "e-postadress"; "SMS-nummer" and "BankID" keep their capitals.
  return /^\p{Lu}-?\p{Ll}/u.test(plain) ? plain[0]!.toLowerCase() + plain.slice(1) : plain;
}

export function fieldErrorName(field: Field, locale: Locale): string {
  return field.errorName ? pick(field.errorName, locale) : midSentence(pick(field.label, locale), locale);
}

// Counts a person reads as words (GOV.UK: "at least one"), for the counts a message says "at least"
// or "at most" of; "en" stands alone ("lägg till minst en"), the noun "alternativ" takes "ett".
const COUNT_WORDS: Record<Locale, string[]> = {
  sv: ['noll', 'en', 'två', 'tre', 'fyra', 'fem', 'sex', 'sju', 'åtta', 'nio', 'tio'],
  en: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'],
};
/** Messages whose numbers are amounts of kronor. */
const AMOUNTS = new Set(['forms.error.moneyMin', 'forms.error.moneyMax']);
const COUNTED = new Set(['forms.error.rankedMin', 'forms.error.groupMin', 'forms.error.groupMax', 'forms.error.fileTooFew', 'forms.error.fileCount']);

/**
 * Dates in a message read as people write them ("23 mars 2027"), not as the form stores them; a
 * value "@message.key" is that message in the language (a weekday's name). A date bound is also
 * {date}, for a definition's own message.
 */
function readable(key: string, vars: Record<string, string | number>, locale: Locale): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(vars)) {
    if (typeof v === 'string' && v.startsWith('@')) out[k] = translate(locale, v.slice(1));
    else if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) {
      out[k] = formatDate(`${v}T12:00:00Z`, locale);
      if (k === 'min' || k === 'max') out.date ??= out[k]!;
    } else if (typeof v === 'number' && COUNTED.has(key) && Number.isInteger(v) && v >= 0 && v <= 10) out[k] = COUNT_WORDS[locale][v]!;
    // An amount's bound in thousands, as amounts are shown (ADR 0030): "minst 10 000 kronor".
    else if (typeof v === 'number' && AMOUNTS.has(key)) out[k] = formatNumber(v, locale);
    else out[k] = v;
  }
  return out;
}

/**
 * The message for a problem (`key` with its `vars`) about `field`. `owner` is the field whose own
 * `errors` are consulted when it is not the one the message names (a missing reason is the reason
 * question's, but names the date it explains).
 */
export function fieldErrorMessage(locale: Locale, key: string, field: Field, vars: Record<string, string | number> = {}, owner: Field = field): string {
  const values: Record<string, string | number> = { label: fieldErrorName(field, locale), ...readable(key, vars, locale) };
  const kind = errorKindOf(key);
  const own = kind ? owner.errors?.[kind] : undefined;
  // A definition's message whose placeholder this problem has no value for (a {date} where the
  // problem has no bound) gives way to the engine's, rather than show a brace.
  const ownText = own ? pick(own, locale) : undefined;
  const usable = ownText !== undefined && [...ownText.matchAll(/\{(\w+)\}/g)].every((m) => values[m[1]!] !== undefined);
  const message = usable ? ownText.replace(/\{(\w+)\}/g, (_m, name: string) => String(values[name])) : translate(locale, key, values);
  return message.charAt(0).toLocaleUpperCase(locale) + message.slice(1);
}
