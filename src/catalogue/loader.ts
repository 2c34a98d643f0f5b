/**
 * Reads each tenant's catalogue folder: every `*.yaml` in it is a service definition and every
 * `registers/*.yaml` a register. Each file is parsed, validated against the schema and then
 * checked for what a schema cannot say. Nothing is loaded unless everything is valid: one error
 * lists every problem as `file: /json/path: reason`, so an author fixes them in one round.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import jsyaml from 'js-yaml';
import type { Localised, Tenant, TenantRegistry } from '../kernel/tenants.ts';
import { checkRegister, checkService, type ServiceFile } from './checks.ts';
import { mergeDefinition } from './overrides.ts';
import { describeSchemaErrors, isLinkDefinition, schemaValidators, type SchemaProblem } from './schema.ts';
import type { LinkService, RegisterEntry, ServiceDefinition } from './types.ts';
import { normaliseActions } from './workflow-actions.ts';
import { normaliseCondition } from '../expressions/index.ts';

/** One thing wrong in one file. */
export interface Problem {
  /** The file as the author knows it: relative to the working directory when inside it. */
  file: string;
  /** JSON pointer into the definition; absent for problems with the file itself (syntax). */
  path?: string;
  line?: number;
  column?: number;
  message: string;
}

/** `file: /json/path: reason (line N)`, or `file: line N, column C: reason` for YAML syntax. */
export function formatProblem(p: Problem): string {
  if (p.path === undefined) {
    const where = p.line !== undefined ? ` line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ''}:` : '';
    return `${p.file}:${where} ${p.message}`;
  }
  return `${p.file}: ${p.path}: ${p.message}${p.line !== undefined ? ` (line ${p.line})` : ''}`;
}

