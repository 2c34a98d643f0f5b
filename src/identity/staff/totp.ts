/**
 * Time-based one-time passwords (RFC 6238) as authenticator apps expect them: SHA-1, 6 digits,
 * 30-second steps, accepting one step either side for clock drift. A check returns the time step
 * the code belongs to, so the caller can refuse a step that was already used.
 */
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

const PERIOD = 30;
const DIGITS = 6;
const WINDOW = 1;

/** A new random secret (160 bits, as RFC 4226 recommends), in base32. */
export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** True when value is a base32 secret an authenticator app accepts (at least 128 bits). */
export function isTotpSecret(value: string): boolean {
  if (!/^[A-Z2-7]+=*$/.test(value) || value.replace(/=+$/, '').length < 26) return false;
  try {
    Secret.fromBase32(value);
    return true;
  } catch {
    return false;
  }
}

function totp(secret: string, issuer = '', label = 'Medborg'): TOTP {
  return new TOTP({ issuer, label, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: DIGITS, period: PERIOD });
}

/** The code an app shows at time `at` (tests and the demo use this). */
export function totpCode(secret: string, at: Date): string {
  return totp(secret).generate({ timestamp: at.getTime() });
}

/** Codes are typed with spaces now and then ("123 456"). */
export function normaliseTotpCode(code: string): string {
  return code.replace(/\s+/g, '');
}

export function looksLikeTotpCode(code: string): boolean {
  return new RegExp(`^\\d{${DIGITS}}$`).test(normaliseTotpCode(code));
}

/** The time step a valid code belongs to, or undefined when the code is wrong at time `at`. */
export function totpStep(secret: string, code: string, at: Date): number | undefined {
  const token = normaliseTotpCode(code);
  if (!looksLikeTotpCode(token)) return undefined;
  const delta = totp(secret).validate({ token, timestamp: at.getTime(), window: WINDOW });
  if (delta === null) return undefined;
  return TOTP.counter({ period: PERIOD, timestamp: at.getTime() }) + delta;
}

/** The otpauth:// URI an app scans: the municipality as issuer, the username as account name. */
export function totpUri(secret: string, issuer: string, username: string): string {
  return totp(secret, issuer, username).toString();
}

/** The URI as a QR code in a data: URL for an <img> (the CSP allows data: images). */
export function totpQrDataUrl(uri: string): Promise<string> {
  return QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
}

/** The secret in groups of four, easier to type into an app by hand. */
export function groupSecret(secret: string): string {
  return secret.replace(/=+$/, '').replace(/(.{4})(?=.)/g, '$1 ');
}
