/**
 * `medborg archive verify`: recomputes every case's chain. It finds an altered payload (even when
 * the altered row's own hash was recomputed: the next entry or the case's head no longer links),
 * an entry deleted from the middle or the tail, reordered entries, forged rows, and a time that goes
 * backwards along a chain (in an entry of version 2 a failure; in an older one, whose time came from
 * the writing node's clock, a warning: see journal.ts). Deleting a whole case is found once batches
 * are sealed (ROADMAP 4). It runs on a live system: each batch of heads is read with its entries in
 * one statement, so changes committed meanwhile are never reported.
 */
import type { Database } from '../kernel/db/index.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { entryHash, genesisHash, JOURNAL_COLUMNS, toEntry, type JournalEntry, type JournalRow } from './journal.ts';
import { CHAIN_KINDS, chainGenesis, type ChainKind } from './chains.ts';

/** The journal's columns as the batch query reads them (alias j): one list with readJournal's. */
const J_COLUMNS = JOURNAL_COLUMNS.split(', ').map((c) => `j.${c}`).join(', ');

export interface VerifyProblem {
  tenant: string;
  /** A chain that is not a case (ADR 0045): its kind; absent for a case. */
  chain?: ChainKind;
  /** The case's id, or the chain's. */
  caseId: string;
  reference: string | null;
  seq: number | null;
  problem: string;
}

export interface VerifyReport {
  cases: number;
  /** Chains that are not cases (allocation rounds, ADR 0045). */
  chains: number;
  entries: number;
  /** What breaks the archive: verification fails. */
  problems: VerifyProblem[];
  /** What is odd but explained by how older entries were written: reported, not failed. */
  warnings: VerifyProblem[];
}

interface CaseHeadRow {
  id: string;
  reference: string;
  journal_seq: number;
  journal_head: string;
}

/** A case head with one of its entries; the entry's columns are null for a case without entries. */
type BatchRow = CaseHeadRow & { [K in keyof JournalRow]: JournalRow[K] | null };

export interface VerifyOptions {
  /** Cases read per batch. */
  batchSize?: number;
  /**
   * For tests: runs after a batch of case heads and their entries is read, before it is checked,
   * with the batch's case ids. A change committed here must not be reported (see the batch read).
   */
  afterBatchRead?: (caseIds: string[]) => Promise<void> | void;
}

/** "entry 4" or "entries 4–6". */
const entryRange = (from: number, to: number) => (from === to ? `entry ${from}` : `entries ${from}–${to}`);

/** Checks one case's entries against its recorded head; returns what is wrong, if anything. */
export function checkChain(tenantId: string, c: { id: string; reference: string | null; journalSeq: number; journalHead: string; chain?: ChainKind }, entries: JournalEntry[]): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  const report = (seq: number | null, problem: string) => problems.push({ tenant: tenantId, ...(c.chain ? { chain: c.chain } : {}), caseId: c.id, reference: c.reference, seq, problem });
  let prev = c.chain ? chainGenesis(tenantId, c.chain, c.id) : genesisHash(tenantId, c.id);
  let expectedSeq = 1;
  let before: { seq: number; selfConsistent: boolean } | undefined;
  for (const e of entries) {
    const selfConsistent = entryHash(tenantId, e) === e.hash;
    if (e.seq !== expectedSeq) {
      report(e.seq, e.seq > expectedSeq ? `${entryRange(expectedSeq, e.seq - 1)} missing before entry ${e.seq}` : `entry ${e.seq} out of order`);
    }
    if (e.prevHash !== prev) {
      // Two adjacent rows, each matching its own hash, that do not link: the one before was
      // rewritten and its hash recomputed (or this one's link was). Name it too, as the likely one.
      if (selfConsistent && before?.selfConsistent && before.seq === e.seq - 1) {
        report(before.seq, `entry ${before.seq} is not the entry that entry ${e.seq} was chained to (altered, its hash recomputed)`);
      }
      report(e.seq, `entry ${e.seq} does not link to the entry before it (deleted, reordered or forged)`);
    }
    if (!selfConsistent) report(e.seq, `entry ${e.seq} content does not match its hash (altered)`);
    prev = e.hash;
    expectedSeq = e.seq + 1;
    before = { seq: e.seq, selfConsistent };
  }
  const last = entries.at(-1);
  if (!last) {
    report(null, c.chain ? 'chain has no journal entries' : 'case has no journal entries');
  } else if (last.seq !== c.journalSeq || last.hash !== c.journalHead) {
    if (last.seq < c.journalSeq) report(last.seq + 1, `${entryRange(last.seq + 1, c.journalSeq)} missing at the tail`);
    else if (last.seq > c.journalSeq) {
      const extra = entryRange(c.journalSeq + 1, last.seq);
      report(c.journalSeq + 1, `${extra} after the case's recorded head ${last.seq - c.journalSeq === 1 ? 'is' : 'are'} not part of its chain (forged)`);
    }
    else report(last.seq, `entry ${last.seq} is not the chain head the case recorded (altered or forged)`);
  }
  return problems;
}

