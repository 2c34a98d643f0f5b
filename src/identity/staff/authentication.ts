/**
 * Staff sign-in in two steps: a password, then a TOTP code or a one-time recovery code. Enrolment
 * of the TOTP secret happens between the two on an account's first sign-in (and after a reset).
 *
 * Failed passwords and codes both count toward one lock (MAX_FAILED_ATTEMPTS, then LOCK_MINUTES).
 * It lives in the database, and a code is counted (and the lock decided) in one statement before
 * the code is checked, so however many attempts arrive at once, on however many nodes, at most
 * MAX_FAILED_ATTEMPTS codes are checked per lock; the per-username limit in the routes does the same
 * for the password's argon2 check. Every code attempt that does not complete the sign-in counts; the
 * counter resets only after a whole sign-in, so knowing the password does not buy fresh guesses at
 * the code.
 */
import * as repo from './repository.ts';
import type { StaffContext } from './accounts.ts';
import { RECOVERY_CODE_COUNT } from './accounts.ts';
import { generateRecoveryCode, hashPassword, passwordNeedsRehash, verifyPassword } from './secrets.ts';
import { generateTotpSecret, looksLikeTotpCode, totpStep } from './totp.ts';
import type { Actor, StaffAccount } from './types.ts';
import { normaliseUsername, validatePassword, type Issue } from './validation.ts';

export const MAX_FAILED_ATTEMPTS = 10;
export const LOCK_MINUTES = 15;

const SYSTEM: Actor = { id: null, label: 'system' };
const self = (a: StaffAccount): Actor => ({ id: a.id, label: a.username });

export type PasswordResult =
  | { ok: true; account: StaffAccount }
  /** invalid: unknown user, wrong password or locked: the page says the same for all three. */
  | { ok: false; reason: 'invalid' }
  /** Only said after a correct password, so it tells a stranger nothing. */
  | { ok: false; reason: 'disabled' };

function isLocked(a: StaffAccount, now: Date): boolean {
  return a.lockedUntil !== null && a.lockedUntil > now;
}

/** An attempt counted against the account's lock; failed() is called when it did not complete the sign-in. */
interface CountedAttempt {
  failed(): Promise<void>;
}

/** Counts an attempt before it is checked (repo.countAttempt), or says the account is locked. */
async function countAttempt(ctx: StaffContext, a: StaffAccount): Promise<CountedAttempt | 'locked'> {
  const now = ctx.now();
  const lockUntil = new Date(now.getTime() + LOCK_MINUTES * 60_000);
  const n = await repo.countAttempt(ctx.tdb, a.id, MAX_FAILED_ATTEMPTS, now, lockUntil);
  if (n === undefined) return 'locked';
  return {
    // The attempt that reached the limit locked the account; it is logged once it has failed (a
    // right code would have cleared the lock instead).
    async failed() {
      if (n < MAX_FAILED_ATTEMPTS) return;
      await repo.appendEvent(ctx.tdb, { staffId: a.id, actor: SYSTEM, action: 'locked', details: { until: lockUntil.toISOString() }, at: now });
    },
  };
}

/** A wrong password counts after its check: the per-username limit in the routes bounds the checks. */
async function countFailure(ctx: StaffContext, a: StaffAccount): Promise<void> {
  const attempt = await countAttempt(ctx, a);
  if (attempt !== 'locked') await attempt.failed();
}

/** Step one. Always runs one argon2 verification, whether or not the username exists. */
export async function checkPassword(ctx: StaffContext, rawUsername: string, password: string): Promise<PasswordResult> {
  const account = await repo.findAccountByUsername(ctx.tdb, normaliseUsername(rawUsername));
  const ok = await verifyPassword(account?.passwordHash, password);
  if (!account) return { ok: false, reason: 'invalid' };
  // Locked first: a right and a wrong password then cost the same on a locked account.
  if (isLocked(account, ctx.now())) return { ok: false, reason: 'invalid' };
  if (!ok) {
    await countFailure(ctx, account);
    return { ok: false, reason: 'invalid' };
  }
  if (account.disabledAt) return { ok: false, reason: 'disabled' };
  if (passwordNeedsRehash(account.passwordHash)) await repo.replacePasswordHash(ctx.tdb, account.id, await hashPassword(password));
  return { ok: true, account };
}

export type CodeResult = 'ok' | 'wrong' | 'reused' | 'locked' | 'unusable';

/** The account behind a pending sign-in, if it may still continue (exists, enabled, not locked). */
export async function pendingAccount(ctx: StaffContext, id: string): Promise<StaffAccount | 'locked' | undefined> {
  const a = await repo.findAccountById(ctx.tdb, id);
  if (!a || a.disabledAt) return undefined;
  return isLocked(a, ctx.now()) ? 'locked' : a;
}

/** Step two with a code from the authenticator app; each time step is accepted once only. */
export async function verifyTotp(ctx: StaffContext, a: StaffAccount, code: string): Promise<CodeResult> {
  if (!a.totpSecret || !a.totpEnrolledAt) return 'unusable';
  const attempt = await countAttempt(ctx, a);
  if (attempt === 'locked') return 'locked';
  const secret = ctx.secrets.decryptTotpSecret(ctx.tenant.id, a.id, a.totpSecret);
  const step = totpStep(secret, code, ctx.now());
  const result = step === undefined ? 'wrong' : (await repo.claimTotpStep(ctx.tdb, a.id, step)) ? 'ok' : 'reused';
  if (result !== 'ok') await attempt.failed();
  return result;
}

