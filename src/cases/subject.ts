/**
 * How a case's subject — the child, the property, the vehicle, the place — is named where a
 * resident tells their cases apart: My cases, the case page's heading, the drafts list and every
 * e-mail about the case. The definition says what the subject is (`subject`, ADR 0011); its name
 * comes from the subject party. Never a personal identity number (a person subject named only by
 * number is named by its label alone), and never a protected identity to someone other than that
 * person (ADR 0016).
 */
import type { ServiceDefinition } from '../catalogue/types.ts';
import { subjectLabel } from '../catalogue/index.ts';
import type { Locale } from '../kernel/i18n/index.ts';
import { maskPins } from '../kernel/log.ts';
import type { CaseParty } from './parties.ts';

export interface NamedSubject {
  /** The definition's word for it ("Barn", "Fastighet"). */
  label: string;
  /** Its name or designation ("Sigge Nord", "Norrby Gärdet 1:12"). */
  name: string;
}

/** Who reads the name: a resident (by account or personal number); absent for the applicant's own e-mail. */
export interface SubjectViewer {
  residentId?: string | null;
  personalNumber?: string | null;
}

/** A party as read with a case, or as about to be written with one (its subject is named in the receipt). */
export type SubjectParty = Pick<CaseParty, 'role'> & Partial<Pick<CaseParty, 'name' | 'identifier' | 'details' | 'residentId' | 'personalNumber'>>;

export function namedSubject(parties: readonly SubjectParty[], def: Pick<ServiceDefinition, 'subject'>, l: Locale, viewer?: SubjectViewer): NamedSubject | undefined {
  const label = subjectLabel(def, l);
  const s = parties.find((p) => p.role === 'subject');
  if (!label || !s) return undefined;
  if (s.details?.protected === true && viewer) {
    const self = (viewer.residentId && s.residentId === viewer.residentId) || (viewer.personalNumber && s.personalNumber === viewer.personalNumber);
    if (!self) return undefined;
  }
  const name = [s.name, s.identifier].find((x): x is string => typeof x === 'string' && x.trim() !== '' && maskPins(x) === x);
  return name ? { label, name: name.trim() } : undefined;
}