/** The catalogue is invalid; `problems` holds every problem found, the message lists them. */
export class CatalogueError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    const n = problems.length;
    super(`The service catalogue has ${n} problem${n === 1 ? '' : 's'}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'CatalogueError';
  }
}

/** A register file as written: an entry's name is one for both languages, or one in each. */
type RegisterFile = Omit<Register, 'source' | 'entries'> & { entries: (Omit<RegisterEntry, 'name' | 'names'> & { name: string | Localised })[] };

/**
 * An entry's `name` is the Swedish one wherever code reads it (answers, journals, staff's pages and
 * exports keep reading it); one named in both languages keeps both in `names` for the pages and
 * e-mail of the person's language (`entryName`).
 */
function withNames(file: RegisterFile): Omit<Register, 'source'> {
  return { ...file, entries: file.entries.map((e) => (typeof e.name === 'string' ? { ...e, name: e.name } : { ...e, name: e.name.sv, names: e.name })) };
}

/** A register (e.g. the pre-schools) as loaded from registers/<id>.yaml. */
export interface Register {
  id: string;
  title: Localised;
  entries: RegisterEntry[];
  source: string;
}

/** One tenant's loaded catalogue. */
export interface TenantCatalogue {
  tenant: string;
  /** Sorted by Swedish title, then id. */
  services: ServiceDefinition[];
  /** The services external systems deliver (engine link), sorted the same way. */
  links: LinkService[];
  registers: Map<string, Register>;
  /** How many files were read (for progress and summaries). */
  files: number;
}

export interface ReadOptions {
  /** File names in problems are shown relative to this folder (default: the working directory). */
  baseDir?: string;
  /** Called before each file is read, for progress output. */
  onFile?: (progress: { tenant: string; file: string; index: number; total: number }) => void;
}

export interface ReadResult {
  tenants: TenantCatalogue[];
  problems: Problem[];
}

const titleOrder = new Intl.Collator('sv');

function displayPath(file: string, baseDir: string): string {
  const rel = path.relative(baseDir, file);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return file;
  return rel.split(path.sep).join('/');
}

/** The `*.yaml` files directly in dir (sorted), and problems for files that look misnamed. */
function yamlFiles(dir: string, show: (f: string) => string, problems: Problem[]): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.name.endsWith('.yaml')) files.push(full);
    else if (entry.name.endsWith('.yml')) problems.push({ file: show(full), message: 'only *.yaml files are read: rename it to end in .yaml' });
  }
  return files.sort();
}

interface ParsedFile {
  data: unknown;
  /** Line of the node a JSON pointer names (or of its nearest existing parent). */
  lineOf(pointer: string): number | undefined;
}

/**
 * Parses one YAML file; on syntax errors, records each with its line and returns undefined.
 *
 * Two parsers: js-yaml reads the catalogue about seven times faster than `yaml`'s document parser,
 * and every process that loads the catalogue (each server start, each command) reads all of it.
 * It is taken only for a file it reads without error into a tree, in YAML 1.2's core schema as
 * `yaml` reads it (loader.test.ts holds the two to the same result on every file of the
 * catalogue). Anything else — a syntax error, a duplicate key, several documents, an alias to a
 * collection — goes `yaml`'s way, with its messages, its line numbers and its cap on aliases;
 * and a problem found later asks `yaml` for the line of its node.
 */
function parseYaml(file: string, shown: string, problems: Problem[]): ParsedFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    problems.push({ file: shown, message: `cannot be read: ${(e as Error).message}` });
    return undefined;
  }
  const fast = readAsTree(text);
  if (fast !== undefined) {
    let located: YamlDocument | undefined;
    return { data: fast, lineOf: (pointer) => lineIn((located ??= documentOf(text)), pointer) };
  }
  const located = documentOf(text);
  const { doc } = located;
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const pos = e.linePos?.[0];
      problems.push({ file: shown, line: pos?.line, column: pos?.col, message: `invalid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` });
    }
    return undefined;
  }
  if (doc.contents === null) {
    problems.push({ file: shown, message: 'the file is empty' });
    return undefined;
  }
  let data: unknown;
  try {
    // Aliases are legal YAML but a few thousand nested ones make a "billion laughs"; cap them.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    problems.push({ file: shown, message: `invalid YAML: ${(e as Error).message}` });
    return undefined;
  }
  return { data, lineOf: (pointer) => lineIn(located, pointer) };
}

interface YamlDocument {
  doc: YAML.Document.Parsed;
  lineCounter: YAML.LineCounter;
}

function documentOf(text: string): YamlDocument {
  const lineCounter = new YAML.LineCounter();
  return { doc: YAML.parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true }), lineCounter };
}

function lineIn({ doc, lineCounter }: YamlDocument, pointer: string): number | undefined {
  const segments = pointer === '/' || pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (let n = segments.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(segments.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return lineCounter.linePos(range[0]).line;
  }
  return undefined;
}

/**
 * The file's data by js-yaml, or undefined when the document parser must read it: js-yaml failed
 * (its duplicate keys and multiple documents are errors too), the file holds no value, or an alias
 * reaches a collection a second time (js-yaml shares it, and what walks the data — validation,
 * hashing — would walk it once per path: the "billion laughs" `yaml` caps).
 */
export function readAsTree(text: string): unknown {
  let data: unknown;
  try {
    data = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA });
  } catch {
    return undefined;
  }
  if (data === undefined || data === null) return undefined;
  const seen = new Set<object>();
  const isTree = (v: unknown): boolean => {
    if (v === null || typeof v !== 'object') return true;
    if (seen.has(v)) return false;
    seen.add(v);
    return Object.values(v).every(isTree);
  };
  return isTree(data) ? data : undefined;
}

/** The file in a municipality's folder that lists the shared services it offers, with its overrides. */
export const OVERRIDES_FILE = 'services.yaml';

interface Offered {
  id: string;
  /** The override, or null when the service is offered as the shared folder has it. */
  override: Record<string, unknown> | null;
  /** JSON pointer of the entry in services.yaml. */
  at: string;
}

/** services.yaml: `services: { <shared service id>: <override object, or nothing> }`. */
function readOverrides(parsed: ParsedFile, shown: string, problems: Problem[]): Offered[] {
  const data = parsed.data as { services?: unknown } | null;
  const bad = (pointer: string, message: string) => problems.push({ file: shown, path: pointer, line: parsed.lineOf(pointer), message });
  if (!isPlainObject(data) || !isPlainObject(data.services)) {
    bad('/', 'must be a map "services:" from each offered shared service id to its override (or nothing to offer it unchanged)');
    return [];
  }
  const extra = Object.keys(data).filter((k) => k !== 'services');
  for (const k of extra) bad(`/${k}`, 'is not an allowed property here (allowed: services)');
  const offered: Offered[] = [];
  for (const [id, override] of Object.entries(data.services)) {
    const at = `/services/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (override !== null && !isPlainObject(override)) {
      bad(at, 'must be an override object (the parts that differ), or nothing to offer the service unchanged');
      continue;
    }
    if (override && 'id' in override) {
      bad(`${at}/id`, 'the service id is the key above; an override cannot rename a shared service');
      continue;
    }
    offered.push({ id, override, at });
  }
  return extra.length ? [] : offered;
}

