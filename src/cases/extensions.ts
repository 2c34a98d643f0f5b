/**
 * What other modules add to a case's pages and receipt without the cases module knowing them
 * (payments adds the payment and, for staff, refunds; and the invoice of a fee charged on a decision). Registered with casesPlugin; each part is
 * optional and asked only when its page is rendered.
 */
import type { FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Locale } from '../kernel/i18n/index.ts';
import type { LetterSection } from '../documents/index.ts';
import type { TenantQueryable } from '../kernel/db/index.ts';
import type { ServiceDefinition } from '../catalogue/types.ts';
import type { Case, Decision } from './cases.repository.ts';

export interface CaseExtension {
  /** A section on the resident's case page, or null. */
  residentSection?(req: FastifyRequest, c: Case): Promise<VNode | null>;
  /** A section on the case's page reached by its private follow link or a verified address (ADR 0015), or null. */
  followSection?(req: FastifyRequest, c: Case): Promise<VNode | null>;
  /** A section on the handler's case page; `canHandle`: the staff member may act on the case. */
  staffSection?(req: FastifyRequest, c: Case, canHandle: boolean): Promise<VNode | null>;
  /** Sections of the case's receipt PDF in this language. */
  receiptSections?(req: FastifyRequest, c: Case, locale: Locale): Promise<LetterSection[]>;
  /**
   * Inside a decision's transaction (ADR 0034): what this module records with the decision (an
   * invoice), given the seq of the decision's journal entry; what it returns joins that entry.
   */
  recordDecision?(tx: TenantQueryable, d: DecisionEvent): Promise<Record<string, unknown> | undefined>;
  /** Lines this module adds under a decision's text, in its letter and on the case pages ("Avgift: 12 500 kr faktureras separat"). */
  decisionLines?(def: ServiceDefinition, decision: Decision, locale: Locale): string[];
  /** The confirmations this module's actions land on the resident's case page with (`?done=<key>` → message key). */
  notices?: Readonly<Record<string, string>>;
  /**
   * What some of these cases are about, in a line, for a list where a case has no subject to name (a
   * booking's place and time on My cases), by case id, in the request's language. One call per list.
   */
  listAbout?(req: FastifyRequest, cases: readonly Case[]): Promise<ReadonlyMap<string, string>>;
}

/** Every extension's line for each case of a list (the first extension to name a case wins). */
export async function listAboutOf(extensions: readonly CaseExtension[], req: FastifyRequest, cases: readonly Case[]): Promise<ReadonlyMap<string, string>> {
  const about = new Map<string, string>();
  if (cases.length === 0) return about;
  for (const lines of await Promise.all(extensions.map((e) => e.listAbout?.(req, cases)))) {
    for (const [id, line] of lines ?? []) if (!about.has(id)) about.set(id, line);
  }
  return about;
}

export interface DecisionEvent {
  c: Case;
  def: ServiceDefinition;
  decision: Decision;
  /** The seq of the decision's journal entry: one decision of the case. */
  seq: number;
  now: Date;
}

/** Every extension's record of a decision, in the decision's transaction; their results are merged into its journal entry. */
export async function recordDecisionOf(extensions: readonly CaseExtension[], tx: TenantQueryable, d: DecisionEvent): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const e of extensions) Object.assign(out, (await e.recordDecision?.(tx, d)) ?? {});
  return out;
}

/** Every extension's lines under a decision's text. */
export const decisionLinesOf = (extensions: readonly CaseExtension[], def: ServiceDefinition) => (decision: Decision, locale: Locale): string[] =>
  extensions.flatMap((e) => e.decisionLines?.(def, decision, locale) ?? []);

export interface CasesOptions {
  extensions?: readonly CaseExtension[];
}

export async function sectionsOf(parts: (Promise<VNode | null> | undefined)[]): Promise<VNode[]> {
  return (await Promise.all(parts)).filter((v): v is VNode => v !== null && v !== undefined);
}

export async function receiptSectionsOf(extensions: readonly CaseExtension[], req: FastifyRequest, c: Case, locale: Locale): Promise<LetterSection[]> {
  return (await Promise.all(extensions.map((e) => e.receiptSections?.(req, c, locale) ?? Promise.resolve([])))).flat();
}
