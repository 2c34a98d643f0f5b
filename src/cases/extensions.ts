/**
 * What other modules add to a case's pages and receipt without the cases module knowing them
 * (payments adds the payment and, for staff, refunds). Registered with casesPlugin; each part is
 * optional and asked only when its page is rendered.
 */
import type { FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Locale } from '../kernel/i18n/index.ts';
import type { LetterSection } from '../documents/index.ts';
import type { Case } from './cases.repository.ts';

export interface CaseExtension {
  /** A section on the resident's case page, or null. */
  residentSection?(req: FastifyRequest, c: Case): Promise<VNode | null>;
  /** A section on the handler's case page; `canHandle`: the staff member may act on the case. */
  staffSection?(req: FastifyRequest, c: Case, canHandle: boolean): Promise<VNode | null>;
  /** Sections of the case's receipt PDF in this language. */
  receiptSections?(req: FastifyRequest, c: Case, locale: Locale): Promise<LetterSection[]>;
}

export interface CasesOptions {
  extensions?: readonly CaseExtension[];
}

export async function sectionsOf(parts: (Promise<VNode | null> | undefined)[]): Promise<VNode[]> {
  return (await Promise.all(parts)).filter((v): v is VNode => v !== null && v !== undefined);
}

export async function receiptSectionsOf(extensions: readonly CaseExtension[], req: FastifyRequest, c: Case, locale: Locale): Promise<LetterSection[]> {
  return (await Promise.all(extensions.map((e) => e.receiptSections?.(req, c, locale) ?? Promise.resolve([])))).flat();
}