interface SharedService {
  shown: string;
  parsed: ParsedFile;
}

/**
 * The shared folder's definitions by id (parsed, not yet validated: only a merged definition is
 * validated, as each municipality offers it). Problems with the folder itself are reported once.
 */
function sharedServices(
  tenant: Tenant,
  overridesShown: string,
  show: (f: string) => string,
  problems: Problem[],
  cache: Map<string, Map<string, SharedService>>,
): Map<string, SharedService> | undefined {
  const dir = tenant.sharedCatalogue;
  if (!dir) {
    problems.push({ file: overridesShown, message: 'offers shared services, but the tenants file names no shared catalogue folder ("sharedCatalogue")' });
    return undefined;
  }
  const cached = cache.get(dir);
  if (cached) return cached;
  const byId = new Map<string, SharedService>();
  cache.set(dir, byId);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    problems.push({ file: show(dir), message: 'the shared catalogue folder does not exist (see "sharedCatalogue" in the tenants file)' });
    return byId;
  }
  for (const file of yamlFiles(dir, show, problems)) {
    const shown = show(file);
    const parsed = parseYaml(file, shown, problems);
    if (!parsed) continue;
    const id = (parsed.data as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') {
      problems.push({ file: shown, path: '/id', line: parsed.lineOf('/id'), message: 'a shared definition must have an id' });
      continue;
    }
    const prior = byId.get(id);
    if (prior) {
      problems.push({ file: shown, path: '/id', line: parsed.lineOf('/id'), message: `service id "${id}" is already defined in ${prior.shown}` });
      continue;
    }
    byId.set(id, { shown, parsed });
  }
  return byId;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function addProblems(problems: Problem[], shown: string, parsed: ParsedFile, found: readonly SchemaProblem[]): void {
  for (const p of found) problems.push({ file: shown, path: p.path, line: parsed.lineOf(p.path), message: p.message });
}

/**
 * Letters written before subjects name the child {child}; the engine knows only {subject}, so the
 * loader renames it (the same text comes out: the subject of such a service is its child).
 */
