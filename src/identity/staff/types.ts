/** The staff module's public types. */

export const STAFF_ROLES = ['admin', 'handler', 'security_officer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);
}

/** The signed-in staff member, as other modules see them (requireStaff returns this). */
export interface StaffMember {
  id: string;
  username: string;
  displayName: string;
  /** Built-in roles and roles the tenant's service definitions declare (roles.ts). */
  roles: string[];
  departments: string[];
}

/** A whole account row, as the staff module itself sees it. */
export interface StaffAccount extends StaffMember {
  email: string;
  passwordHash: string;
  passwordChangedAt: Date;
  passwordMustChange: boolean;
  /** Encrypted (see secrets.ts); null when no secret has been generated. */
  totpSecret: string | null;
  totpEnrolledAt: Date | null;
  totpLastCounter: number | null;
  failedAttempts: number;
  lockedUntil: Date | null;
  disabledAt: Date | null;
  lastSignInAt: Date | null;
  createdAt: Date;
}

/** Who made a change: a staff member on the web, or the command line / the system (id null). */
export interface Actor {
  id: string | null;
  label: string;
}

export const STAFF_EVENT_ACTIONS = [
  'created',
  'updated',
  'disabled',
  'enabled',
  'password_reset',
  'password_changed',
  'totp_reset',
  'totp_enrolled',
  'recovery_code_used',
  'locked',
  'oidc_bound',
  'oidc_unbound',
] as const;
export type StaffEventAction = (typeof STAFF_EVENT_ACTIONS)[number];

export interface StaffEvent {
  id: string;
  staffId: string;
  actorId: string | null;
  actor: string;
  action: StaffEventAction;
  details: Record<string, unknown>;
  createdAt: Date;
}

/** An event with the account it is about, as the security officer's list of every account's changes shows it. */
export interface StaffAccountEvent extends StaffEvent {
  username: string;
  displayName: string;
}

/** An account's binding to an identity at the tenant's own identity provider (tenants.yaml staffOidc). */
export interface StaffOidcIdentity {
  issuer: string;
  subject: string;
  createdAt: Date;
}

export function toMember(a: StaffAccount): StaffMember {
  return { id: a.id, username: a.username, displayName: a.displayName, roles: a.roles, departments: a.departments };
}
