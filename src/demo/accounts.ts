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
  /**
   * Also every role the municipality's services in these departments declare (their `roles` and
   * `handling`), read from the catalogue when seeding: a demo case worker can take any of them to
   * a decision, whatever roles the definitions name.
   */
  serviceRoles?: true;
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
  { tenant: 'norrby', username: 'stig', displayName: 'Stig Stadsmiljö', roles: ['handler'], departments: ['city-services'], serviceRoles: true, totpSecret: 'NBYSTIGDEMOTOTPXMEDBORGDEMOSECRE' },
  { tenant: 'norrby', username: 'stina', displayName: 'Stina Trafikhandläggare', roles: ['handler'], departments: ['city-services'], serviceRoles: true, totpSecret: 'NBYSTINADEMOTOTPMEDBORGDEMOSECRE' },
  { tenant: 'norrby', username: 'rut', displayName: 'Rut Rektor', roles: ['handler'], departments: ['education'], serviceRoles: true, totpSecret: 'NBYRUTDEMOTOTPXXMEDBORGDEMOSECRE' },
  { tenant: 'norrby', username: 'erik', displayName: 'Erik Elevhandläggare', roles: ['handler'], departments: ['education'], serviceRoles: true, totpSecret: 'NBYERIKDEMOTOTPXMEDBORGDEMOSECRE' },
  // Two case workers in each of the other departments, so that one can propose a decision and the other approve it.
  { tenant: 'norrby', username: 'sigrid', displayName: 'Sigrid Socialsekreterare', roles: ['handler'], departments: ['social-services'], serviceRoles: true, totpSecret: 'NBYSIGRIDDEMOTOTPMEDBORGDEMOSECR' },
  { tenant: 'norrby', username: 'sune', displayName: 'Sune Sundberg', roles: ['handler'], departments: ['social-services'], serviceRoles: true, totpSecret: 'NBYSUNEDEMOTOTPXMEDBORGDEMOSECRE' },
  { tenant: 'norrby', username: 'bengt', displayName: 'Bengt Bygglovshandläggare', roles: ['handler'], departments: ['building-and-environment', 'technical'], serviceRoles: true, totpSecret: 'NBYBENGTDEMOTOTPMEDBORGDEMOSECRE' },
  { tenant: 'norrby', username: 'berit', displayName: 'Berit Miljöinspektör', roles: ['handler'], departments: ['building-and-environment', 'technical'], serviceRoles: true, totpSecret: 'NBYBERITDEMOTOTPMEDBORGDEMOSECRE' },
  { tenant: 'norrby', username: 'klara', displayName: 'Klara Kulturhandläggare', roles: ['handler'], departments: ['culture-and-leisure'], serviceRoles: true, totpSecret: 'NBYKLARADEMOTOTPMEDBORGDEMOSECRE' },
  { tenant: 'norrby', username: 'kalle', displayName: 'Kalle Fritidschef', roles: ['handler'], departments: ['culture-and-leisure'], serviceRoles: true, totpSecret: 'NBYKALLEDEMOTOTPMEDBORGDEMOSECRE' },
  { tenant: 'norrby', username: 'maja', displayName: 'Maja Kommunkontoret', roles: ['handler'], departments: ['municipal-office'], serviceRoles: true, totpSecret: 'NBYMAJADEMOTOTPXMEDBORGDEMOSECRE' },
  { tenant: 'norrby', username: 'mats', displayName: 'Mats Överförmyndare', roles: ['handler'], departments: ['municipal-office'], serviceRoles: true, totpSecret: 'NBYMATSDEMOTOTPXMEDBORGDEMOSECRE' },
  { tenant: 'norrby', username: 'admin', displayName: 'Alva Administratör', roles: ['admin'], departments: ['education', 'city-services'], totpSecret: 'NBYADMINDEMOTOTPMEDBORGDEMOSECRE' },
  { tenant: 'norrby', username: 'sakerhet', displayName: 'Sam Säkerhetsansvarig', roles: ['security_officer'], departments: [], totpSecret: 'NBYSAKERHETDEMOXMEDBORGDEMOSECRE' },
  { tenant: 'sodera', username: 'hanna', displayName: 'Henrik Handläggare', roles: ['handler'], departments: ['education'], totpSecret: 'SDAHANNADEMOTOTPMEDBORGDEMOSECRE' },
  { tenant: 'sodera', username: 'vera', displayName: 'Vera Vårdhandläggare', roles: ['handler'], departments: ['social-services', 'municipal-office'], serviceRoles: true, totpSecret: 'SDAVERADEMOTOTPXMEDBORGDEMOSECRE' },
  { tenant: 'sodera', username: 'viktor', displayName: 'Viktor Enhetschef', roles: ['handler'], departments: ['social-services', 'municipal-office'], serviceRoles: true, totpSecret: 'SDAVIKTORDEMOTOTPMEDBORGDEMOSECR' },
  { tenant: 'sodera', username: 'mikael', displayName: 'Mikael Miljö och bygg', roles: ['handler'], departments: ['building-and-environment', 'city-services', 'culture-and-leisure', 'education'], serviceRoles: true, totpSecret: 'SDAMIKAELDEMOTOTPMEDBORGDEMOSECR' },
  { tenant: 'sodera', username: 'maria', displayName: 'Maria Miljöinspektör', roles: ['handler'], departments: ['building-and-environment', 'city-services', 'culture-and-leisure', 'education'], serviceRoles: true, totpSecret: 'SDAMARIADEMOTOTPMEDBORGDEMOSECRE' },
  { tenant: 'sodera', username: 'admin', displayName: 'Åsa Administratör', roles: ['admin'], departments: ['education'], totpSecret: 'SDAADMINDEMOTOTPMEDBORGDEMOSECRE' },
  { tenant: 'sodera', username: 'sakerhet', displayName: 'Sofia Säkerhetsansvarig', roles: ['security_officer'], departments: [], totpSecret: 'SDASAKERHETDEMOXMEDBORGDEMOSECRE' },
];
