/**
 * The secrets of a staff account and how each is kept:
 * - passwords: argon2id (OWASP's 19 MiB / 2 passes / 1 lane profile, cheap enough that many
 *   sign-ins at once do not exhaust memory); unknown usernames verify a dummy hash so a wrong
 *   username takes as long as a wrong password;
 * - TOTP secrets: AES-256-GCM under a key derived from SESSION_SECRET, bound to the account's
 *   tenant and id, so a leaked table (or a row copied to another account) gives no second factor;
 * - recovery codes: HMAC-SHA-256 under another derived key (they are random, so no slow hash is
 *   needed, and without the key a leaked table cannot even be brute-forced offline).
 * Changing SESSION_SECRET therefore invalidates enrolled TOTP secrets and recovery codes.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomInt } from 'node:crypto';
import argon2 from 'argon2';

const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies password against hash; with no hash (unknown username) it verifies against a dummy
 * hash and returns false, so both cases cost the same.
 */
export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  if (!hash) {
    dummyHash ??= argon2.hash(randomBytes(16).toString('hex'), ARGON2_OPTIONS);
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** True when a stored hash was made with weaker or other parameters than today's. */
export function passwordNeedsRehash(hash: string): boolean {
  try {
    return !hash.startsWith('$argon2id$') || argon2.needsRehash(hash, ARGON2_OPTIONS);
  } catch {
    return true;
  }
}

// Without 0/O, 1/l/I: generated passwords and codes are read aloud and typed from paper.
const ALPHABET = 'abcdefghijkmnopqrstuvwxyz23456789';

function randomChars(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** A generated password: four groups of five (about 100 bits), e.g. "k3mfa-q9xzt-...". */
export function generatePassword(): string {
  return [0, 1, 2, 3].map(() => randomChars(5)).join('-');
}

/** A recovery code: two groups of five (about 50 bits), e.g. "k3mfa-q9xzt". */
export function generateRecoveryCode(): string {
  return `${randomChars(5)}-${randomChars(5)}`;
}

/** Recovery codes compare without case, spaces or dashes: people type them from paper. */
export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]+/g, '');
}

/** Keys derived from SESSION_SECRET, one per purpose. */
export class StaffSecrets {
  readonly #totpKey: Buffer;
  readonly #recoveryKey: Buffer;

  constructor(sessionSecret: string) {
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', sessionSecret, 'medborg-staff', info, 32));
    this.#totpKey = derive('totp-secret-encryption/v1');
    this.#recoveryKey = derive('recovery-code-hmac/v1');
  }

  /** Encrypts a base32 TOTP secret for one account; the result is "v1.iv.ciphertext.tag". */
  encryptTotpSecret(tenantId: string, staffId: string, base32: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#totpKey, iv);
    cipher.setAAD(Buffer.from(`${tenantId}/${staffId}`));
    const body = Buffer.concat([cipher.update(base32, 'utf8'), cipher.final()]);
    return ['v1', iv, body, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** Decrypts what encryptTotpSecret made for the same account; throws when tampered or moved. */
  decryptTotpSecret(tenantId: string, staffId: string, stored: string): string {
    const [version, iv, body, tag] = stored.split('.');
    if (version !== 'v1' || !iv || !body || !tag) throw new Error('Unknown TOTP secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.#totpKey, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`${tenantId}/${staffId}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** The stored form of a recovery code, bound to its account. */
  hashRecoveryCode(tenantId: string, staffId: string, code: string): string {
    return createHmac('sha256', this.#recoveryKey).update(`${tenantId}/${staffId}/${normaliseRecoveryCode(code)}`).digest('hex');
  }
}
