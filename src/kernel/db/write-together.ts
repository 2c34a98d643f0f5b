/**
 * Several tenant-scoped writes in one round trip. A submission writes four rows (case, journal
 * entry, queued e-mail, draft marked submitted); sent one by one that is four waits for the
 * database, and on a busy node the round trips, not the writes, are what costs (bench/README.md).
 * PostgreSQL runs data-modifying statements inside WITH exactly once and to completion whether or
 * not the main query reads them, so the writes become the parts of one statement:
 *
 *   WITH w1 AS (INSERT ...), w2 AS (INSERT ...) UPDATE ...
 *
 * Limits, which the callers respect: the parts see the same snapshot (one cannot read what another
 * wrote, nor update the same row twice), and none may use RETURNING for the caller.
 *
 * writeTogetherIf adds a guard: an UPDATE or DELETE that must change a row for anything to be
 * written. It lets a caller read, decide and then write without holding a transaction (and a row
 * lock) open across its own work: the write re-checks, in the same statement, that what it read
 * still holds (optimistic concurrency). One statement is one transaction in PostgreSQL, so no
 * BEGIN and COMMIT round trips either.
 *
 * A Prelude puts parts in front of the guard, in the same statement: what must be taken first (a
 * row lock, expired rows set aside) and a `gate`, a condition over those parts that the guard must
 * also meet. When the gate is closed nothing is written and writeTogetherIf throws the prelude's
 * `refused()`. The parts run before the guard because the guard reads them (the gate), and the
 * inserts after it, because they read the guard: PostgreSQL runs a WITH part when it is first read.
 */
import type { TenantQueryable } from './tenant-scope.ts';

/** A tenant-scoped statement as TenantQueryable.query takes it: $1 is the tenant, params are $2… */
export interface Statement {
  sql: string;
  params: readonly unknown[];
}

const WRITE = /^\s*(INSERT|UPDATE|DELETE)\b/i;

/** Appends s's parameters to params and renumbers its $2… to follow the ones already there; $1 stays the tenant. */
function renumber(s: Statement, i: number, params: unknown[]): string {
  const offset = params.length;
  params.push(...s.params);
  const sql = s.sql.replace(/\$(\d+)\b/g, (_m, n: string) => {
    const k = Number(n);
    if (k === 1) return '$1';
    if (k - 1 > s.params.length) throw new Error(`statement ${i + 1} uses $${k} but has ${s.params.length} parameters`);
    return `$${k + offset}`;
  });
  return sql.trim().replace(/;$/, '');
}

function checkWrite(s: Statement, fn: string): void {
  if (!WRITE.test(s.sql)) throw new Error(`${fn} takes INSERT, UPDATE or DELETE statements, got: ${s.sql.slice(0, 40)}`);
  if (/\bRETURNING\b/i.test(s.sql)) throw new Error(`${fn} cannot hand RETURNING rows back`);
}

/** Combines statements into one: each keeps $1 (the tenant); its own $2… are renumbered after the previous ones'. */
export function combineWrites(statements: readonly Statement[]): Statement {
  if (statements.length === 1) return statements[0]!;
  const params: unknown[] = [];
  const parts = statements.map((s, i) => {
    checkWrite(s, 'combineWrites');
    return renumber(s, i, params);
  });
  const last = parts.pop()!;
  return { sql: `WITH ${parts.map((p, i) => `w${i + 1} AS (${p})`).join(', ')} ${last}`, params };
}

/** Runs the writes in one round trip (inside the caller's transaction when q is one). */
export async function writeTogether(q: TenantQueryable, statements: readonly Statement[]): Promise<void> {
  if (statements.length === 0) return;
  const { sql, params } = combineWrites(statements);
  await q.query(sql, params);
}

const INSERT_VALUES = /^(\s*INSERT\s+INTO\s+[^\s(]+\s*\([^)]*\))\s*VALUES\s*\(/i;

/** The end (exclusive) of the parenthesised group that opens before `from`, skipping quoted text; -1 if none. */
function closingParen(sql: string, from: number): number {
  let depth = 1;
  let i = from;
  for (; i < sql.length && depth > 0; i++) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      i = sql.indexOf(ch, i + 1);
      if (i === -1) return -1;
    } else if (ch === '(') depth++;
    else if (ch === ')') depth--;
  }
  return depth === 0 ? i : -1;
}

/**
 * `INSERT INTO t (cols) VALUES (row)` becomes `INSERT INTO t (cols) SELECT row WHERE <condition>`, and
 * several rows `… SELECT row1 WHERE <condition> UNION ALL SELECT row2 WHERE <condition>`. A single row's
 * parameters keep their types (PostgreSQL types an INSERT's SELECT list by the target columns); the
 * parts of a UNION are typed together first, so a statement of several rows casts every parameter
 * that is not text (`$3::uuid`) — without, PostgreSQL refuses it, it does not guess.
 */
