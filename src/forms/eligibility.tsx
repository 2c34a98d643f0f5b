/**
 * Who cannot apply, and why — decided before any draft exists, from the definition alone: a
 * required question that picks one of the applicant's people from the population register (the
 * subject child) needs at least one person it would offer; an audience of custodians needs a
 * child; a service restricted by the applicant's age (`applicantAge`, ADR 0030) needs the signed-in
 * resident's age, from their personal number, inside it. The same check runs on the service page
 * (for a signed-in resident), at the start, on every page of a draft and at submission, so nobody
 * meets a blank first step and an error only after pressing Continue, and a direct post is refused.
 */
import { hasForm } from '../catalogue/engines.ts';
import type { FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Field, ServiceDefinition } from '../catalogue/types.ts';
import type { ViewContext } from '../kernel/html/context.ts';
import { Alert, Heading, Paragraph } from '../kernel/html/components.tsx';
import { Layout } from '../kernel/html/layout.tsx';
import { pick } from '../kernel/i18n/index.ts';
import { signedInResident } from '../identity/eid/index.ts';
import { childrenOf, type Applicant } from './applicant.ts';
import { stockholmToday } from './dates.ts';
import { eligibleChildren, kindOf, type ChildOption } from './kinds/index.ts';
import { ageCounted, outsideAge } from './ages.ts';
import { birthDateOf } from '../integrations/population-register/index.ts';
import './journey-messages.ts';

/** Why someone cannot apply: a message key and its values. */
export interface Ineligibility {
  key: string;
  vars?: Record<string, string | number>;
}

/**
 * The required questions that pick from the applicant's people (asked of everyone: on a step and
 * as a field without a condition), the subject's first. Empty when the service asks none.
 */
function requiredPickers(def: ServiceDefinition): Field[] {
  const out: Field[] = [];
  for (const step of def.form.steps) {
    if (step.when) continue;
    for (const f of step.fields) if (!f.when && f.required !== false && kindOf(f).needsChildren?.(f as never) === true) out.push(f);
  }
  return out.sort((a, b) => Number(b.id === def.subject?.field) - Number(a.id === def.subject?.field));
}

/** The message of a picker none of whose people is inside its ages (or that has none at all). */
function pickerIneligibility(field: Field): Ineligibility {
  const { minAgeYears: min, maxAgeYears: max, ageBy } = field as { minAgeYears?: number; maxAgeYears?: number; ageBy?: string };
  const year = ageBy === 'year' ? 'Year' : '';
  if (min !== undefined && max !== undefined) return { key: `forms.ineligible.childAges${year}`, vars: { min, max } };
  if (min !== undefined) return { key: `forms.ineligible.childMin${year}`, vars: { min } };
  if (max !== undefined) return { key: `forms.ineligible.tooOld${year}`, vars: { max } };
  return { key: 'forms.ineligible.noChildren' };
}

/**
 * Why a resident with this personal number may not apply by the definition's `applicantAge`
 * (their age from the birth date in it, counted on today or in its year); undefined when they may.
 */
export function applicantAgeIneligibility(def: Pick<ServiceDefinition, 'applicantAge'>, personalNumber: string, today: string): Ineligibility | undefined {
  const rule = def.applicantAge;
  if (!rule) return undefined;
  const birthDate = birthDateOf(personalNumber);
  if (!outsideAge(rule, birthDate, today)) return undefined;
  const age = ageCounted(birthDate, today, rule.by);
  const which = rule.min !== undefined && rule.max !== undefined ? 'age' : rule.min !== undefined ? 'ageMin' : 'ageMax';
  const vars: Record<string, number> = { age };
  if (rule.min !== undefined) vars.min = rule.min;
  if (rule.max !== undefined) vars.max = rule.max;
  return { key: `forms.ineligible.${which}${rule.by === 'year' ? 'Year' : ''}`, vars };
}

/** Whether checking eligibility needs the applicant's children (the register is asked only then). */
export function eligibilityNeedsChildren(def: ServiceDefinition): boolean {
  return onlyCustodians(def) || requiredPickers(def).length > 0;
}

const onlyCustodians = (def: ServiceDefinition) => def.audience.length > 0 && def.audience.every((a) => a === 'custodian');

