/**
 * The allocation engine (issue 11, ADR 0042) and its rounds (ADR 0044): `allocate` (engine.ts) over
 * frozen inputs and a published seed; rounds freeze a service's applications, preview, publish and
 * verify (rounds.ts); staff's and the public pages (round-staff.tsx), the family's result on the case
 * pages (round-case.tsx), `medborg allocate --round --verify` (cli.ts).
 */
export { allocate, compact, AllocationInputError, type AllocationInput, type AllocationResult, type ChildResult, type Cutoff } from './engine.ts';
export { deferredAcceptance, keyParts, priorityKey, type CompactInput, type CompactResult } from './deferred-acceptance.ts';
export { generator, lotteryNumbers } from './lottery.ts';

export { allocated, buildSnapshot, caseResult, freezeRound, publishRound, readFrozen, resultHash, runSnapshot, schoolsOf, snapshotHash, verifyRound, NoApplicationsError, RoundStateError, type AllocatedService, type CaseResult, type Frozen, type Snapshot } from './rounds.ts';
export { getRound, insertRound, isRoundId, roundsOf, type Round } from './rounds.repository.ts';
export { allocationRoundsPlugin, allocationHomeSection, STAFF_ALLOCATION, PUBLIC_ROUNDS } from './round-staff.tsx';
export { allocationCaseExtension } from './round-case.tsx';