function withSubjectPlaceholder(def: ServiceFile): ServiceFile {
  if (def.subject?.kind !== 'child') return def;
  const rename = (text: string) => text.replace(/\{child\}/g, '{subject}');
  return { ...def, decisions: def.decisions.map((d) => ({ ...d, letter: { sv: rename(d.letter.sv), en: rename(d.letter.en) } })) };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * eng-expr: every `when` in JSON Logic, once, at load: the legacy syntax ({field, equals} …) is
 * rewritten (expressions/normaliseCondition), so the engines and the browser see one language.
 */
function withExpressions(def: ServiceFile): ServiceFile {
  return {
    ...def,
    form: {
      ...def.form,
      steps: def.form.steps.map((step) => ({
        ...step,
        ...(step.when !== undefined ? { when: normaliseCondition(step.when) } : {}),
        fields: step.fields.map((f) => (f.when !== undefined ? { ...f, when: normaliseCondition(f.when) } : f)),
      })),
    },
  };
}

function tenantList(tenants: TenantRegistry | readonly Tenant[]): readonly Tenant[] {
  return 'all' in tenants ? tenants.all : tenants;
}

/**
 * Reads and checks every tenant's catalogue without throwing: the definitions that are valid and
 * every problem found. `catalogue check` reports from this; loadCatalogue throws on any problem.
 */
export function readCatalogue(tenants: TenantRegistry | readonly Tenant[], opts: ReadOptions = {}): ReadResult {
  const baseDir = opts.baseDir ?? process.cwd();
  const show = (f: string) => displayPath(f, baseDir);
  const validators = schemaValidators();
  const problems: Problem[] = [];
  const result: TenantCatalogue[] = [];
  // Each shared file is read once per run, however many municipalities offer it.
  const parsedShared = new Map<string, Map<string, SharedService>>();

  for (const tenant of tenantList(tenants)) {
    const dir = tenant.catalogue;
    const loaded: TenantCatalogue = { tenant: tenant.id, services: [], links: [], registers: new Map(), files: 0 };
    result.push(loaded);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      problems.push({ file: show(dir), message: `the catalogue folder of tenant ${tenant.id} does not exist (see "catalogue" in the tenants file)` });
      continue;
    }
    const registerDir = path.join(dir, 'registers');
    const registerFiles = existsSync(registerDir) && statSync(registerDir).isDirectory() ? yamlFiles(registerDir, show, problems) : [];
    const allFiles = yamlFiles(dir, show, problems);
    const overridesFile = allFiles.find((f) => path.basename(f) === OVERRIDES_FILE);
    const serviceFiles = allFiles.filter((f) => f !== overridesFile);
    const total = registerFiles.length + allFiles.length;
    loaded.files = total;
    let index = 0;

    // Registers first: services' rankedChoice fields name them.
    const brokenRegisters = new Set<string>();
    for (const file of registerFiles) {
      const shown = show(file);
      opts.onFile?.({ tenant: tenant.id, file: shown, index: index++, total });
      const parsed = parseYaml(file, shown, problems);
      if (!parsed) continue;
      const rawId = (parsed.data as { id?: unknown } | null)?.id;
      if (!validators.register(parsed.data)) {
        if (typeof rawId === 'string') brokenRegisters.add(rawId);
        addProblems(problems, shown, parsed, describeSchemaErrors(validators.register.errors ?? []));
        continue;
      }
      const register = { ...withNames(parsed.data as RegisterFile), source: shown };
      const own = checkRegister(register.entries);
      const prior = loaded.registers.get(register.id);
      if (prior) own.push({ path: '/id', message: `register id "${register.id}" is already defined in ${prior.source}` });
      addProblems(problems, shown, parsed, own);
      if (own.length) brokenRegisters.add(register.id);
      else loaded.registers.set(register.id, deepFreeze(register));
    }

    const byId = new Map<string, ServiceDefinition>();
    const byPrefix = new Map<string, ServiceDefinition>();
    const links = new Map<string, LinkService>();
    /** A link service: its schema, an address, an id no other service has. */
    const acceptLink = (data: unknown, source: string, report: (found: readonly SchemaProblem[]) => void) => {
      if (!validators.link(data)) return report(describeSchemaErrors(validators.link.errors ?? []));
      const def = data as Omit<LinkService, 'tenant' | 'source'>;
      const own: SchemaProblem[] = [];
      if (!def.link.url) {
        own.push({ path: '/link', offer: true, message: `a link service needs the address of the system that delivers it: set link.url (https://…) where ${tenant.id} offers it` });
      }
      const sameId = byId.get(def.id) ?? links.get(def.id);
      if (sameId) own.push({ path: '/id', message: `service id "${def.id}" is already defined in ${sameId.source}` });
      report(own);
      if (!own.length) links.set(def.id, deepFreeze({ ...def, tenant: tenant.id, source }));
    };
    /** Schema, checks and uniqueness for one definition (own or merged); problems go through `report`. */
    const accept = (data: unknown, source: string, report: (found: readonly SchemaProblem[]) => void) => {
      if (isLinkDefinition(data)) return acceptLink(data, source, report);
      if (!validators.service(data)) return report(describeSchemaErrors(validators.service.errors ?? []));
      const def = data as ServiceFile;
      const own = checkService(def, tenant, loaded.registers, brokenRegisters);
      const sameId = byId.get(def.id) ?? links.get(def.id);
      if (sameId) own.push({ path: '/id', message: `service id "${def.id}" is already defined in ${sameId.source}` });
      const samePrefix = byPrefix.get(def.reference.prefix);
      if (samePrefix) {
        own.push({ path: '/reference/prefix', message: `prefix "${def.reference.prefix}" is already used by ${samePrefix.source}; case references must tell services apart` });
      }
      report(own);
      if (own.length) return;
      // Legacy transitions become actions here, so the engine reads one shape (ADR 0014); legacy conditions
      // become expressions (ADR 0009).
      const subjected = withSubjectPlaceholder(withExpressions(def));
      const { transitions: _legacy, ...workflow } = subjected.workflow;
      const service: ServiceDefinition = deepFreeze({ ...subjected, workflow: { ...workflow, actions: normaliseActions(subjected.workflow) }, tenant: tenant.id, source });
      byId.set(service.id, service);
      byPrefix.set(service.reference.prefix, service);
    };

    // The municipality's own services: whole definitions in its folder.
    for (const file of serviceFiles) {
      const shown = show(file);
      opts.onFile?.({ tenant: tenant.id, file: shown, index: index++, total });
      const parsed = parseYaml(file, shown, problems);
      if (!parsed) continue;
      accept(parsed.data, shown, (found) => addProblems(problems, shown, parsed, found));
    }

    // Shared services it offers, each merged with its override (services.yaml).
    if (overridesFile) {
      const shown = show(overridesFile);
      opts.onFile?.({ tenant: tenant.id, file: shown, index: index++, total });
      const parsed = parseYaml(overridesFile, shown, problems);
      const offered = parsed ? readOverrides(parsed, shown, problems) : [];
      const shared = offered.length ? sharedServices(tenant, shown, show, problems, parsedShared) : undefined;
      for (const { id, override, at } of offered) {
        if (!shared) break;
        const base = shared.get(id);
        if (!base) {
          problems.push({ file: shown, path: at, line: parsed!.lineOf(at), message: `names no shared service: "${id}" (shared services in ${show(tenant.sharedCatalogue!)}: ${[...shared.keys()].join(', ') || '(none)'})` });
          continue;
        }
        const merged = mergeDefinition(base.parsed.data, override);
        for (const p of merged.problems) {
          const pointer = `${at}${p.pointer === '/' ? '' : p.pointer}`;
          problems.push({ file: shown, path: pointer, line: parsed!.lineOf(pointer), message: p.message });
        }
        if (merged.problems.length) continue;
        accept(merged.value, `${base.shown} with ${shown}${at}`, (found) => {
          for (const p of found) {
            if (p.offer) {
              problems.push({ file: shown, path: at, line: parsed!.lineOf(at), message: p.message });
              continue;
            }
            const origin = merged.originOf(p.path);
            if (origin.side === 'base') {
              problems.push({ file: base.shown, path: origin.pointer || '/', line: base.parsed.lineOf(origin.pointer), message: `${p.message} (as ${tenant.id} offers it)` });
            } else {
              const pointer = `${at}${origin.pointer}`;
              const also = origin.basePointer !== undefined ? ` (overriding ${base.shown}: ${origin.basePointer || '/'})` : '';
              problems.push({ file: shown, path: pointer, line: parsed!.lineOf(pointer), message: `${p.message}${also}` });
            }
          }
        });
      }
    }
    // A case-reference field names services this municipality offers, and their states (ADR 0020)
    for (const def of byId.values()) {
      def.form.steps.forEach((step, s) =>
        step.fields.forEach((f, k) => {
          if (f.kind !== 'caseReference') return;
          const path = `/form/steps/${s}/fields/${k}`;
          f.services.forEach((id, i) => {
            if (!byId.has(id)) problems.push({ file: def.source, path: `${path}/services/${i}`, message: `names no service ${tenant.id} offers: "${id}" (services: ${[...byId.keys()].join(', ')})` });
          });
          const states = new Set(f.services.flatMap((id) => byId.get(id)?.workflow.states.map((st) => st.id) ?? []));
          (f.states ?? []).forEach((st, i) => {
            if (!states.has(st)) problems.push({ file: def.source, path: `${path}/states/${i}`, message: `names no state of ${f.services.join(', ')}: "${st}" (states: ${[...states].join(', ') || '(none)'})` });
          });
        }),
      );
    }
    // --- end loc ---
    const byTitle = (a: { id: string; title: { sv: string } }, b: { id: string; title: { sv: string } }) => titleOrder.compare(a.title.sv, b.title.sv) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    loaded.services = [...byId.values()].sort(byTitle);
    loaded.links = [...links.values()].sort(byTitle);
  }
  return { tenants: result, problems };
}