/**
 * Why the signed-in resident cannot apply, or undefined when they can (or when nothing is known
 * before they sign in: without e-ID nobody's register entry is read).
 */
export function ineligibilityOf(def: ServiceDefinition, applicant: Pick<Applicant, 'resident'>, children: readonly ChildOption[], today: string): Ineligibility | undefined {
  if (!applicant.resident) return undefined;
  const age = applicantAgeIneligibility(def, applicant.resident.personalNumber, today);
  if (age) return age;
  for (const field of requiredPickers(def)) {
    if (children.length === 0) return { key: 'forms.ineligible.noChildren' };
    if (eligibleChildren(field as never, { children: [...children] }, today).length === 0) return pickerIneligibility(field);
  }
  if (onlyCustodians(def) && children.length === 0) return { key: 'forms.ineligible.noChildren' };
  return undefined;
}

/** Why the signed-in resident of this request cannot apply; undefined when they can or are not signed in. */
export async function ineligibilityFor(req: FastifyRequest, def: ServiceDefinition, applicant?: Applicant): Promise<Ineligibility | undefined> {
  const needsChildren = eligibilityNeedsChildren(def);
  if (!hasForm(def) || (!needsChildren && !def.applicantAge)) return undefined;
  const resident = applicant ? applicant.resident : await signedInResident(req);
  if (!resident) return undefined;
  const who: Applicant = applicant ?? { id: resident.id, resident, email: resident.email, phone: resident.phone };
  const children = needsChildren ? await childrenOf(req.server, req.tenant.id, who) : [];
  return ineligibilityOf(def, who, children, stockholmToday(req.server.clock.now()));
}

/** What to do instead: the register's keeper, the municipality, the other services. */
function WhatNow({ ctx, why }: { ctx: ViewContext; why: Ineligibility }) {
  const { t, tenant, locale } = ctx;
  return (
    <>
      <Paragraph>{t(why.key.startsWith('forms.ineligible.age') ? 'forms.ineligible.ageRegister' : 'forms.ineligible.register')}</Paragraph>
      <ul class="ds-list">
        <li>
          <a class="ds-link" href="/contact">
            {t('forms.ineligible.contact', { tenant: pick(tenant.name, locale) })}
          </a>
        </li>
        <li>
          <a class="ds-link" href="/services">
            {t('forms.ineligible.others')}
          </a>
        </li>
      </ul>
    </>
  );
}

/** The service page's notice for a resident who cannot apply (the start button is then not offered). */
export function IneligibleNotice({ ctx, why }: { ctx: ViewContext; why: Ineligibility }): VNode {
  return (
    <Alert kind="warning" title={ctx.t('forms.ineligible.title')}>
      <Paragraph>{ctx.t(why.key, why.vars)}</Paragraph>
      <WhatNow ctx={ctx} why={why} />
    </Alert>
  );
}

/** The page at the start when the resident cannot apply: why, in words, and what to do instead. */
export function CannotApplyPage({ ctx, definition, why }: { ctx: ViewContext; definition: ServiceDefinition; why: Ineligibility }) {
  const { t, locale } = ctx;
  const title = t('forms.ineligible.title');
  return (
    <Layout ctx={ctx} title={`${title} – ${pick(definition.title, locale)}`} section="services">
      <p>
        <a class="ds-link" href={`/services/${definition.id}`}>
          {t('forms.back')}
        </a>
      </p>
      <p class="mb-caption">{pick(definition.title, locale)}</p>
      <Heading>{title}</Heading>
      <Paragraph lead>{t(why.key, why.vars)}</Paragraph>
      <Heading level={2} size="sm">
        {t('forms.ineligible.whatNow')}
      </Heading>
      <WhatNow ctx={ctx} why={why} />
    </Layout>
  );
}

/** For the catalogue's service page: the notice and whether it stops the start (catalogue knows no forms). */
export async function servicePageNotice(req: FastifyRequest, def: ServiceDefinition): Promise<{ notice: VNode; blocksStart: boolean } | undefined> {
  const why = await ineligibilityFor(req, def);
  return why ? { notice: <IneligibleNotice ctx={req.viewContext()} why={why} />, blocksStart: true } : undefined;
}
