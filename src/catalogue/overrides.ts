/**
 * A municipality's override of a shared service definition, merged onto the shared base.
 *
 * The rules (ADR 0010), generic over the definition's shape so the merge never needs to know field
 * kinds or any other part of the schema:
 *   - objects merge key by key, recursively; `key: null` removes the key;
 *   - a list whose items all carry an `id` (steps, fields, states, decisions) — or, failing that, all
 *     carry a `value` (choices) — merges item by item on that key: a matching item merges into the
 *     base's item, a new item is appended (or placed after `$after: <key>`), and `{ id: x, $remove:
 *     true }` removes the item;
 *   - every other list, and every scalar, replaces the base's value.
 * Removing or placing after something the base does not have is a problem, as is merging an object
 * into something that is not one: an author's typo must not silently become a no-op.
 *
 * The merged definition is validated afterwards like any other; `originOf` maps a JSON pointer in
 * the merged result back to where it came from, so every problem names the file the author must
 * edit (the shared base or the municipality's override) and the path in that file.
 */

export const REMOVE = '$remove';
export const AFTER = '$after';

/** Where a node of the merged definition came from. */
export interface Origin {
  side: 'base' | 'override';
  /** JSON pointer into that side's document. */
  pointer: string;
  /** For a node both sides contributed to (recorded on the override side): the base's pointer. */
  basePointer?: string;
}

export interface MergeProblem {
  /** JSON pointer into the override. */
  pointer: string;
  message: string;
}

export interface MergeResult {
  value: unknown;
  problems: MergeProblem[];
  originOf(mergedPointer: string): Origin;
}

type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const esc = (segment: string | number) => String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
const kindOf = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v === 'object' ? 'object' : typeof v);

/** The key a list's items are matched on: `id`, else `value`, or undefined when the list is not keyed. */
function keyName(items: readonly Json[]): 'id' | 'value' | undefined {
  if (items.length === 0) return undefined;
  for (const name of ['id', 'value'] as const) {
    if (items.every((i) => isObject(i) && typeof i[name] === 'string')) return name;
  }
  return undefined;
}

/** Merges `override` onto `base` (neither is modified). */
export function mergeDefinition(base: Json, override: Json): MergeResult {
  const origins = new Map<string, Origin>();
  const problems: MergeProblem[] = [];
  const problem = (pointer: string, message: string) => problems.push({ pointer: pointer || '/', message });

  function merge(b: Json, o: Json, bp: string, op: string, mp: string): Json {
    if (isObject(o)) {
      if (!isObject(b)) {
        problem(op, `the shared definition has ${b === undefined ? 'nothing' : `a ${kindOf(b)}`} at ${bp || '/'}; an override object can only merge into an object`);
        origins.set(mp, { side: 'base', pointer: bp });
        return b;
      }
      origins.set(mp, { side: 'override', pointer: op, basePointer: bp });
      const out: JsonObject = {};
      for (const [key, value] of Object.entries(b)) {
        const k = esc(key);
        if (!(key in o)) {
          out[key] = value;
          origins.set(`${mp}/${k}`, { side: 'base', pointer: `${bp}/${k}` });
        } else if (o[key] !== null) {
          out[key] = merge(value, o[key], `${bp}/${k}`, `${op}/${k}`, `${mp}/${k}`);
        }
      }
      for (const [key, value] of Object.entries(o)) {
        if (key in b) continue;
        const k = esc(key);
        if (value === null) {
          problem(`${op}/${k}`, `removes "${key}", which the shared definition does not have at ${bp || '/'}`);
          continue;
        }
        out[key] = value;
        origins.set(`${mp}/${k}`, { side: 'override', pointer: `${op}/${k}` });
      }
      return out;
    }
    if (Array.isArray(o) && Array.isArray(b)) {
      const name = keyName(b);
      if (name) return mergeList(b, o, name, bp, op, mp);
    }
    origins.set(mp, { side: 'override', pointer: op, ...(b === undefined ? {} : { basePointer: bp }) });
    return o;
  }

  function mergeList(b: readonly Json[], o: readonly Json[], name: 'id' | 'value', bp: string, op: string, mp: string): Json[] {
    // Decide the final order first, then merge each item at its final index (origins are by index).
    type Entry = { key: string; base?: { value: Json; index: number }; over?: { value: JsonObject; index: number } };
    const entries: Entry[] = b.map((value, index) => ({ key: (value as JsonObject)[name] as string, base: { value, index } }));
    o.forEach((item, i) => {
      const at = `${op}/${i}`;
      if (!isObject(item) || typeof item[name] !== 'string') {
        problem(at, `the items of this list are matched by "${name}": each item of the override must name the ${name} of the item it changes, adds or removes`);
        return;
      }
      const key = item[name];
      const found = entries.findIndex((e) => e.key === key);
      if (item[REMOVE] !== undefined) {
        if (item[REMOVE] !== true) return problem(`${at}/${REMOVE}`, `must be true`);
        const extra = Object.keys(item).filter((k) => k !== name && k !== REMOVE);
        if (extra.length) return problem(at, `removes "${key}" and also changes it (${extra.join(', ')}): do one or the other`);
        if (found < 0) return problem(at, `removes "${key}", which the shared definition does not have at ${bp || '/'}`);
        entries.splice(found, 1);
        return;
      }
      const { [AFTER]: after, ...rest } = item;
      let entry: Entry;
      if (found >= 0) {
        entry = entries[found]!;
        if (entry.over) return problem(at, `"${key}" is already changed at ${op}/${entry.over.index}`);
        entry.over = { value: rest, index: i };
        if (after === undefined) return;
        entries.splice(found, 1);
      } else {
        entry = { key, over: { value: rest, index: i } };
      }
      if (after === undefined) {
        entries.push(entry);
        return;
      }
      const anchor = typeof after === 'string' ? entries.findIndex((e) => e.key === after) : -1;
      if (anchor < 0) {
        problem(`${at}/${AFTER}`, typeof after === 'string' ? `names no item of this list: "${after}"` : 'must name an item of this list');
        entries.push(entry);
        return;
      }
      entries.splice(anchor + 1, 0, entry);
    });
    origins.set(mp, { side: 'override', pointer: op, basePointer: bp });
    return entries.map((e, j) => {
      const here = `${mp}/${j}`;
      if (!e.over) {
        origins.set(here, { side: 'base', pointer: `${bp}/${e.base!.index}` });
        return e.base!.value;
      }
      const overAt = `${op}/${e.over.index}`;
      if (!e.base) {
        origins.set(here, { side: 'override', pointer: overAt });
        return e.over.value;
      }
      return merge(e.base.value, e.over.value, `${bp}/${e.base.index}`, overAt, here);
    });
  }

  const value = override === null || override === undefined ? base : merge(base, override, '', '', '');
  if (value === base) origins.set('', { side: 'base', pointer: '' });
  return {
    value,
    problems,
    originOf(mergedPointer) {
      const p = mergedPointer === '/' ? '' : mergedPointer;
      const segments = p === '' ? [] : p.slice(1).split('/');
      for (let n = segments.length; n >= 0; n--) {
        const prefix = n === 0 ? '' : `/${segments.slice(0, n).join('/')}`;
        const o = origins.get(prefix);
        if (!o) continue;
        const suffix = segments.slice(n).map((s) => `/${s}`).join('');
        if (!suffix) return o;
        // Below a node both sides contributed to but that was not itself merged further: the
        // subtree came whole from one side, so the remaining path is that side's.
        return { side: o.side, pointer: `${o.pointer}${suffix}` };
      }
      return { side: 'base', pointer: p };
    },
  };
}