function insertOnlyIf(sql: string, condition: string): string {
  const refuse = () => new Error(`writeTogetherIf takes INSERT … VALUES (…)[, (…)] statements, got: ${sql.slice(0, 60)}`);
  const head = INSERT_VALUES.exec(sql);
  if (!head) throw refuse();
  const rows: string[] = [];
  let at = head[0].length;
  for (;;) {
    const end = closingParen(sql, at);
    if (end === -1) throw refuse();
    rows.push(sql.slice(at, end - 1));
    const next = /^\s*,\s*\(/.exec(sql.slice(end));
    if (!next) {
      if (sql.slice(end).trim() !== '') throw refuse();
      break;
    }
    at = end + next[0].length;
  }
  return `${head[1]} ${rows.map((row) => `SELECT ${row} WHERE ${condition}`).join(' UNION ALL ')}`;
}

/**
 * Parts that run before writeTogetherIf's guard in its statement: `sql` is one or more WITH parts
 * (`name AS (…), …`, tenant-scoped, $1 the tenant and its own $2…), `gate` a condition over their
 * names that the guard must meet as well (its WHERE gets `AND (gate)`).
 */
export interface Prelude extends Statement {
  gate: string;
  /** What writeTogetherIf throws when the gate is closed (what the parts had to take was not to be had). */
  refused(): Error;
}

// The combined text depends only on the parts' texts and how many parameters each has: a submission
// sends the same few shapes again and again, so each is built (checked, renumbered, rewritten) once.
const combinedIf = new Map<string, string>();
const COMBINED_KEPT = 256;

/** The statement writeTogetherIf sends (exported for its tests). */
export function combineWritesIf(guard: Statement, statements: readonly Statement[], prelude?: Prelude): Statement {
  const all = prelude ? [prelude, guard, ...statements] : [guard, ...statements];
  const params = all.flatMap((s) => s.params);
  const key = `${prelude?.gate ?? ''}\0${all.map((s) => `${s.params.length}:${s.sql}`).join('\0')}`;
  const known = combinedIf.get(key);
  if (known !== undefined) return { sql: known, params };
  if (!/^\s*(UPDATE|DELETE)\b/i.test(guard.sql)) throw new Error(`writeTogetherIf's guard is an UPDATE or DELETE, got: ${guard.sql.slice(0, 40)}`);
  checkWrite(guard, 'writeTogetherIf');
  const renumbered: unknown[] = [];
  const parts: string[] = [];
  let gate = '';
  if (prelude) {
    // The gate names the prelude's parts and has no parameters of its own; the guard's WHERE comes last in its text.
    if (/\$\d/.test(prelude.gate)) throw new Error("a prelude's gate takes no parameters");
    if (!/\bWHERE\b/i.test(guard.sql)) throw new Error("writeTogetherIf's guard needs a WHERE for a prelude's gate");
    parts.push(renumber(prelude, 0, renumbered));
    gate = ` AND (${prelude.gate})`;
  }
  const first = parts.length;
  parts.push(`guarded AS (${renumber(guard, first, renumbered)}${gate} RETURNING 1)`);
  statements.forEach((s, i) => {
    checkWrite(s, 'writeTogetherIf');
    parts.push(`w${i + 1} AS (${insertOnlyIf(renumber(s, first + i + 1, renumbered), 'EXISTS (SELECT 1 FROM guarded)')})`);
  });
  const sql = `WITH ${parts.join(', ')} SELECT count(*)::int AS n${prelude ? `, NOT (${prelude.gate}) AS refused` : ''} FROM guarded`;
  if (combinedIf.size < COMBINED_KEPT) combinedIf.set(key, sql);
  return { sql, params };
}

/**
 * Runs the guard and, only if it changed at least one row, the inserts — in one statement, so
 * atomically; outside a transaction that statement is its own transaction. Returns whether the
 * guard matched. The inserts are `INSERT … VALUES (…)`, of one row or several (typed: insertOnlyIf).
 * With a prelude, its parts run first, and a closed gate throws its `refused()`.
 */
export async function writeTogetherIf(q: TenantQueryable, guard: Statement, statements: readonly Statement[], prelude?: Prelude): Promise<boolean> {
  const { sql, params } = combineWritesIf(guard, statements, prelude);
  const { rows } = await q.query<{ n: number; refused?: boolean }>(sql, params);
  if (prelude && rows[0]?.refused) throw prelude.refused();
  return (rows[0]?.n ?? 0) > 0;
}
