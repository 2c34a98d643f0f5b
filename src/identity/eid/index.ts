/**
 * e-ID sign-in for residents: the OpenID Connect relying party, the built-in test e-ID provider
 * (demo mode), the residents repository and the "Your contact details" page.
 *
 * Other modules use: `requireResident(req, reply)` in a route that needs a signed-in resident,
 * `getResident(tdb, id)` and `updateContact(tdb, id, {email, phone})` (with `validateContact`
 * for translated validation messages).
 */
export { eidPlugin, eidFormActionOrigins } from './plugin.ts';
export { getResident, updateContact, requireResident, signedInResident, type Resident } from './residents.ts';
export { RESIDENT_SESSION_SUBJECT } from './residents-repository.ts';
export { validateContact, type ContactInput, type ContactErrors } from './contact.ts';
export { eidSettingsFor, EID_SCOPE, RelyingParty, SignInError, EidUnavailableError, describeError, type EidClientSettings, type PendingSignIn } from './relying-party.ts';
