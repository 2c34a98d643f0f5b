/**
 * `medborg archive verify`: recomputes every case's chain. It finds an altered payload (even when
 * the altered row's own hash was recomputed: the next entry or the case's head no longer links),
 * an entry deleted from the middle or the tail, reordered entries, and forged rows. Deleting a whole
 * case is found once batches are sealed (ROADMAP 4).
 */
import type { Database } from '../kernel/db/index.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { entryHash, genesisHash, JOURNAL_COLUMNS, toEntry, type JournalEntry } from './journal.ts';

export interface VerifyProblem {
  tenant: string;
  caseId: string;
  reference: string | null;
  seq: number | null;
  problem: string;
}

export interface VerifyReport {
  cases: number;
  entries: number;
  problems: VerifyProblem[];
}

interface CaseHeadRow {
  id: string;
  reference: string;
  journal_seq: number;
  journal_head: string;
}

/** "entry 4" or "entries 4–6". */
const entryRange = (from: number, to: number) => (from === to ? `entry ${from}` : `entries ${from}–${to}`);

/** Checks one case's entries against its recorded head; returns what is wrong, if anything. */
export function checkChain(tenantId: string, c: { id: string; reference: string; journalSeq: number; journalHead: string }, entries: JournalEntry[]): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  const report = (seq: number | null, problem: string) => problems.push({ tenant: tenantId, caseId: c.id, reference: c.reference, seq, problem });
  let prev = genesisHash(tenantId, c.id);
  let expectedSeq = 1;
  for (const e of entries) {
    if (e.seq !== expectedSeq) {
      report(e.seq, e.seq > expectedSeq ? `${entryRange(expectedSeq, e.seq - 1)} missing before entry ${e.seq}` : `entry ${e.seq} out of order`);
    }
    if (e.prevHash !== prev) report(e.seq, `entry ${e.seq} does not link to the entry before it (deleted, reordered or forged)`);
    if (entryHash(tenantId, e) !== e.hash) report(e.seq, `entry ${e.seq} content does not match its hash (altered)`);
    prev = e.hash;
    expectedSeq = e.seq + 1;
  }
  const last = entries.at(-1);
  if (!last) {
    report(null, 'case has no journal entries');
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

/** Verifies every chain of every tenant; onProgress receives counts as it goes. */
export async function verifyArchive(
  db: Database,
  tenantIds: readonly string[],
  onProgress: (done: { tenant: string; cases: number }) => void = () => undefined,
  batchSize = 1000,
): Promise<VerifyReport> {
  const report: VerifyReport = { cases: 0, entries: 0, problems: [] };
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
      const { rows: cases } = await q.query<CaseHeadRow>(
        'SELECT id, reference, journal_seq, journal_head FROM cases WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3',
        [after, batchSize],
      );
      if (cases.length === 0) break;
      const ids = cases.map((c) => c.id);
      const { rows } = await q.query<Parameters<typeof toEntry>[0]>(
        `SELECT ${JOURNAL_COLUMNS} FROM journal WHERE tenant_id = $1 AND case_id = ANY($2::uuid[]) ORDER BY case_id, seq`,
        [ids],
      );
      const byCase = new Map<string, JournalEntry[]>();
      for (const r of rows) {
        const e = toEntry(r);
        (byCase.get(e.caseId) ?? byCase.set(e.caseId, []).get(e.caseId)!).push(e);
      }
      for (const c of cases) {
        report.problems.push(...checkChain(tenant, { id: c.id, reference: c.reference, journalSeq: c.journal_seq, journalHead: c.journal_head }, byCase.get(c.id) ?? []));
      }
      report.cases += cases.length;
      report.entries += rows.length;
      after = cases.at(-1)!.id;
      onProgress({ tenant, cases: report.cases });
    }
    const { rows: orphans } = await q.query<{ case_id: string; n: number }>(
      `SELECT j.case_id, count(*)::int AS n FROM journal j
        WHERE j.tenant_id = $1 AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.tenant_id = j.tenant_id AND c.id = j.case_id)
        GROUP BY j.case_id`,
    );
    for (const o of orphans) {
      report.problems.push({ tenant, caseId: o.case_id, reference: null, seq: null, problem: `${o.n === 1 ? '1 journal entry' : `${o.n} journal entries`} for a case that does not exist (forged)` });
    }
  }
  return report;
}
