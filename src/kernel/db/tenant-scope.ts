/**
 * Tenant isolation at the data layer. Every table carries tenant_id in its key; repositories
 * never see the raw database, only a TenantScope, which binds the tenant as $1 of every
 * statement and refuses SQL that does not filter on it. A query without a tenant throws.
 *
 * The guard reads the SQL (comments and quoted text set aside) and refuses it unless every table
 * that any part of it touches (subqueries, WITH parts, joins) is tied to $1:
 *   - by a condition ANDed into its WHERE, or into an inner join's ON: `tenant_id = $1`,
 *     `x.tenant_id = $1`, or `x.tenant_id = y.tenant_id` where y is tied (joins, correlated
 *     subqueries); a LEFT JOIN's ON ties only the table it joins;
 *   - an INSERT: tenant_id first in its column list and $1 first in every row, VALUES or SELECT.
 * A statement that touches no table must hand the tenant to a function by name (`tenant_id => $1`).
 * An UPDATE may not set tenant_id, and ON CONFLICT DO UPDATE must name tenant_id in its target.
 * It guards against mistakes in the SQL the code writes; it is no sandbox (a function called from
 * the SQL can read what it likes).
 */
import type { Database, Queryable, QueryResult } from './types.ts';

export class MissingTenantError extends Error {
  constructor(detail: string) {
    super(`Tenant-scoped query refused: ${detail}`);
    this.name = 'MissingTenantError';
  }
}

const TENANT_ID = /^[a-z][a-z0-9_]{1,39}$/;

// ---------------------------------------------------------------------------------------------
// Tokens: words (lower-cased unless quoted), parameters, operators, literals, and parenthesised
// groups as nested token lists, so each level of a statement is read on its own.

type Token =
  | { kind: 'word'; text: string; quoted: boolean }
  | { kind: 'param'; n: number }
  | { kind: 'op'; text: string }
  | { kind: 'literal' }
  | { kind: 'group'; items: Token[] };

class Refused extends Error {}

const OPERATOR_CHARS = new Set('+-*/<>=~!@#%^&|`?');
const WORD_START = /[A-Za-z_\u0080-\uFFFF]/;
const WORD_REST = /[A-Za-z0-9_$\u0080-\uFFFF]/;

/** Index after the string literal opening at i (standard: '' doubles a quote; escaped: \ escapes). */
function endOfString(sql: string, i: number, backslashEscapes: boolean): number {
  for (let j = i + 1; j < sql.length; j++) {
    if (backslashEscapes && sql[j] === '\\') j++;
    else if (sql[j] === "'") {
      if (sql[j + 1] === "'") j++;
      else return j + 1;
    }
  }
  throw new Refused('unterminated string');
}

