/**
 * Stable error codes, one catalogue. Each code has an HTTP status and a translated message key,
 * so a client can rely on the code and a person reads the message in their language.
 */
import { defineMessages } from './i18n/index.ts';

export const errorCatalogue = {
  BAD_REQUEST: { status: 400, message: 'error.title.400' },
  FORBIDDEN: { status: 403, message: 'error.title.403' },
  NOT_FOUND: { status: 404, message: 'error.title.404' },
  UNKNOWN_TENANT: { status: 404, message: 'error.title.unknownTenant' },
  CSRF_INVALID: { status: 419, message: 'error.title.419' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'error.title.413' },
  RATE_LIMITED: { status: 429, message: 'error.title.429' },
  SIGN_IN_REQUIRED: { status: 401, message: 'error.signInRequired' },
  INTERNAL: { status: 500, message: 'error.title.500' },
  POPULATION_REGISTER_UNAVAILABLE: { status: 503, message: 'error.populationRegisterUnavailable' },
  /** No virus scanner is configured or it gave no verdict: an unscanned file is never stored. */
  VIRUS_SCANNER_UNAVAILABLE: { status: 503, message: 'error.virusScannerUnavailable' },
  /** The database did not answer in time or the connection was lost (kernel/db/faults.ts). */
  DATABASE_UNAVAILABLE: { status: 503, message: 'error.databaseUnavailable' },
  CASE_NOT_FOUND: { status: 404, message: 'error.title.404' },
  CASE_ACTION_NOT_ALLOWED: { status: 409, message: 'error.caseActionNotAllowed' },
  /** A message on a closed case, or after the period a decision left open for answers (cases/message-window.ts). */
  CASE_MESSAGES_CLOSED: { status: 409, message: 'error.caseMessagesClosed' },
  DECISION_OWN_PROPOSAL: { status: 403, message: 'error.decisionOwnProposal' },
  SERVICE_NOT_FOUND: { status: 404, message: 'error.title.404' },
  PAGE_CURSOR_INVALID: { status: 400, message: 'error.pageCursorInvalid' },
  // --- registers and payments (eng-reg) ---
  BUSINESS_REGISTER_UNAVAILABLE: { status: 503, message: 'error.businessRegisterUnavailable' },
  PROPERTY_REGISTER_UNAVAILABLE: { status: 503, message: 'error.propertyRegisterUnavailable' },
  VEHICLE_REGISTER_UNAVAILABLE: { status: 503, message: 'error.vehicleRegisterUnavailable' },
  REPRESENTATION_REGISTER_UNAVAILABLE: { status: 503, message: 'error.representationRegisterUnavailable' },
  PAYMENT_PROVIDER_UNAVAILABLE: { status: 503, message: 'error.paymentProviderUnavailable' },
  PAYMENT_REFUND_REFUSED: { status: 409, message: 'error.paymentRefundRefused' },
  // --- end eng-reg ---
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

// --- registers and payments (eng-reg) ---
defineMessages({
  'error.businessRegisterUnavailable': {
    sv: 'Uppgifter om företag och föreningar från näringslivsregistret går inte att hämta just nu. Försök igen senare eller kontakta kommunen.',
    en: 'Details of companies and associations from the business register cannot be fetched right now. Try again later or contact the municipality.',
  },
  'error.propertyRegisterUnavailable': {
    sv: 'Uppgifter från fastighetsregistret går inte att hämta just nu. Försök igen senare eller kontakta kommunen.',
    en: 'Details from the property register cannot be fetched right now. Try again later or contact the municipality.',
  },
  'error.representationRegisterUnavailable': {
    sv: 'Uppgifter om gode män, förvaltare och fullmakter går inte att hämta just nu. Försök igen senare eller kontakta kommunen.',
    en: 'Details of trustees (gode män), administrators (förvaltare) and powers of attorney cannot be fetched right now. Try again later or contact the municipality.',
  },
  'error.vehicleRegisterUnavailable': {
    sv: 'Uppgifter från fordonsregistret går inte att hämta just nu. Försök igen senare eller kontakta kommunen.',
    en: 'Details from the vehicle register cannot be fetched right now. Try again later or contact the municipality.',
  },
  'error.paymentProviderUnavailable': {
    sv: 'Betalningen går inte att göra just nu. Dina svar är sparade. Försök igen om en stund.',
    en: 'The payment cannot be made right now. Your answers are saved. Try again in a moment.',
  },
  'error.paymentRefundRefused': {
    sv: 'Återbetalningen gick inte att göra: beloppet är större än det som återstår av betalningen, eller betalningen är inte genomförd.',
    en: 'The refund could not be made: the amount is more than what remains of the payment, or the payment is not completed.',
  },
});
// --- end eng-reg ---

defineMessages({
  'error.signInRequired': { sv: 'Du behöver logga in', en: 'You need to sign in' },
  'error.populationRegisterUnavailable': {
    sv: 'Uppgifter från folkbokföringen går inte att hämta just nu. Försök igen senare eller kontakta kommunen.',
    en: 'Details from the population register cannot be fetched right now. Try again later or contact the municipality.',
  },
  'error.virusScannerUnavailable': {
    sv: 'Filer kan inte tas emot just nu eftersom de inte kan kontrolleras mot virus. Försök igen senare eller kontakta kommunen.',
    en: 'Files cannot be received right now because they cannot be checked for viruses. Try again later or contact the municipality.',
  },
  'error.databaseUnavailable': {
    sv: 'Tjänsten har tillfälligt problem och kunde inte göra det du bad om. Det du redan sparat finns kvar. Försök igen om en liten stund.',
    en: 'The service has a temporary problem and could not do what you asked. What you have already saved is kept. Try again in a moment.',
  },
  'error.caseActionNotAllowed': {
    sv: 'Det går inte att göra det med ärendet i dess nuvarande läge. Ladda om sidan och se vad som har hänt.',
    en: 'That cannot be done with the case in its current state. Reload the page to see what has changed.',
  },
  'error.caseMessagesClosed': {
    sv: 'Det går inte längre att skicka meddelanden i det här ärendet. Ladda om sidan och se varför, eller kontakta kommunen.',
    en: 'Messages can no longer be sent on this case. Reload the page to see why, or contact the municipality.',
  },
  'error.decisionOwnProposal': {
    sv: 'Du kan inte godkänna ditt eget beslutsförslag. Någon annan med rätt att besluta behöver godkänna det.',
    en: 'You cannot approve your own proposed decision. Someone else allowed to decide needs to approve it.',
  },
  'error.pageCursorInvalid': {
    sv: 'Länken till den här sidan i listan fungerar inte. Börja om från listans första sida.',
    en: 'The link to this page of the list does not work. Start again from the first page of the list.',
  },
});

/** An expected failure with a stable code; the error handler renders it in the user's language. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    detail?: string,
  ) {
    super(detail ?? code);
    this.name = 'AppError';
    this.status = errorCatalogue[code].status;
  }
}

/** Registers further codes from a module; each module keeps its codes next to its messages. */
export function errorMessageKey(code: ErrorCode): string {
  return errorCatalogue[code].message;
}
