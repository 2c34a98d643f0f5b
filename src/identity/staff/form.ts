/** Reading url-encoded form bodies: a field may be missing, repeated (checkboxes) or tampered with. */

type Body = Record<string, unknown> | undefined | null;

/** One text field; repeated or non-text values count as empty. Trimmed unless raw (passwords). */
export function textField(body: unknown, name: string, raw = false): string {
  const v = (body as Body)?.[name];
  if (typeof v !== 'string') return '';
  return raw ? v : v.trim();
}

/** A checkbox group: every text value sent under name. */
export function listField(body: unknown, name: string): string[] {
  const v = (body as Body)?.[name];
  if (typeof v === 'string') return v ? [v] : [];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x !== '');
  return [];
}

/** A query parameter as text, or undefined. */
export function queryParam(query: unknown, name: string): string | undefined {
  const v = (query as Body)?.[name];
  return typeof v === 'string' ? v : undefined;
}