function tokenize(sql: string): Token[] {
  const root: Token[] = [];
  const stack: Token[][] = [root];
  const push = (t: Token) => stack.at(-1)!.push(t);
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (sql.startsWith('/*', i)) {
      // PostgreSQL block comments nest.
      let depth = 0;
      do {
        if (i >= sql.length) throw new Refused('unterminated comment');
        if (sql.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (sql.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else {
          i++;
        }
      } while (depth > 0);
    } else if (c === "'") {
      i = endOfString(sql, i, false);
      push({ kind: 'literal' });
    } else if (c === '"') {
      let text = '';
      let j = i + 1;
      for (;;) {
        const end = sql.indexOf('"', j);
        if (end === -1) throw new Refused('unterminated quoted identifier');
        text += sql.slice(j, end);
        if (sql[end + 1] !== '"') {
          i = end + 1;
          break;
        }
        text += '"';
        j = end + 2;
      }
      push({ kind: 'word', text, quoted: true });
    } else if (c === '$' && /\d/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (/\d/.test(sql[j] ?? '')) j++;
      push({ kind: 'param', n: Number(sql.slice(i + 1, j)) });
      i = j;
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0];
      if (!tag) throw new Refused('unexpected $');
      const end = sql.indexOf(tag, i + tag.length);
      if (end === -1) throw new Refused('unterminated dollar-quoted text');
      i = end + tag.length;
      push({ kind: 'literal' });
    } else if (/\d/.test(c) || (c === '.' && /\d/.test(sql[i + 1] ?? ''))) {
      i += /^(\d*\.?\d+|\d+\.)(e[+-]?\d+)?/i.exec(sql.slice(i))![0].length;
      push({ kind: 'literal' });
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < sql.length && WORD_REST.test(sql[j]!)) j++;
      const text = sql.slice(i, j).toLowerCase();
      i = j;
      // E'…' (backslash escapes), B'…', X'…', N'…': one literal, not a word and a string.
      if (sql[i] === "'" && ['e', 'b', 'x', 'n'].includes(text)) {
        i = endOfString(sql, i, text === 'e');
        push({ kind: 'literal' });
      } else {
        push({ kind: 'word', text, quoted: false });
      }
    } else if (c === '(') {
      const group: Token = { kind: 'group', items: [] };
      push(group);
      stack.push(group.items);
      i++;
    } else if (c === ')') {
      if (stack.length === 1) throw new Refused('unbalanced parentheses');
      stack.pop();
      i++;
    } else if (c === ':' && sql[i + 1] === ':') {
      push({ kind: 'op', text: '::' });
      i += 2;
    } else if (OPERATOR_CHARS.has(c)) {
      let j = i + 1;
      while (j < sql.length && OPERATOR_CHARS.has(sql[j]!) && !sql.startsWith('--', j) && !sql.startsWith('/*', j)) j++;
      push({ kind: 'op', text: sql.slice(i, j) });
      i = j;
    } else {
      push({ kind: 'op', text: c });
      i++;
    }
  }
  if (stack.length !== 1) throw new Refused('unbalanced parentheses');
  return root;
}

const isWord = (t: Token | undefined, ...words: string[]): boolean => t?.kind === 'word' && !t.quoted && words.includes(t.text);
const isOp = (t: Token | undefined, text: string): boolean => t?.kind === 'op' && t.text === text;
const isTenantColumn = (t: Token | undefined): boolean => t?.kind === 'word' && t.text === 'tenant_id';
const isGroup = (t: Token | undefined): t is Extract<Token, { kind: 'group' }> => t?.kind === 'group';
const textOf = (t: Token | undefined): string => (t?.kind === 'word' ? t.text : '');

/** Splits at depth-0 tokens for which at(i) is true (the separators are dropped). */
function splitWhere(items: Token[], at: (i: number) => boolean): Token[][] {
  const parts: Token[][] = [[]];
  items.forEach((t, i) => (at(i) ? parts.push([]) : parts.at(-1)!.push(t)));
  return parts;
}
const splitCommas = (items: Token[]) => splitWhere(items, (i) => isOp(items[i], ','));

/** `$1`, or `$1::text`. */
const isTenantParam = (ts: Token[]): boolean =>
  ts.length > 0 && ts[0]!.kind === 'param' && ts[0]!.n === 1 && (ts.length === 1 || (ts.length === 3 && isOp(ts[1], '::') && ts[2]!.kind === 'word'));

// ---------------------------------------------------------------------------------------------
// Conditions: which `tenant_id` equalities hold for every row a statement reads or changes.

/** One side of an equality: $1, or the tenant_id column of `alias` (undefined: unqualified). */
type End = { param: true } | { param: false; alias: string | undefined };
type Fact = [End, End];

function endOf(ts: Token[]): End | undefined {
  if (isTenantParam(ts)) return { param: true };
  const last = ts.at(-1);
  if (!isTenantColumn(last)) return undefined;
  if (ts.length === 1) return { param: false, alias: undefined };
  // x.tenant_id or schema.x.tenant_id
  if ((ts.length === 3 || ts.length === 5) && ts.every((t, i) => (i % 2 === 1 ? isOp(t, '.') : t.kind === 'word'))) {
    return { param: false, alias: textOf(ts.at(-3)) };
  }
  return undefined;
}

