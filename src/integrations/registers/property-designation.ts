/**
 * Property designations (fastighetsbeteckningar) as the property register writes them: the
 * register area and the block name, then block and unit numbers joined by a colon —
 * "Norrby Eken 1:23", "Söderå Torget 2:1". People type them in any case, with stray spaces, with
 * spaces around the colon or with a look-alike colon; each of those reads as the register's form.
 * Anything else (punctuation, markup, a path) is no designation and is never sent to a register.
 */

/** Longer than any real designation: a longer text is refused before it is read further. */
export const MAX_DESIGNATION_LENGTH = 80;

// Words of letters (a hyphen inside: "Övre-Ängen"), then block:unit.
const DESIGNATION = /^(\p{L}+(?:-\p{L}+)*(?: \p{L}+(?:-\p{L}+)*){0,5}) (\d{1,5}):(\d{1,5})$/u;

/** Each word as the register writes it: its first letter upper case, the rest lower case. */
const wordCase = (w: string) => w.split('-').map((p) => p.charAt(0).toLocaleUpperCase('sv') + p.slice(1).toLocaleLowerCase('sv')).join('-');

/**
 * The designation in the register's form, or undefined when the text is not one: spaces collapsed,
 * the colon (or "：", "꞉", "˸") without spaces around it, words capitalised, numbers without leading zeros.
 */
export function parseDesignation(typed: unknown): string | undefined {
  if (typeof typed !== 'string' || typed.length > MAX_DESIGNATION_LENGTH * 2) return undefined;
  const s = typed
    .replace(/[：꞉˸]/g, ':')
    .replace(/\s*:\s*/g, ':')
    .replace(/\s+/g, ' ')
    .trim();
  if (s.length > MAX_DESIGNATION_LENGTH) return undefined;
  const m = DESIGNATION.exec(s);
  if (!m) return undefined;
  return `${m[1]!.split(' ').map(wordCase).join(' ')} ${Number(m[2])}:${Number(m[3])}`;
}

/** The key two designations are compared by: the same property whatever the case or spacing. */
export function designationKey(designation: string): string {
  return (parseDesignation(designation) ?? designation.trim().replace(/\s+/g, ' ')).toLocaleLowerCase('sv');
}