/** Step two with a recovery code, which is spent by using it. */
export async function useRecoveryCode(ctx: StaffContext, a: StaffAccount, code: string): Promise<CodeResult> {
  if (!a.totpEnrolledAt) return 'unusable';
  const attempt = await countAttempt(ctx, a);
  if (attempt === 'locked') return 'locked';
  const now = ctx.now();
  const spent = await ctx.tdb.transaction(async (tx) => {
    if (!(await repo.consumeRecoveryCode(tx, a.id, ctx.secrets.hashRecoveryCode(ctx.tenant.id, a.id, code), now))) return false;
    const left = await repo.countUnusedRecoveryCodes(tx, a.id);
    await repo.appendEvent(tx, { staffId: a.id, actor: self(a), action: 'recovery_code_used', details: { left }, at: now });
    return true;
  });
  if (!spent) {
    await attempt.failed();
    return 'wrong';
  }
  return 'ok';
}

/** Marks the sign-in complete: clears failed attempts and notes the time. */
export async function completeSignIn(ctx: StaffContext, a: StaffAccount): Promise<void> {
  await repo.recordSignIn(ctx.tdb, a.id, ctx.now());
}

/**
 * The secret to enrol, generated and stored (encrypted) the first time it is asked for, so a
 * reload or a second tab shows the same QR code. Returns it in clear for display.
 */
export async function enrolmentSecret(ctx: StaffContext, a: StaffAccount): Promise<string> {
  if (a.totpEnrolledAt) throw new Error('TOTP is already enrolled');
  if (!a.totpSecret) {
    const id = a.id;
    await repo.setPendingTotpSecret(ctx.tdb, id, ctx.secrets.encryptTotpSecret(ctx.tenant.id, id, generateTotpSecret()));
    a = (await repo.findAccountById(ctx.tdb, id))!;
  }
  return ctx.secrets.decryptTotpSecret(ctx.tenant.id, a.id, a.totpSecret!);
}

export type EnrolResult = { result: 'ok'; recoveryCodes: string[] } | { result: 'wrong' | 'locked' | 'format' | 'unusable' };

/** Confirms enrolment with a code from the app, and hands out fresh recovery codes once. */
export async function confirmEnrolment(ctx: StaffContext, a: StaffAccount, code: string): Promise<EnrolResult> {
  const now = ctx.now();
  if (a.totpEnrolledAt || !a.totpSecret) return { result: 'unusable' };
  if (!looksLikeTotpCode(code)) return { result: 'format' };
  const attempt = await countAttempt(ctx, a);
  if (attempt === 'locked') return { result: 'locked' };
  const step = totpStep(ctx.secrets.decryptTotpSecret(ctx.tenant.id, a.id, a.totpSecret), code, now);
  if (step === undefined) {
    await attempt.failed();
    return { result: 'wrong' };
  }
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
  const done = await ctx.tdb.transaction(async (tx) => {
    if (!(await repo.markTotpEnrolled(tx, a.id, a.totpSecret!, now, step))) return false;
    await repo.replaceRecoveryCodes(tx, a.id, recoveryCodes.map((c) => ctx.secrets.hashRecoveryCode(ctx.tenant.id, a.id, c)), now);
    await repo.appendEvent(tx, { staffId: a.id, actor: self(a), action: 'totp_enrolled', at: now });
    return true;
  });
  if (done) return { result: 'ok', recoveryCodes };
  await attempt.failed();
  return { result: 'unusable' };
}

/**
 * The owner changes their own password. Every session of theirs ends (the caller starts a fresh
 * one), so a session stolen before the change does not outlive it.
 */
export async function changeOwnPassword(
  ctx: StaffContext,
  a: StaffAccount,
  input: { current: string; next: string; confirm: string },
): Promise<Issue[]> {
  const issues: Issue[] = [];
  if (!input.current) issues.push({ field: 'currentPassword', key: 'staff.error.currentPasswordRequired' });
  else if (!(await verifyPassword(a.passwordHash, input.current))) issues.push({ field: 'currentPassword', key: 'staff.error.currentPasswordWrong' });
  issues.push(...validatePassword(input.next, a.username, 'newPassword'));
  if (!issues.some((i) => i.field === 'newPassword')) {
    if (input.next === input.current) issues.push({ field: 'newPassword', key: 'staff.error.passwordUnchanged' });
    else if (input.confirm !== input.next) issues.push({ field: 'confirmPassword', key: 'staff.error.passwordMismatch' });
  }
  if (issues.length) return issues;
  const hash = await hashPassword(input.next);
  const now = ctx.now();
  await ctx.tdb.transaction(async (tx) => {
    await repo.setPassword(tx, a.id, hash, now, false);
    await ctx.endSessions(tx, a.id);
    await repo.appendEvent(tx, { staffId: a.id, actor: self(a), action: 'password_changed', at: now });
  });
  return [];
}
