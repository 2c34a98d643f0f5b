/** What a register's entry is called in a language. */
import type { Locale } from '../kernel/i18n/index.ts';
import type { RegisterEntry } from './types.ts';

/** The entry's name in `locale` where the register gives one in each language; its one name otherwise. */
export const entryName = (e: Pick<RegisterEntry, 'name' | 'names'>, locale: Locale): string => e.names?.[locale] ?? e.name;
