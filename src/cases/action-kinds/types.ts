/** What every action kind's handler is given and returns (ADR 0014). */
import type { TenantQueryable } from '../../kernel/db/index.ts';
import type { JournalKind } from '../../archive/index.ts';
import type { ActionDef, ServiceDefinition } from '../../catalogue/types.ts';
import type { Case, CasePatch, Decision } from '../cases.repository.ts';

export interface AttachmentRef {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

export interface LetterRef {
  id: string;
  locale: string;
  sha256: string;
}

/**
 * What the person taking the action gave (the route parsed and checked it). Files and letters are
 * already in the blob store; `record*` writes their rows in the action's transaction.
 */
export interface ActionInput {
  text?: string;
  files?: AttachmentRef[];
  recordFiles?: (tx: TenantQueryable) => Promise<void>;
  assignee?: { id: string; name: string };
  decision?: Decision;
  letters?: LetterRef[];
  recordLetters?: (tx: TenantQueryable) => Promise<void>;
  /**
   * Inside a decision's transaction, after its letters: what other modules record with it (an
   * invoice, ADR 0034), given the seq its journal entry takes; what it returns joins that entry.
   */
  recordDecision?: (tx: TenantQueryable, c: Case, seq: number, decision: Decision) => Promise<Record<string, unknown>>;
  /** approveDecision: the journal seq of the proposal the approver read (it must still be the pending one). */
  proposalSeq?: number;
}

/** What the route asks for before it runs the action: nothing, a text, a handler, a text with files, a decision. */
export type InputShape = 'none' | 'text' | 'assign' | 'textFiles' | 'decision';

export interface KindContext {
  c: Case;
  tx: TenantQueryable;
  def: ServiceDefinition;
  action: ActionDef;
  /** The state the action leads to (its `to`, or the current state). */
  to: string;
  /** The seq of the journal entry this action writes (changeCase appends it next, under the case's lock). */
  seq: number;
  actor: { kind: 'resident' | 'staff' | 'system'; id: string | null };
  input: ActionInput;
}

export interface KindResult {
  patch?: CasePatch;
  /** Added to the journal entry's payload (the runner adds action, actionKind, from, to). */
  payload?: Record<string, unknown>;
}

export interface ActionKindHandler {
  input: InputShape;
  /** The journal entry it writes; old entries of the same kinds read the same. */
  journal: JournalKind;
  /** Whether the resident reads this entry's text and files in the history (a referral's text is internal). */
  residentSeesBody: boolean;
  /** Whether the resident sees the entry at all (a decision proposal is internal until approved). */
  residentSees: boolean;
  apply(k: KindContext): Promise<KindResult> | KindResult;
}
