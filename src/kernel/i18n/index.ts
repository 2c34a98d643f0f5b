/**
 * Translations. Swedish is the primary language and English is complete: every module declares
 * its texts with defineMessages, which demands both languages for every key, so a missing
 * translation is a type error rather than a blank on a page.
 */

export const LOCALES = ['sv', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'sv';

export type Messages<K extends string> = Record<K, { sv: string; en: string }>;

const registry = new Map<string, { sv: string; en: string }>();

/** Registers a module's texts; a key registered twice with other text is a programming error. */
export function defineMessages<K extends string>(messages: Messages<K>): Messages<K> {
  for (const [key, texts] of Object.entries(messages) as [string, { sv: string; en: string }][]) {
    const prior = registry.get(key);
    if (prior && (prior.sv !== texts.sv || prior.en !== texts.en)) {
      throw new Error(`Message key ${key} is defined twice with different texts`);
    }
    registry.set(key, texts);
  }
  return messages;
}

export function isLocale(value: unknown): value is Locale {
  return value === 'sv' || value === 'en';
}

export type Vars = Record<string, string | number>;
export type Translate = (key: string, vars?: Vars) => string;

export class MissingMessageError extends Error {}

/** Looks up key in locale and fills {placeholders} from vars. Unknown keys throw: they are bugs. */
export function translate(locale: Locale, key: string, vars?: Vars): string {
  const texts = registry.get(key);
  if (!texts) throw new MissingMessageError(`No message "${key}"`);
  const text = texts[locale];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

// One function per language, so views can cache what they render with it (kernel/html/layout.tsx).
const translators = new Map<Locale, Translate>();

export function translator(locale: Locale): Translate {
  let t = translators.get(locale);
  if (!t) translators.set(locale, (t = (key, vars) => translate(locale, key, vars)));
  return t;
}

export function hasMessage(key: string): boolean {
  return registry.has(key);
}

/** Picks the language from a {sv, en} value, as service definitions and tenants carry them. */
export function pick(value: { sv: string; en: string }, locale: Locale): string {
  return value[locale];
}

/** Parses an Accept-Language header to the best supported locale. */
export function negotiateLocale(header: string | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.toLowerCase().slice(0, 2), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) if (isLocale(tag)) return tag;
  return DEFAULT_LOCALE;
}

/** Formats a date in Europe/Stockholm for display in the given locale. */
/** A compact date for tables: "1 dec. 2026" / "1 Dec 2026". */
export function formatShortDate(value: Date | string, locale: Locale): string {
  const d = typeof value === 'string' ? new Date(value) : value;
  return (locale === 'sv' ? SHORT_DATE_SV : SHORT_DATE_EN).format(d);
}
const SHORT_DATE_SV = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'medium' });
const SHORT_DATE_EN = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', dateStyle: 'medium' });

export function formatDate(value: Date | string, locale: Locale, withTime = false): string {
  const d = typeof value === 'string' ? new Date(value) : value;
  return new Intl.DateTimeFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', {
    timeZone: 'Europe/Stockholm',
    dateStyle: 'long',
    ...(withTime ? { timeStyle: 'short' } : {}),
  }).format(d);
}
