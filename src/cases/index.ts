/** Cases: the case store, the workflow engine, and the one way to change a case (with its journal entry). */
export { createCase, createCaseIf, type CreateCaseInput } from './create-case.ts';
export { changeCase, type CaseChange } from './case-changes.ts';
export { getCase, getCaseByReference, casesOfPerson, casesOfEmail, applicantIdOf, subjectOf, type Case, type Decision } from './cases.repository.ts';
export { partyIn, residentApplicant, childSubject, type CaseParty, type NewParty, type PartyRole, type PartyKind } from './parties.ts';
export { ensureReferenceSequences, formatReference, NEXT_CASE_NUMBER } from './reference.ts';
export { nextState, availableActions, requireAction, actionById, actionOfKind, actorOf, dueAt, stateOf } from './workflow.ts';
export { runAction, type Actor } from './run-action.ts';
export type { ActionInput } from './action-kinds/index.ts';
export { matterWords, type MatterWords } from './matter.ts';
export { casesPlugin } from './plugin.ts';
export type { CaseExtension, CasesOptions } from './extensions.ts';
export * as caseActions from './actions.ts';
export { checkFiles, storeFiles, insertAttachments, getAttachment, sniffType, MAX_FILE_BYTES, MAX_FILES } from './attachments.ts';
export { Timeline } from './views/timeline.tsx';
export { statusLabel, statusColor } from './views/resident.tsx';
export { inboxHomeSection } from './home-section.tsx';
export { addressLines } from './letter-address.ts';
export { attachmentFile, sendAttachment, documentFile, sendDocument } from './downloads.ts';