/** The parts of a condition joined by AND at its top level; undefined when an OR is there too. */
function conjuncts(items: Token[]): Token[][] | undefined {
  const parts: Token[][] = [[]];
  let caseDepth = 0;
  let between = false;
  for (const t of items) {
    if (isWord(t, 'case')) caseDepth++;
    else if (isWord(t, 'end')) caseDepth--;
    else if (caseDepth === 0 && isWord(t, 'or')) return undefined;
    else if (caseDepth === 0 && isWord(t, 'between')) between = true;
    else if (caseDepth === 0 && isWord(t, 'and')) {
      if (between) between = false;
      else {
        parts.push([]);
        continue;
      }
    }
    parts.at(-1)!.push(t);
  }
  return parts;
}

/** The tenant_id equalities that hold wherever the condition is true. */
function factsOf(condition: Token[]): Fact[] {
  const facts: Fact[] = [];
  for (const c of conjuncts(condition) ?? []) {
    if (c.length === 1 && isGroup(c[0])) {
      facts.push(...factsOf(c[0].items));
      continue;
    }
    const eq = c.flatMap((t, i) => (isOp(t, '=') ? [i] : []));
    if (eq.length !== 1) continue;
    const left = endOf(c.slice(0, eq[0]));
    const right = endOf(c.slice(eq[0]! + 1));
    if (left && right && !(left.param && right.param)) facts.push([left, right]);
  }
  return facts;
}

// ---------------------------------------------------------------------------------------------
// Statements.

interface Scope {
  /** Names of WITH parts in reach: reading one is not reading a table. */
  ctes: ReadonlySet<string>;
  /** Aliases of enclosing statements that are tied to the tenant (for correlated subqueries). */
  outer: ReadonlySet<string>;
}

interface Tally {
  /** Tables found tied to the tenant. */
  tied: number;
}

interface Relation {
  alias: string;
  /** A table, not a WITH part, subquery or function. */
  table: boolean;
  name: string;
}

const STATEMENT_START = ['select', 'with', 'insert', 'update', 'delete', 'values', 'table'];
const startsStatement = (items: Token[]) => isWord(items[0], ...STATEMENT_START);

/** Reads every subquery below this level, with the aliases tied here in reach. */
function nested(items: Token[], scope: Scope, tally: Tally): void {
  for (const t of items) {
    if (!isGroup(t)) continue;
    if (startsStatement(t.items)) statement(t.items, scope, tally);
    else nested(t.items, scope, tally);
  }
}

const CLAUSE_END = new Set(['from', 'where', 'group', 'having', 'window', 'order', 'limit', 'offset', 'fetch', 'for', 'into', 'returning', 'set', 'using', 'union', 'intersect', 'except', 'on']);
const NOT_AN_ALIAS = new Set([...CLAUSE_END, 'join', 'natural', 'inner', 'left', 'right', 'full', 'cross', 'outer', 'lateral', 'tablesample', 'as', 'do']);

/** The depth-0 clause that starts with keyword (up to the next of `ends`), or undefined. */
function clause(items: Token[], keyword: string, ends: readonly string[]): Token[] | undefined {
  const isClauseWord = (i: number, words: readonly string[]) => {
    const t = items[i];
    if (!isWord(t, ...words)) return false;
    // `IS DISTINCT FROM` and `WITHIN GROUP` are no clauses.
    if (isWord(t, 'from') && isWord(items[i - 1], 'distinct')) return false;
    if (isWord(t, 'group') && isWord(items[i - 1], 'within')) return false;
    return true;
  };
  const start = items.findIndex((_t, i) => isClauseWord(i, [keyword]));
  if (start === -1) return undefined;
  let end = start + 1;
  while (end < items.length && !isClauseWord(end, ends)) end++;
  return items.slice(start + 1, end);
}

