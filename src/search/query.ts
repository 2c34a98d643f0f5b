/** The query as a request gives it: `q`, the first value if repeated, control characters dropped, bounded. */
import { MAX_QUERY_LENGTH } from '../kernel/html/search-box.tsx';

export function queryFrom(value: unknown): string {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first !== 'string') return '';
  return first
    .slice(0, MAX_QUERY_LENGTH * 4)
    .replace(/\p{Cf}+/gu, '') // soft hyphens, zero-width joiners: invisible, and they split no word
    .replace(/[\p{Cc}\s]+/gu, ' ')
    .trim()
    .slice(0, MAX_QUERY_LENGTH);
}
