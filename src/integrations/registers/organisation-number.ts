/**
 * Swedish organisation numbers (organisationsnummer): ten digits, the third at least 2 (so it is no
 * personal identity number), the last a Luhn check digit over the first nine.
 */
import { luhnCheckDigit } from '../population-register/index.ts';

/** Normalises NNNNNN-NNNN or NNNNNNNNNN to ten digits; undefined unless the check digit is right. */
export function parseOrganisationNumber(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{6})-?(\d{4})$/.exec(value.trim());
  if (!m) return undefined;
  const digits = m[1]! + m[2]!;
  if (Number(digits[2]) < 2) return undefined;
  return luhnCheckDigit(digits.slice(0, 9)) === Number(digits[9]) ? digits : undefined;
}

/** For display: NNNNNN-NNNN. */
export function formatOrganisationNumber(digits: string): string {
  return `${digits.slice(0, 6)}-${digits.slice(6)}`;
}
