/** Validation of the contact details a resident gives: e-mail (required) and phone (optional). */

export interface ContactInput {
  email: string;
  phone: string;
}

export type ContactErrors = Partial<Record<keyof ContactInput, string>>;

// Deliberately permissive (one @, a dot in the domain, no spaces): the real test is whether mail arrives.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_CHARS = /^\+?[0-9\s\-()]+$/;

/**
 * Returns the cleaned values, or message keys per field. Phone numbers keep the person's own
 * formatting but must hold 7–15 digits (E.164 at most 15).
 */
export function validateContact(input: ContactInput): { value: { email: string; phone: string | null } } | { errors: ContactErrors } {
  const email = input.email.trim();
  const phone = input.phone.trim();
  const errors: ContactErrors = {};
  if (email === '') errors.email = 'eid.profile.error.emailMissing';
  else if (email.length > 254 || !EMAIL.test(email)) errors.email = 'eid.profile.error.emailInvalid';
  if (phone !== '') {
    const digits = phone.replace(/\D/g, '').length;
    if (phone.length > 30 || !PHONE_CHARS.test(phone) || digits < 7 || digits > 15) errors.phone = 'eid.profile.error.phoneInvalid';
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { value: { email, phone: phone === '' ? null : phone } };
}
