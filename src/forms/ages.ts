/**
 * Ages, as definitions restrict them (ADR 0030): who may apply (`applicantAge` on a service, the
 * age from the signed-in resident's personal number) and which people a picker offers
 * (`minAgeYears`/`maxAgeYears` on a child or person field, the age from the register's birth date).
 * An age is counted `by: day` (whole years on the day of applying, the default) or `by: year` (the
 * age the person turns in the year of applying: summer jobs and school years go by year of birth).
 */
import type { AgeBy, AgeRule } from '../catalogue/types.ts';
import { APPLICANT_KEY, type ApplicantFacts } from '../expressions/index.ts';
import { birthDateOf } from '../integrations/population-register/index.ts';
import type { Answers } from './conditions.ts';
import { ageInYearOf, ageOn } from './dates.ts';

/** The age of someone born on birthDate, counted on today as the rule says. */
export function ageCounted(birthDate: string, today: string, by: AgeBy = 'day'): number {
  return by === 'year' ? ageInYearOf(birthDate, today) : ageOn(birthDate, today);
}

/** Whether an age is below the rule's minimum or above its maximum; undefined inside it. */
export function outsideAge(rule: AgeRule, birthDate: string, today: string): 'tooYoung' | 'tooOld' | undefined {
  const age = ageCounted(birthDate, today, rule.by);
  if (rule.min !== undefined && age < rule.min) return 'tooYoung';
  if (rule.max !== undefined && age > rule.max) return 'tooOld';
  return undefined;
}

/** The facts a definition's expressions may read about the applicant signed in with this personal number. */
export function applicantFacts(personalNumber: string, today: string): ApplicantFacts {
  const birthDate = birthDateOf(personalNumber);
  return { birthDate, age: ageOn(birthDate, today), ageThisYear: ageInYearOf(birthDate, today) };
}

/**
 * The answers with the applicant's facts beside them (under `$applicant`, a key no field id can
 * take), for a signed-in resident; the answers as they are for anyone else. A new object: the
 * answers given are not changed.
 */
export function withApplicantFacts(answers: Answers, personalNumber: string | undefined, today: string, representedBy?: string): Answers {
  const rest = { ...answers };
  delete rest[APPLICANT_KEY];
  if (!personalNumber) return rest;
  // For a person applied for through a representative (ADR 0033): their facts, and in what capacity.
  const facts: ApplicantFacts = { ...applicantFacts(personalNumber, today), ...(representedBy ? { representedBy } : {}) };
  return { ...rest, [APPLICANT_KEY]: facts as unknown as Answers[string] };
}

const reads = new WeakMap<object, boolean>();
/**
 * Whether a definition's expressions read the applicant's facts (`$applicant.…`). Only then are
 * they kept with the case's answers, as the facts its conditions, computed values, fee and
 * routing were decided on; other cases keep the answers alone.
 */
export function readsApplicantFacts(def: object): boolean {
  let r = reads.get(def);
  if (r === undefined) reads.set(def, (r = JSON.stringify(def).includes(`"${APPLICANT_KEY}.`)));
  return r;
}
