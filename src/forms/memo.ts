/**
 * A value worked out once per definition part (a condition, a step) and definition, both loaded
 * once and never changed: the forms engine asks for such values on every page and answer
 * (bench:forms, ADR 0019). Keyed weakly, so nothing is held per user and an older definition's
 * entries go with it.
 */
export function memoPerDefinition<K extends object, D extends object, V>(compute: (key: K, def?: D) => V): (key: K, def?: D) => V {
  const NO_DEFINITION = {} as D;
  const cache = new WeakMap<K, WeakMap<D, V>>();
  return (key, def) => {
    let byDef = cache.get(key);
    if (!byDef) cache.set(key, (byDef = new WeakMap()));
    const defKey = def ?? NO_DEFINITION;
    if (byDef.has(defKey)) return byDef.get(defKey)!;
    const value = compute(key, def);
    byDef.set(defKey, value);
    return value;
  };
}
