/**
 * The demo's staff accounts. Their passwords and TOTP secrets are public on purpose (README): the
 * demo is refused in production, and these accounts exist only where `seed demo` ran.
 */
export const DEMO_PASSWORD = 'Medborg-demo-2026';

export interface DemoStaff {
  tenant: string;
  username: string;
  displayName: string;
  roles: string[];
  departments: string[];
  /** Base32 TOTP secret: enter it in any authenticator app, or run `npx medborg demo code <tenant> <username>`. */
  totpSecret: string;
}

/**
 * Separation of duties, as a municipality should set it up: in each municipality the administrator
 * and the security officer (who reviews the administrator's changes to accounts) are different people.
 */
export const DEMO_STAFF: readonly DemoStaff[] = [
  { tenant: 'norrby', username: 'hanna', displayName: 'Hanna Handläggare', roles: ['handler'], departments: ['education'], totpSecret: 'NBYHANNADEMOTOTPMEDBORGDEMOSECRE' },
  { tenant: 'norrby', username: 'olof', displayName: 'Olof Östlund', roles: ['handler'], departments: ['education'], totpSecret: 'NBYOLOFDEMOTOTPXMEDBORGDEMOSECRE' },
  { tenant: 'norrby', username: 'stig', displayName: 'Stig Stadsmiljö', roles: ['handler'], departments: ['city-services'], totpSecret: 'NBYSTIGDEMOTOTPXMEDBORGDEMOSECRE' },
  { tenant: 'norrby', username: 'admin', displayName: 'Alva Administratör', roles: ['admin'], departments: ['education', 'city-services'], totpSecret: 'NBYADMINDEMOTOTPMEDBORGDEMOSECRE' },
  { tenant: 'norrby', username: 'sakerhet', displayName: 'Sam Säkerhetsansvarig', roles: ['security_officer'], departments: [], totpSecret: 'NBYSAKERHETDEMOXMEDBORGDEMOSECRE' },
  { tenant: 'sodera', username: 'hanna', displayName: 'Henrik Handläggare', roles: ['handler'], departments: ['education'], totpSecret: 'SDAHANNADEMOTOTPMEDBORGDEMOSECRE' },
  { tenant: 'sodera', username: 'admin', displayName: 'Åsa Administratör', roles: ['admin'], departments: ['education'], totpSecret: 'SDAADMINDEMOTOTPMEDBORGDEMOSECRE' },
  { tenant: 'sodera', username: 'sakerhet', displayName: 'Sofia Säkerhetsansvarig', roles: ['security_officer'], departments: [], totpSecret: 'SDASAKERHETDEMOXMEDBORGDEMOSECRE' },
];
