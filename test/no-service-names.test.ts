/**
 * Services are data; engines know no service (issue 7, item 12). Nothing under src/ — except the demo seed and
 * tests — may name a service, a field, a step, a state or a decision type of any definition in the catalogue.
 *
 * The names come from every YAML file under catalogue/ (so a service added there is covered at once), and the
 * source is read with TypeScript's own parser, so comments and prose do not count. Four rules:
 *   A. a string literal that is a service id;
 *   B. an answer read by a literal key (`answers.email`, `c.answers['startDate']`): a field id in code;
 *   C. a status compared with (or switched on) a literal that is a state id (not a word of the format, such as an
 *      outcome kind: a promise's `status === 'rejected'` is not about cases);
 *   D. any other string literal that is an id from a definition, unless it is the engine's own vocabulary —
 *      a word of the definition format itself (a key or enum value of the JSON Schema) or an engine event kind;
 *   E. a segment of a path in a literal or template (a route, a link: `/staff/x/vacancies`) that is a service's
 *      or a register's id — a register is data as much as a service is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import YAML from 'yaml';
import { repoRoot } from './helpers/app.ts';
import { serviceDefinitionSchema } from '../src/catalogue/schema.ts';
import { tenantsFileSchema } from '../src/kernel/tenants.ts';

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full, keep));
    else if (keep(full)) out.push(full);
  }
  return out;
}

interface DefinitionNames {
  services: Set<string>;
  /** The registers' ids (catalogue/<tenant>/registers). */
  registers?: Set<string>;
  /** Fields, steps, states, decision types and decision fields, with where each was seen. */
  ids: Map<string, string>;
}

/** Collects every id a definition gives, walking the parsed YAML generically (any nesting of fields or groups). */
function definitionNames(): DefinitionNames {
  const services = new Set<string>();
  const registers = new Set<string>();
  const ids = new Map<string, string>();
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}/${i}`));
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (typeof o.id === 'string' && where !== '') ids.set(o.id, where);
    for (const [k, v] of Object.entries(o)) walk(v, `${where}/${k}`);
  };
  for (const file of filesUnder(path.join(repoRoot, 'catalogue'), (f) => /\.ya?ml$/.test(f))) {
    const doc = YAML.parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
    if (!doc || typeof doc !== 'object') continue;
    const rel = path.relative(repoRoot, file);
    // A service definition has a workflow or engines; a register has entries (their ids are data, not code's business).
    if ('entries' in doc) {
      if (typeof doc.id === 'string') registers.add(doc.id);
      continue;
    }
    if (typeof doc.id === 'string' && ('workflow' in doc || 'engines' in doc)) services.add(doc.id);
    for (const key of ['form', 'workflow', 'decisions', 'subject', 'handling', 'computed', 'fee', 'parties']) {
      if (key in doc) walk(doc[key], `${rel}#/${key}`);
    }
    // An override file lists services by id (its keys); what it overrides is walked like a definition.
    for (const listKey of ['services', 'overrides']) {
      const listed = doc[listKey];
      if (listed && typeof listed === 'object' && !Array.isArray(listed)) {
        for (const [id, body] of Object.entries(listed)) {
          services.add(id);
          walk(body, `${rel}#/${listKey}/${id}`);
        }
      }
    }
  }
  return { services, registers, ids };
}

/** Words the file formats themselves use: property names and enum values of the definition's and the tenants file's JSON Schemas. */
function formatVocabulary(): Set<string> {
  const words = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.properties && typeof o.properties === 'object') for (const k of Object.keys(o.properties)) words.add(k);
    if (Array.isArray(o.enum)) for (const v of o.enum) if (typeof v === 'string') words.add(v);
    if (typeof o.const === 'string') words.add(o.const);
    Object.values(o).forEach(walk);
  };
  walk(serviceDefinitionSchema);
  walk(tenantsFileSchema);
  return words;
}

/**
 * Event kinds of the case journal (src/archive/journal.ts): the engine records that a case was submitted or
 * decided whatever the definition calls its states.
 */
const ENGINE_EVENTS = new Set([
  'submitted', 'assigned', 'status_changed', 'note', 'message', 'supplement_requested', 'supplement_received', 'attachment_added', 'withdrawn', 'decided',
  // workflow actions as data (ADR 0014)
  'referred', 'referral_replied', 'closed', 'decision_proposed', 'decision_returned',
]);

interface Violation {
  file: string;
  line: number;
  rule: string;
  text: string;
}

function isStatusExpression(node: ts.Node): boolean {
  const text = ts.isPropertyAccessExpression(node) ? node.name.text : ts.isIdentifier(node) ? node.text : '';
  return /status$|state$/i.test(text);
}

function isAnswersExpression(node: ts.Node): boolean {
  return (ts.isIdentifier(node) && node.text === 'answers') || (ts.isPropertyAccessExpression(node) && node.name.text === 'answers');
}

