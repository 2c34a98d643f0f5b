/** The archive: the per-case hash-chained journal and its verification. */
export { chainEntries, insertEntries, insertEntriesStatement, readJournal, genesisHash, entryHash, JOURNAL_CLOCK } from './journal.ts';
export type { JournalEntry, JournalInput, JournalKind, ActorKind, ChainHead } from './journal.ts';
export { verifyArchive, checkChain, checkTimes } from './verify.ts';
export type { VerifyReport, VerifyProblem } from './verify.ts';
export { canonicalJson } from './canonical-json.ts';
export { CHAIN_KINDS, appendToChain, chainGenesis, chainHead, readChain, type ChainKind } from './chains.ts';