/**
 * Checks that a case's entries are ordered in time. An entry of version 2 took the database's time
 * under the case's lock, never before the previous entry's: one recorded before the entry before it
 * was altered or forged (its hash recomputed, or checkChain would have said so). A version 1 entry
 * took the writing node's clock, which could run behind another node's: a warning only.
 */
export function checkTimes(tenantId: string, c: { id: string; reference: string | null; chain?: ChainKind }, entries: JournalEntry[]): { problems: VerifyProblem[]; warnings: VerifyProblem[] } {
  const problems: VerifyProblem[] = [];
  const warnings: VerifyProblem[] = [];
  const chain = c.chain ? { chain: c.chain } : {};
  for (let i = 1; i < entries.length; i++) {
    const [before, e] = [entries[i - 1]!, entries[i]!];
    if (e.recordedAt.getTime() >= before.recordedAt.getTime()) continue;
    const backwards = `entry ${e.seq} is recorded at ${e.recordedAt.toISOString()}, before entry ${before.seq} (${before.recordedAt.toISOString()})`;
    if (e.version >= 2) {
      problems.push({ tenant: tenantId, ...chain, caseId: c.id, reference: c.reference, seq: e.seq, problem: `${backwards}: its time is the database's, never earlier than the entry before (altered or forged)` });
    } else {
      warnings.push({ tenant: tenantId, ...chain, caseId: c.id, reference: c.reference, seq: e.seq, problem: `${backwards}: written with the clock of the node that wrote it (version ${e.version}), which may have run behind` });
    }
  }
  return { problems, warnings };
}

/** Verifies every chain of every tenant; onProgress receives counts as it goes. */
export async function verifyArchive(
  db: Database,
  tenantIds: readonly string[],
  onProgress: (done: { tenant: string; cases: number }) => void = () => undefined,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const batchSize = options.batchSize ?? 1000;
  const report: VerifyReport = { cases: 0, chains: 0, entries: 0, problems: [], warnings: [] };
  // Rows that name a tenant this installation does not serve were written around the application.
  const known = new Set(tenantIds);
  const { rows: tenantsInJournal } = await db.query<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM journal');
  for (const { tenant_id } of tenantsInJournal) {
    if (!known.has(tenant_id)) report.problems.push({ tenant: tenant_id, caseId: '-', reference: null, seq: null, problem: 'journal rows for an unknown tenant (forged)' });
  }
  for (const tenant of tenantIds) {
    const q = tenantScope(db, tenant);
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      // One statement reads a batch of case heads together with their entries: it sees one
      // snapshot, so a change committed while the verifier runs is either wholly in the batch
      // (entry and head) or not at all. Two reads would see an entry committed between them
      // beyond the head read first, and report it as forged.
      const { rows } = await q.query<BatchRow>(
        `WITH batch AS (
           SELECT id, reference, journal_seq, journal_head FROM cases WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3
         )
         SELECT b.id, b.reference, b.journal_seq, b.journal_head,
                ${J_COLUMNS}
           FROM batch b LEFT JOIN journal j ON j.tenant_id = $1 AND j.case_id = b.id
          ORDER BY b.id, j.seq`,
        [after, batchSize],
      );
      if (rows.length === 0) break;
      const cases: CaseHeadRow[] = [];
      const byCase = new Map<string, JournalEntry[]>();
      for (const r of rows) {
        if (cases.at(-1)?.id !== r.id) {
          cases.push({ id: r.id, reference: r.reference, journal_seq: r.journal_seq, journal_head: r.journal_head });
          byCase.set(r.id, []);
        }
        // A case without entries comes back once, with the journal's columns null.
        if (r.seq !== null) byCase.get(r.id)!.push(toEntry(r as JournalRow));
      }
      await options.afterBatchRead?.(cases.map((c) => c.id));
      for (const c of cases) {
        const head = { id: c.id, reference: c.reference, journalSeq: c.journal_seq, journalHead: c.journal_head };
        const entries = byCase.get(c.id) ?? [];
        report.problems.push(...checkChain(tenant, head, entries));
        const times = checkTimes(tenant, head, entries);
        report.problems.push(...times.problems);
        report.warnings.push(...times.warnings);
      }
      report.cases += cases.length;
      report.entries += rows.filter((r) => r.seq !== null).length;
      after = cases.at(-1)!.id;
      onProgress({ tenant, cases: report.cases });
    }
    await verifyChains(q, report, batchSize);
    const { rows: orphans } = await q.query<{ case_id: string; n: number }>(
      `SELECT j.case_id, count(*)::int AS n FROM journal j
        WHERE j.tenant_id = $1 AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.tenant_id = j.tenant_id AND c.id = j.case_id)
          AND NOT EXISTS (SELECT 1 FROM journal_chains h WHERE h.tenant_id = j.tenant_id AND h.id = j.case_id)
        GROUP BY j.case_id`,
    );
    for (const o of orphans) {
      report.problems.push({ tenant, caseId: o.case_id, reference: null, seq: null, problem: `${o.n === 1 ? '1 journal entry' : `${o.n} journal entries`} for a case that does not exist (forged)` });
    }
  }
  return report;
}

