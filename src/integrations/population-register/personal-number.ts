/**
 * Swedish personal identity numbers (personnummer): parsing, the Luhn check digit, and masking for
 * display. Stored and compared as twelve digits, YYYYMMDDNNNC.
 */

/** The Luhn (modulus 10, weights 2-1) check digit over the nine digits YYMMDDNNN. */
export function luhnCheckDigit(nineDigits: string): number {
  if (!/^\d{9}$/.test(nineDigits)) throw new Error('expected nine digits');
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/**
 * Normalises a twelve-digit personal identity number, with or without the hyphen
 * (YYYYMMDD-NNNC), to YYYYMMDDNNNC. Returns undefined unless the date is real and the check
 * digit is right. A co-ordination number (samordningsnummer: Skatteverket gives one to someone
 * not registered here, the day of birth + 60, so days 61–91) is accepted on the same terms — the
 * e-ID carries one in the same claim, and a resident with one applies as anyone else (ADR 0035).
 */
export function parsePersonalNumber(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{8})[-+]?(\d{4})$/.exec(value.trim());
  if (!m) return undefined;
  const digits = m[1]! + m[2]!;
  const year = Number(digits.slice(0, 4));
  const month = Number(digits.slice(4, 6));
  const day = dayOfBirth(Number(digits.slice(6, 8)));
  if (year < 1800 || !isRealDate(year, month, day)) return undefined;
  if (luhnCheckDigit(digits.slice(2, 11)) !== Number(digits[11])) return undefined;
  return digits;
}

/** The day of birth a number's day encodes: a co-ordination number's day less 60. */
function dayOfBirth(day: number): number {
  return day > 60 ? day - 60 : day;
}

/** Whether a (valid) twelve-digit number is a co-ordination number (day + 60). */
export function isCoordinationNumber(personalNumber: string): boolean {
  return Number(personalNumber.slice(6, 8)) > 60;
}

export function isValidPersonalNumber(value: unknown): value is string {
  return typeof value === 'string' && parsePersonalNumber(value) === value;
}

/**
 * True for numbers in the range Skatteverket reserves for testing (birth numbers 980–999), which
 * are never given to real people. Demo data is checked against this so no real number slips in.
 */
export function isTestPersonalNumber(value: string): boolean {
  if (!isValidPersonalNumber(value)) return false;
  const birthNumber = Number(value.slice(8, 11));
  return birthNumber >= 980 && birthNumber <= 999;
}

/**
 * The birth date a twelve-digit personal identity number (YYYYMMDDNNNC, the century already in
 * it: e-ID and the register give twelve digits) encodes, as YYYY-MM-DD. A co-ordination number
 * (samordningsnummer) adds 60 to the day of birth: its day is taken back by 60.
 */
export function birthDateOf(personalNumber: string): string {
  const realDay = dayOfBirth(Number(personalNumber.slice(6, 8)));
  return `${personalNumber.slice(0, 4)}-${personalNumber.slice(4, 6)}-${String(realDay).padStart(2, '0')}`;
}

/** For display: the birth date stays, the last four digits are hidden (YYYYMMDD-****). */
export function maskPersonalNumber(personalNumber: string): string {
  return `${personalNumber.slice(0, 8)}-****`;
}

/** For display in full, as people write it: YYYYMMDD-NNNC. */
export function formatPersonalNumber(personalNumber: string): string {
  return `${personalNumber.slice(0, 8)}-${personalNumber.slice(8)}`;
}
