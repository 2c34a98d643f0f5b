/**
 * Many residents for tests that need more people than the demo population register has (races,
 * full courses): valid Swedish personal identity numbers, one a day from 1950 (Luhn check digit).
 * They are nobody's: the register does not know them, which no service here asks it about.
 */
export function syntheticPersonalNumber(i: number): string {
  const born = new Date(Date.UTC(1950, 0, 1) + i * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const nine = `${born.slice(2)}${String(200 + (i % 700)).padStart(3, '0')}`;
  const sum = [...nine].reduce((s, c, k) => {
    const d = Number(c) * (k % 2 === 0 ? 2 : 1);
    return s + (d > 9 ? d - 9 : d);
  }, 0);
  return `${born.slice(0, 8)}${nine.slice(6)}${(10 - (sum % 10)) % 10}`;
}

/** Resident i, as test/helpers/sign-in.ts signs people in. */
export const syntheticResident = (i: number) => ({ personalNumber: syntheticPersonalNumber(i), givenName: 'Test', familyName: `Person ${i}` });