/**
 * The chains that are not cases (ADR 0045), each from its kind's genesis to the head in
 * `journal_chains`; read as cases are, a batch of heads with their entries in one statement. A chain
 * whose id is also a case's is forged (a case's entries would be verified twice, against two heads).
 */
async function verifyChains(q: ReturnType<typeof tenantScope>, report: VerifyReport, batchSize: number): Promise<void> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await q.query<{ id: string; chain_kind: string; journal_seq: number; journal_head: string; also_case: boolean } & { [K in keyof JournalRow]: JournalRow[K] | null }>(
      `WITH batch AS (
         SELECT id, kind, journal_seq, journal_head FROM journal_chains WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3
       )
       SELECT b.id, b.kind AS chain_kind, b.journal_seq, b.journal_head,
              EXISTS (SELECT 1 FROM cases c WHERE c.tenant_id = $1 AND c.id = b.id) AS also_case,
              ${J_COLUMNS}
         FROM batch b LEFT JOIN journal j ON j.tenant_id = $1 AND j.case_id = b.id
        ORDER BY b.id, j.seq`,
      [after, batchSize],
    );
    if (rows.length === 0) return;
    const heads: { id: string; kind: string; seq: number; head: string; alsoCase: boolean; entries: JournalEntry[] }[] = [];
    for (const r of rows) {
      if (heads.at(-1)?.id !== r.id) heads.push({ id: r.id, kind: r.chain_kind, seq: r.journal_seq, head: r.journal_head, alsoCase: r.also_case, entries: [] });
      if (r.seq !== null) heads.at(-1)!.entries.push(toEntry(r as JournalRow));
    }
    for (const h of heads) {
      if (!(CHAIN_KINDS as readonly string[]).includes(h.kind)) {
        report.problems.push({ tenant: q.tenantId, caseId: h.id, reference: null, seq: null, problem: `a journal chain of an unknown kind "${h.kind}" (forged)` });
        continue;
      }
      const chain = h.kind as ChainKind;
      if (h.alsoCase) report.problems.push({ tenant: q.tenantId, chain, caseId: h.id, reference: null, seq: null, problem: 'a chain with the id of a case (forged)' });
      const c = { id: h.id, reference: null, journalSeq: h.seq, journalHead: h.head, chain };
      report.problems.push(...checkChain(q.tenantId, c, h.entries));
      const times = checkTimes(q.tenantId, c, h.entries);
      report.problems.push(...times.problems);
      report.warnings.push(...times.warnings);
      report.entries += h.entries.length;
    }
    report.chains += heads.length;
    after = heads.at(-1)!.id;
  }
}