/** Reads a FROM list (or USING, or UPDATE … FROM): its relations and what its joins establish. */
function fromList(items: Token[], scope: Scope): { relations: Relation[]; facts: Fact[]; leftJoins: { alias: string; facts: Fact[] }[] } {
  const relations: Relation[] = [];
  const facts: Fact[] = [];
  const leftJoins: { alias: string; facts: Fact[] }[] = [];
  let i = 0;
  const alias = (fallback: string): string => {
    let name = fallback;
    if (isWord(items[i], 'as')) i++;
    const t = items[i];
    if (t?.kind === 'word' && (t.quoted || !NOT_AN_ALIAS.has(t.text))) {
      name = t.text;
      i++;
      if (isGroup(items[i])) i++; // column aliases
    }
    return name;
  };
  const item = (): Relation => {
    while (isWord(items[i], 'lateral', 'only')) i++;
    const t = items[i];
    if (isGroup(t)) {
      i++;
      return { alias: alias('(subquery)'), table: false, name: '(subquery)' };
    }
    if (t?.kind !== 'word') throw new Refused('unreadable FROM list');
    let name = t.text;
    i++;
    while (isOp(items[i], '.') && items[i + 1]?.kind === 'word') {
      name += `.${textOf(items[i + 1])}`;
      i += 2;
    }
    if (isGroup(items[i])) {
      i++; // a function: unnest(...), generate_series(...)
      return { alias: alias(name), table: false, name };
    }
    return { alias: alias(name.split('.').at(-1)!), table: !scope.ctes.has(name), name };
  };
  const JOIN_WORDS = ['join', 'natural', 'inner', 'left', 'right', 'full', 'cross', 'outer'];
  const joinStarts = (j: number) => isWord(items[j], ...JOIN_WORDS) && !isGroup(items[j + 1]);
  relations.push(item());
  while (i < items.length) {
    if (isOp(items[i], ',')) {
      i++;
      relations.push(item());
      continue;
    }
    const kinds: string[] = [];
    while (joinStarts(i) && !isWord(items[i], 'join')) kinds.push(textOf(items[i++]));
    if (!isWord(items[i], 'join')) throw new Refused('unreadable FROM list');
    i++;
    const joined = item();
    relations.push(joined);
    if (isWord(items[i], 'on')) {
      const start = ++i;
      while (i < items.length && !isOp(items[i], ',') && !joinStarts(i)) i++;
      const on = factsOf(items.slice(start, i));
      // An inner join's ON filters every row; a LEFT JOIN's only which rows of the joined table
      // appear; RIGHT and FULL joins keep rows on the other side whatever ON says.
      if (kinds.every((k) => k === 'inner')) facts.push(...on);
      else if (kinds[0] === 'left') leftJoins.push({ alias: joined.alias, facts: on });
    } else if (isWord(items[i], 'using')) {
      i += 2;
    }
  }
  return { relations, facts, leftJoins };
}

/** Refuses unless every table among relations is tied to $1 by the facts; counts the tables. */
function requireTied(
  relations: Relation[],
  facts: Fact[],
  leftJoins: { alias: string; facts: Fact[] }[],
  scope: Scope,
  tally: Tally,
): Set<string> {
  const aliases = new Set(relations.map((r) => r.alias));
  const tied = new Set<string>();
  const refersTo = (e: End): string[] => (e.param ? [] : e.alias === undefined ? [...aliases] : aliases.has(e.alias) ? [e.alias] : []);
  const holds = (e: End): boolean =>
    e.param || (e.alias !== undefined && (tied.has(e.alias) || (!aliases.has(e.alias) && scope.outer.has(e.alias))));
  for (let changed = true; changed; ) {
    changed = false;
    const tie = (alias: string) => {
      if (tied.has(alias)) return;
      tied.add(alias);
      changed = true;
    };
    for (const [a, b] of facts) {
      if (holds(a)) refersTo(b).forEach(tie);
      if (holds(b)) refersTo(a).forEach(tie);
    }
    for (const j of leftJoins) {
      for (const [a, b] of j.facts) {
        if ((holds(a) && refersTo(b).includes(j.alias)) || (holds(b) && refersTo(a).includes(j.alias))) tie(j.alias);
      }
    }
  }
  for (const r of relations) {
    if (!r.table) continue;
    if (!tied.has(r.alias)) throw new Refused(`${r.name} is not filtered on tenant_id = $1`);
    tally.tied++;
  }
  return tied;
}

