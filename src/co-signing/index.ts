/**
 * Co-signing (docs/adr/0016-co-signing.md): a second signer approves a submission before it goes
 * on — the other custodian of the subject child, or a person a field names. The front door.
 */
export { withCoSigners, addressMail, answerCoSign, expireDueCoSigning, applicantEmailOf, pendingRequestOf, CoSignClosedError, type CoSignAnswer, type CoSignActor } from './co-signing.ts';
export { coSigningRoutes, coSigningCaseExtension, confirmationNotice } from './routes.tsx';
export { coSignMessages } from './messages.ts';