function violationsIn(file: string, source: string, names: DefinitionNames, vocabulary: Set<string>): Violation[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: Violation[] = [];
  const report = (node: ts.Node, rule: string) =>
    out.push({ file: path.relative(repoRoot, file), line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, rule, text: node.getText(sf).slice(0, 120) });
  const literal = (node: ts.Node): string | undefined => (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined);
  const flagged = new Set<ts.Node>();

  const visit = (node: ts.Node): void => {
    // B: an answer read by a literal key.
    if (ts.isPropertyAccessExpression(node) && isAnswersExpression(node.expression) && names.ids.has(node.name.text)) {
      report(node, 'B: an answer read by a field id');
    }
    if (ts.isElementAccessExpression(node) && isAnswersExpression(node.expression)) {
      const key = literal(node.argumentExpression);
      if (key !== undefined) {
        report(node, 'B: an answer read by a literal key');
        flagged.add(node.argumentExpression);
      }
    }
    // C: a status compared with, or switched on, a literal.
    if (ts.isBinaryExpression(node) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(node.operatorToken.kind)) {
      for (const [a, b] of [[node.left, node.right], [node.right, node.left]] as const) {
        const v = literal(b);
        if (v !== undefined && isStatusExpression(a) && names.ids.has(v) && !vocabulary.has(v)) {
          report(node, 'C: a status compared with a state id');
          flagged.add(b);
        }
      }
    }
    if (ts.isSwitchStatement(node) && isStatusExpression(node.expression)) {
      for (const clause of node.caseBlock.clauses) {
        const v = ts.isCaseClause(clause) ? literal(clause.expression) : undefined;
        if (v !== undefined && names.ids.has(v)) {
          report(clause, 'C: a switch on a status names a state');
          flagged.add((clause as ts.CaseClause).expression);
        }
      }
    }
    // E: a path segment that is a service's or a register's id, in a literal or a template's text.
    const pathText = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node) ? node.text : undefined;
    if (pathText?.includes('/')) {
      const named = pathText.split(/[/?#]/).find((segment) => names.services.has(segment) || names.registers?.has(segment));
      if (named !== undefined) report(node, `E: a path names "${named}" of the catalogue`);
    }
    const v = literal(node);
    if (v !== undefined && !flagged.has(node)) {
      // A: a service id anywhere.
      if (names.services.has(v)) report(node, 'A: a service id');
      // D: any other id a definition gives, unless the engine's own vocabulary.
      else if (names.ids.has(v) && !vocabulary.has(v) && !ENGINE_EVENTS.has(v)) report(node, `D: an id from ${names.ids.get(v)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Engine code: src/ without the demo seed and tests (they may name the demo services). */
function engineFiles(): string[] {
  return filesUnder(path.join(repoRoot, 'src'), (f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.includes(`${path.sep}demo${path.sep}`) && !f.includes(`${path.sep}testing${path.sep}`));
}

test('no code under src/ (but the demo seed and tests) names a service, a field, a step, a state or a decision type', () => {
  const names = definitionNames();
  assert.ok(names.services.size > 0 && names.ids.size > 0, 'the catalogue was read');
  const vocabulary = formatVocabulary();
  const violations = engineFiles().flatMap((f) => violationsIn(f, readFileSync(f, 'utf8'), names, vocabulary));
  assert.deepEqual(
    violations.map((v) => `${v.file}:${v.line}: ${v.rule}: ${v.text}`),
    [],
    'engine code names what only definitions may name; read the rule in test/no-service-names.test.ts',
  );
});

test('no comment or text in engine code names a service either (the ids as whole words, outside code too)', () => {
  const { services } = definitionNames();
  const word = new RegExp(`(?<![\\w-])(${[...services].map((id) => id.replace(/[-]/g, '\\-')).join('|')})(?![\\w-])`);
  const found = engineFiles().flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .flatMap((l, i) => (word.test(l) ? [`${path.relative(repoRoot, f)}:${i + 1}: ${l.trim().slice(0, 120)}`] : [])),
  );
  assert.deepEqual(found, [], 'a comment that names a service reads as if the engine knew it: use a neutral example');
  assert.ok(word.test(' * like "forskola" typed') || !services.has('forskola'), 'the check can fail');
});

test('the check finds each kind of naming it forbids (it can fail)', () => {
  const names: DefinitionNames = { services: new Set(['skolval']), registers: new Set(['vacancies']), ids: new Map([['startDate', 'x'], ['in_review', 'y'], ['email', 'z']]) };
  const vocabulary = new Set(['email']);
  const source = `
    const a = 'skolval';
    const b = c.answers.startDate;
    const d = answers['anything'];
    if (c.status === 'in_review') {}
    switch (row.state) { case 'in_review': break; }
    const e = 'startDate';
    const fine = ['email', 'kind', c.answers[fieldId]];
    app.post('/staff/queues/:id/vacancies', h);
    const href = \`\${here}/vacancies/\${id}/close\`;
  `;
  const found = violationsIn(path.join(repoRoot, 'src/x.ts'), source, names, vocabulary).map((v) => `${v.line} ${v.rule.slice(0, 1)}`);
  assert.deepEqual(found, ['2 A', '3 B', '4 B', '5 C', '6 C', '7 D', '9 E', '10 E']);
});