/** The scope for the subqueries of a level: its tied aliases join (and shadow) the outer ones. */
function inner(scope: Scope, relations: Relation[], tied: Set<string>): Scope {
  const outer = new Set([...scope.outer].filter((a) => !relations.some((r) => r.alias === a)));
  for (const a of tied) outer.add(a);
  return { ctes: scope.ctes, outer };
}

/** Refuses SET lists that assign tenant_id (moving a row to another tenant). */
function refuseTenantAssignment(set: Token[]): void {
  for (const a of splitCommas(set)) {
    const target = a[0];
    if (isTenantColumn(target) || (isGroup(target) && target.items.some(isTenantColumn))) throw new Refused('an UPDATE may not set tenant_id');
  }
}

function selectStatement(items: Token[], scope: Scope, tally: Tally): void {
  if (isWord(items[0], 'values')) return nested(items, scope, tally);
  if (!isWord(items[0], 'select')) throw new Refused('unreadable statement');
  if (clause(items, 'into', [])) throw new Refused('SELECT INTO is not a query');
  const from = clause(items, 'from', ['where', 'group', 'having', 'window', 'order', 'limit', 'offset', 'fetch', 'for']);
  const where = clause(items, 'where', ['group', 'having', 'window', 'order', 'limit', 'offset', 'fetch', 'for']);
  const f = from ? fromList(from, scope) : { relations: [], facts: [], leftJoins: [] };
  const tied = requireTied(f.relations, [...f.facts, ...factsOf(where ?? [])], f.leftJoins, scope, tally);
  nested(items, inner(scope, f.relations, tied), tally);
}

/** The first SELECT-list item of every part of an INSERT's query must be $1. */
function insertQuery(items: Token[], scope: Scope, tally: Tally): void {
  if (items.length === 1 && isGroup(items[0])) return insertQuery(items[0].items, scope, tally);
  const { rest, scope: s } = withClause(items, scope, tally);
  for (const part of setOperands(rest)) {
    if (part.length === 1 && isGroup(part[0])) {
      insertQuery(part[0].items, s, tally);
      continue;
    }
    if (isWord(part[0], 'values')) {
      insertRows(part.slice(1));
      nested(part, s, tally);
      continue;
    }
    if (!isWord(part[0], 'select')) throw new Refused('unreadable INSERT');
    const list = clause(part, 'select', [...CLAUSE_END]) ?? [];
    const first = splitCommas(isWord(list[0], 'all') ? list.slice(1) : list)[0]!;
    if (!isTenantParam(first)) throw new Refused('an INSERT … SELECT must select $1 first (for tenant_id)');
    selectStatement(part, s, tally);
  }
}

/** Every VALUES row must start with $1. */
function insertRows(rows: Token[]): void {
  for (const row of splitCommas(rows)) {
    if (row.length !== 1 || !isGroup(row[0]) || !isTenantParam(splitCommas(row[0].items)[0]!)) {
      throw new Refused('every VALUES row of an INSERT must give $1 first (for tenant_id)');
    }
  }
}

function insertStatement(items: Token[], scope: Scope, tally: Tally): void {
  let i = 1;
  if (!isWord(items[i++], 'into') || items[i]?.kind !== 'word') throw new Refused('unreadable INSERT');
  let name = textOf(items[i++]);
  while (isOp(items[i], '.') && items[i + 1]?.kind === 'word') {
    name += `.${textOf(items[i + 1])}`;
    i += 2;
  }
  if (isWord(items[i], 'as')) i += 2;
  const columns = items[i++];
  if (!isGroup(columns) || !isTenantColumn(columns.items[0]) || !(columns.items.length === 1 || isOp(columns.items[1], ','))) {
    throw new Refused(`an INSERT into ${name} must list tenant_id first`);
  }
  if (isWord(items[i], 'overriding')) i += 3;
  let end = i;
  while (end < items.length && !(isWord(items[end], 'on') && isWord(items[end + 1], 'conflict')) && !isWord(items[end], 'returning')) end++;
  const query = items.slice(i, end);
  if (isWord(query[0], 'default')) throw new Refused('an INSERT must give $1 for tenant_id');
  insertQuery(query, scope, tally);
  tally.tied++;
  const tail = items.slice(end);
  if (isWord(tail[0], 'on')) {
    const doAt = tail.findIndex((t) => isWord(t, 'do'));
    if (isWord(tail[doAt + 1], 'update')) {
      const target = tail[2];
      if (!isGroup(target) || !target.items.some(isTenantColumn)) throw new Refused('ON CONFLICT DO UPDATE must name tenant_id in its conflict target');
      refuseTenantAssignment(clause(tail, 'set', ['where', 'returning']) ?? []);
    }
  }
  nested(tail, scope, tally);
}

