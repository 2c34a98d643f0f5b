/**
 * The words for what kind of matter a service handles ("ansökan", "anmälan", "bokning", "ärende"),
 * in the forms a sentence needs, so receipts, e-mails and pages say "din anmälan" for a report.
 */
import type { ServiceDefinition } from '../catalogue/types.ts';
import { defineMessages, translate, type Locale } from '../kernel/i18n/index.ts';

defineMessages({
  'matter.application.matter': { sv: 'ansökan', en: 'application' },
  'matter.application.the': { sv: 'ansökan', en: 'the application' },
  'matter.application.your': { sv: 'din ansökan', en: 'your application' },
  'matter.report.matter': { sv: 'anmälan', en: 'report' },
  'matter.report.the': { sv: 'anmälan', en: 'the report' },
  'matter.report.your': { sv: 'din anmälan', en: 'your report' },
  'matter.booking.matter': { sv: 'bokning', en: 'booking' },
  'matter.booking.the': { sv: 'bokningen', en: 'the booking' },
  'matter.booking.your': { sv: 'din bokning', en: 'your booking' },
  'matter.errand.matter': { sv: 'ärende', en: 'request' },
  'matter.errand.the': { sv: 'ärendet', en: 'the request' },
  'matter.errand.your': { sv: 'ditt ärende', en: 'your request' },
});

export interface MatterWords {
  /** "ansökan" / "application" */
  matter: string;
  /** "ansökan" / "the application" */
  theMatter: string;
  /** "Ansökan" / "The application": at the start of a sentence. */
  TheMatter: string;
  /** "din ansökan" / "your application" */
  yourMatter: string;
}

const upper = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function matterWords(def: Pick<ServiceDefinition, 'matter'> | undefined, l: Locale): MatterWords {
  const m = def?.matter ?? 'application';
  const the = translate(l, `matter.${m}.the`);
  return { matter: translate(l, `matter.${m}.matter`), theMatter: the, TheMatter: upper(the), yourMatter: translate(l, `matter.${m}.your`) };
}

/** Texts that name the matter have a variant per kind of matter (`<key>.<matter>`); "application" is the key itself. */
export function matterKey(key: string, def: Pick<ServiceDefinition, 'matter'> | undefined): string {
  const m = def?.matter ?? 'application';
  return m === 'application' ? key : `${key}.${m}`;
}
