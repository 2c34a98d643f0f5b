/**
 * A step another engine puts in front of a form's questions (ADR 0039): the booking engine's "which
 * time?". The forms engine keeps the draft, its owner checks, check your answers and the submission;
 * the step owns its page, what it chose (the draft's `chosen`), the section it adds to check your
 * answers, and what it writes in the transaction that creates the case. It knows no service: a
 * definition has the step when the step says so (`appliesTo`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { ServiceDefinition } from '../catalogue/types.ts';
import type { Prelude, Statement, TenantQueryable, TenantScope } from '../kernel/db/index.ts';
import type { Localised } from '../kernel/tenants.ts';
import type { Locale } from '../kernel/i18n/index.ts';
import type { Applicant } from './applicant.ts';
import type { Draft } from './drafts.repository.ts';

/** A draft as its step's page sees it, loaded and checked to be the person's own. */
export interface StepDraft {
  draft: Draft;
  definition: ServiceDefinition;
  applicant: Applicant;
  /** Keeps what the step chose with the draft; the address the form goes on to (its next step, or check your answers when `?return=check`). */
  choose(chosen: Record<string, unknown>): Promise<string>;
  /** Keeps what the step has so far with the draft, staying on the step (a list the person adds to, one item at a time). */
  keep(chosen: Record<string, unknown>): Promise<void>;
}

/** What the step writes with the case, in the transaction that makes it. */
export interface StepSubmission {
  definition: ServiceDefinition;
  draft: Draft & { chosen: Record<string, unknown> };
  applicant: Applicant;
  now: Date;
  /** The id the case will have (made before it), for a step that records it with its own row at once; absent when the case is made later (a held choice, paid first). */
  caseId?: string;
}

export interface ChoiceStep {
  /** The step's address under a draft: /apply/<draft>/<path>. */
  path: string;
  appliesTo(def: ServiceDefinition): boolean;
  /** Whether what the draft keeps is a finished choice (a step that keeps a list as it grows says when it is done); default: anything kept. */
  isChosen?(chosen: Record<string, unknown>): boolean;
  /** Query parameters a link to the service's start may carry to the step (a time chosen on a public page). */
  carries?: readonly string[];
  /** The step's page. */
  show(req: FastifyRequest, reply: FastifyReply, d: StepDraft): Promise<FastifyReply>;
  /** The step's form posted: saves a valid choice through `d.choose` and redirects, or shows the page again with why. */
  post(req: FastifyRequest, reply: FastifyReply, d: StepDraft): Promise<FastifyReply>;
  /** The section check your answers shows for what was chosen, with its change link. */
  checkSection(req: FastifyRequest, definition: ServiceDefinition, draft: Draft & { chosen: Record<string, unknown> }): Promise<VNode>;
  /** What the receipt e-mail says of the choice, in the case's language (a booking's time and place). */
  receiptLines?(tenantId: string, definition: ServiceDefinition, draft: Draft & { chosen: Record<string, unknown> }, locale: Locale): string[];
  /** What the confirmation page shows of what was made with the case (`resident`: signed in with e-ID, who has My cases). */
  confirmationSection?(req: FastifyRequest, definition: ServiceDefinition, caseId: string, resident: boolean): Promise<VNode | undefined>;
  /** Runs the submission's transaction (the step may retry one the database chose as a deadlock victim). */
  transaction<T>(scope: TenantScope, fn: (tx: TenantQueryable) => Promise<T>): Promise<T>;
  /**
   * Writes what was chosen, first in the case's transaction (a choice that can no longer be had fails
   * before the case is written: ChoiceLostError, the transaction rolled back); then, once the case
   * is made, `attach` records it with the choice (nothing, when the step wrote `caseId` itself).
   */
  write(tx: TenantQueryable, s: StepSubmission): Promise<{ attach(caseId: string): Promise<void> }>;
  /**
   * What was chosen as parts of the statement that creates the case, when it can be written so (a
   * booking of one resource: one round trip, no transaction); undefined: `write` in `transaction`.
   */
  writeWithCase?(tenantId: string, s: StepSubmission & { caseId: string }): ChoiceWithCase | undefined;
  /** What the choice costs, when it is paid for before it is made (a booking's price); undefined or 0: nothing to pay. */
  fee?(tenantId: string, definition: ServiceDefinition, draft: Draft & { chosen: Record<string, unknown> }, applicant: Applicant, now: Date): { amountOre: number; description: Localised } | undefined;
  /**
   * A choice paid for before it is made: holds it while the person pays (a booking's time held until
   * its hold runs out) and returns what holds it; ChoiceLostError when it can no longer be had.
   */
  hold?(tx: TenantQueryable, s: StepSubmission): Promise<string>;
  /**
   * The payment for a held choice has arrived, in the transaction that marks it paid: confirms the
   * hold (and `attach` records the case made with it), or undefined when it was lost meanwhile — the
   * payment is then refunded and the person chooses again.
   */
  confirmHeld?(tx: TenantQueryable, held: string, now: Date): Promise<{ attach(caseId: string): Promise<void> } | undefined>;
  /** A valid answer to the step's form at `now` that nothing holds yet (for generated tests, as a field kind's exampleValid). */
  example(q: TenantQueryable, def: ServiceDefinition, now: Date): Promise<Record<string, string> | undefined>;
}

/** A choice written in the case's own statement (kernel/db writeTogetherIf with a prelude). */
export interface ChoiceWithCase {
  /** What the choice must take first; its gate closed (the choice cannot be had) throws ChoiceLostError. */
  prelude: Prelude;
  /** Single-row INSERTs written with the case, only if its guard holds. */
  inserts: Statement[];
  /** Runs the statement, again when the database asks for it (a lock not had in time); a refusal of the choice throws ChoiceLostError. */
  run<T>(write: () => Promise<T>): Promise<T>;
}

/** What the draft chose was taken before the submission could have it: the person is sent back to choose again. */
export class ChoiceLostError extends Error {
  constructor(readonly path: string) {
    super(`the choice of step ${path} was lost`);
    this.name = 'ChoiceLostError';
  }
}

/** The steps of these that a definition has, in order. */
export const choiceStepsOf = (steps: readonly ChoiceStep[], def: ServiceDefinition) => steps.filter((s) => s.appliesTo(def));

/** The first of a definition's choice steps the draft has not chosen yet. */
export function unchosenStep(steps: readonly ChoiceStep[], def: ServiceDefinition, draft: Pick<Draft, 'chosen'>): ChoiceStep | undefined {
  // One `chosen` per draft: a definition has at most one such step (the booking engine's).
  const step = choiceStepsOf(steps, def)[0];
  if (!step) return undefined;
  return draft.chosen === undefined || (step.isChosen && !step.isChosen(draft.chosen)) ? step : undefined;
}