function updateStatement(items: Token[], scope: Scope, tally: Tally): void {
  const setAt = items.findIndex((t) => isWord(t, 'set'));
  if (setAt < 2) throw new Refused('unreadable UPDATE');
  const target = fromList(items.slice(1, setAt), scope).relations;
  if (target.length !== 1) throw new Refused('unreadable UPDATE');
  refuseTenantAssignment(clause(items, 'set', ['from', 'where', 'returning']) ?? []);
  const from = clause(items, 'from', ['where', 'returning']);
  const f = from ? fromList(from, scope) : { relations: [], facts: [], leftJoins: [] };
  const relations = [...target, ...f.relations];
  const where = clause(items, 'where', ['returning']) ?? [];
  const tied = requireTied(relations, [...f.facts, ...factsOf(where)], f.leftJoins, scope, tally);
  nested(items, inner(scope, relations, tied), tally);
}

function deleteStatement(items: Token[], scope: Scope, tally: Tally): void {
  if (!isWord(items[1], 'from')) throw new Refused('unreadable DELETE');
  const stop = items.findIndex((t, i) => i > 1 && isWord(t, 'using', 'where', 'returning'));
  const target = fromList(items.slice(2, stop === -1 ? items.length : stop), scope).relations;
  if (target.length !== 1) throw new Refused('unreadable DELETE');
  const using = clause(items, 'using', ['where', 'returning']);
  const f = using ? fromList(using, scope) : { relations: [], facts: [], leftJoins: [] };
  const relations = [...target, ...f.relations];
  const where = clause(items, 'where', ['returning']) ?? [];
  const tied = requireTied(relations, [...f.facts, ...factsOf(where)], f.leftJoins, scope, tally);
  nested(items, inner(scope, relations, tied), tally);
}

/** Reads a leading WITH: checks each part, and gives the rest with the parts' names in scope. */
function withClause(items: Token[], scope: Scope, tally: Tally): { rest: Token[]; scope: Scope } {
  if (!isWord(items[0], 'with')) return { rest: items, scope };
  const ctes = new Set(scope.ctes);
  let i = 1;
  const recursive = isWord(items[i], 'recursive');
  if (recursive) i++;
  for (;;) {
    const name = items[i++];
    if (name?.kind !== 'word') throw new Refused('unreadable WITH');
    if (isGroup(items[i])) i++;
    if (!isWord(items[i++], 'as')) throw new Refused('unreadable WITH');
    if (isWord(items[i], 'not')) i++;
    if (isWord(items[i], 'materialized')) i++;
    const body = items[i++];
    if (!isGroup(body)) throw new Refused('unreadable WITH');
    if (recursive) ctes.add(name.text);
    statement(body.items, { ctes, outer: scope.outer }, tally);
    ctes.add(name.text);
    if (!isOp(items[i], ',')) break;
    i++;
  }
  return { rest: items.slice(i), scope: { ctes, outer: scope.outer } };
}

/** The operands of UNION, INTERSECT and EXCEPT at this level. */
function setOperands(items: Token[]): Token[][] {
  return splitWhere(items, (i) => isWord(items[i], 'union', 'intersect', 'except')).map((p) => (isWord(p[0], 'all', 'distinct') ? p.slice(1) : p));
}

