/**
 * Numbers and amounts as people read and write them (ADR 0030). Shown: grouped in thousands as
 * Intl formats each language — Swedish "12 500 kr" (a no-break space between the groups),
 * English "SEK 12,500". Typed: spaces of any kind between the groups, or a comma or full stop as
 * the group separator ("12,500", "12.500,50"), are read as people mean them; what could mean two
 * different numbers is refused as ambiguous, never guessed.
 */
import type { Locale } from './index.ts';

const TAG: Record<Locale, string> = { sv: 'sv-SE', en: 'en-GB' };

/** A number grouped in thousands in the language's notation ("12 500", "12,500"; decimals as given, at most 10). */
export function formatNumber(n: number, locale: Locale): string {
  return new Intl.NumberFormat(TAG[locale], { maximumFractionDigits: 10 }).format(n);
}

/** An amount of whole öre in kronor, grouped: "12 500 kr" / "SEK 12,500"; öre shown only when there are some ("12 500,50 kr"). */
export function formatKronor(ore: number, locale: Locale): string {
  const whole = ore % 100 === 0;
  const n = new Intl.NumberFormat(TAG[locale], { minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 }).format(ore / 100);
  return locale === 'sv' ? `${n}\u00a0kr` : `SEK\u00a0${n}`;
}

/** What reading a typed number gave: the number, or why not. */
export type ReadNumber = { value: number } | { problem: 'invalid' | 'ambiguous' };

/** Spaces people put between groups: ordinary, no-break, narrow no-break and thin. */
const SPACES = /[\s\u00a0\u202f\u2009]/g;
/** Thousands after the first group: "12", then ",500", ",000". */
const groupedWith = (sep: string) => new RegExp(`^\\d{1,3}(?:\\${sep}\\d{3})+$`);

/**
 * Reads a number typed as people write it. `decimals`: how many decimals the answer may have (0
 * for whole numbers, 2 for kronor). A comma or full stop followed by exactly three digits is a
 * group separator when the answer cannot have three decimals ("12,500" kronor is 12 500); for a
 * number that can, it is ambiguous (12.5 or 12 500?). Both marks at once: the last is the decimal
 * one ("12.500,50", "12,500.50"). Groups of other sizes, or a mark used both ways, are invalid.
 */
export function readNumber(text: string, decimals: number): ReadNumber {
  const s = text.replace(SPACES, '').replace(/^\u2212/, '-');
  const m = /^([+-]?)([\d.,]+)$/.exec(s);
  if (!m || !/\d/.test(m[2]!)) return { problem: 'invalid' };
  const sign = m[1] === '-' ? -1 : 1;
  const body = m[2]!;
  const commas = (body.match(/,/g) ?? []).length;
  const stops = (body.match(/\./g) ?? []).length;
  let whole: string;
  let fraction = '';
  if (commas && stops) {
    // Both: the last mark is the decimal one and comes once; the other groups the thousands before it.
    const decimal = body.lastIndexOf(',') > body.lastIndexOf('.') ? ',' : '.';
    const group = decimal === ',' ? '.' : ',';
    const at = body.lastIndexOf(decimal);
    whole = body.slice(0, at);
    fraction = body.slice(at + 1);
    if (body.indexOf(decimal) !== at || whole.includes(decimal) || !groupedWith(group).test(whole)) return { problem: 'invalid' };
    whole = whole.split(group).join('');
  } else if (commas + stops > 1) {
    // One mark more than once: only thousands ("1,234,567"), never decimals.
    const group = commas ? ',' : '.';
    if (!groupedWith(group).test(body)) return { problem: 'invalid' };
    whole = body.split(group).join('');
  } else if (commas + stops === 1) {
    const mark = commas ? ',' : '.';
    const [before, after] = body.split(mark) as [string, string];
    const couldGroup = after.length === 3 && /^[1-9]\d{0,2}$/.test(before);
    if (couldGroup && decimals < 3) whole = before + after;
    else if (couldGroup) return { problem: 'ambiguous' };
    else {
      whole = before;
      fraction = after;
    }
  } else {
    whole = body;
  }
  if (!/^\d{1,15}$/.test(whole || '0') || !/^\d*$/.test(fraction) || /[.,]$/.test(body)) return { problem: 'invalid' };
  if (fraction.length > decimals) return { problem: 'invalid' };
  const value = sign * Number(`${whole || '0'}.${fraction || '0'}`);
  return Number.isFinite(value) ? { value } : { problem: 'invalid' };
}