function statement(items: Token[], scope: Scope, tally: Tally): void {
  const { rest, scope: s } = withClause(items, scope, tally);
  if (isWord(rest[0], 'insert')) return insertStatement(rest, s, tally);
  if (isWord(rest[0], 'update')) return updateStatement(rest, s, tally);
  if (isWord(rest[0], 'delete')) return deleteStatement(rest, s, tally);
  if (!isWord(rest[0], 'select', 'values') && !isGroup(rest[0])) throw new Refused('only SELECT, INSERT, UPDATE and DELETE are tenant-scoped');
  for (const part of setOperands(rest)) {
    if (part.length >= 1 && isGroup(part[0]) && startsStatement(part[0].items)) {
      statement(part[0].items, s, tally);
      nested(part.slice(1), s, tally);
    } else {
      selectStatement(part, s, tally);
    }
  }
}

/** `tenant_id => $1` anywhere: the tenant handed to a function by name. */
function namesTenantArgument(items: Token[]): boolean {
  return items.some((t, i) => (isGroup(t) ? namesTenantArgument(t.items) : isTenantColumn(t) && isOp(items[i + 1], '=>') && isTenantParam(items.slice(i + 2, i + 3))));
}

/** Why sql is refused, or undefined when every table it touches is tied to $1. */
function refusal(sql: string): string | undefined {
  try {
    const tokens = tokenize(sql);
    const statements = splitWhere(tokens, (i) => isOp(tokens[i], ';')).filter((s) => s.length > 0);
    if (statements.length !== 1) throw new Refused('one statement at a time');
    const tally: Tally = { tied: 0 };
    statement(statements[0]!, { ctes: new Set(), outer: new Set() }, tally);
    if (tally.tied === 0 && !namesTenantArgument(tokens)) throw new Refused('the SQL does not bind tenant_id to $1');
    return undefined;
  } catch (e) {
    if (e instanceof Refused) return e.message;
    throw e;
  }
}

// The statements are the code's own, so few distinct ones recur: the verdict is kept per text.
const verdicts = new Map<string, string | undefined>();
const MAX_VERDICTS = 2000;

/** Throws MissingTenantError unless sql ties every table it touches to the tenant in $1. */
export function assertTenantScoped(sql: string): void {
  let reason: string | undefined;
  if (verdicts.has(sql)) reason = verdicts.get(sql);
  else {
    reason = refusal(sql);
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(sql, reason);
  }
  if (reason !== undefined) throw new MissingTenantError(`${reason} (${sql.replace(/\s+/g, ' ').trim().slice(0, 120)})`);
}

function check(tenantId: string, sql: string): void {
  if (!tenantId || !TENANT_ID.test(tenantId)) throw new MissingTenantError('no valid tenant id');
  assertTenantScoped(sql);
}

/** Queries within one tenant: the tenant id is always parameter $1. */
export interface TenantQueryable {
  readonly tenantId: string;
  /** Runs sql with params as $2, $3, ...; $1 is the tenant id. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

export interface TenantScope extends TenantQueryable {
  transaction<T>(fn: (tx: TenantQueryable) => Promise<T>): Promise<T>;
}

function scopedQueryable(q: Queryable, tenantId: string): TenantQueryable {
  return {
    tenantId,
    async query<R>(sql: string, params: readonly unknown[] = []) {
      check(tenantId, sql);
      return q.query<R>(sql, [tenantId, ...params]);
    },
  };
}

// A scope holds nothing but its database and tenant id, so one per pair serves every request
// (the kernel asks for one on each; ADR 0019). Keyed weakly by the database: a closed one's go with it.
const scopes = new WeakMap<Database, Map<string, TenantScope>>();

/** Returns the view of db that can only read and write rows of tenantId. */
export function tenantScope(db: Database, tenantId: string): TenantScope {
  let byTenant = scopes.get(db);
  const known = byTenant?.get(tenantId);
  if (known) return known;
  if (!tenantId || !TENANT_ID.test(tenantId)) throw new MissingTenantError('no valid tenant id');
  const base = scopedQueryable(db, tenantId);
  const scope: TenantScope = {
    ...base,
    transaction: (fn) => db.transaction((tx) => fn(scopedQueryable(tx, tenantId))),
  };
  if (!byTenant) scopes.set(db, (byTenant = new Map()));
  byTenant.set(tenantId, scope);
  return scope;
}

export { TENANT_ID as TENANT_ID_PATTERN };
