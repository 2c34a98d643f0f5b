/**
 * The shape of a service definition: one YAML file per service in catalogue/<tenant>/.
 * A service is data; the engines (apply, report, book, queue, ...) are generic code that reads it.
 * The JSON Schema in schema.ts validates exactly this shape; keep the two in step.
 */
import type { Localised } from '../kernel/tenants.ts';

export type Engine = 'apply' | 'report' | 'book' | 'queue' | 'allocate' | 'follow' | 'register' | 'link';

/** Who may use the service. */
export type Audience = 'anyone' | 'eid' | 'custodian' | 'representative';

/**
 * A condition over answers, as plain data so the server and the browser enhancement evaluate the
 * same thing. Leaves compare one field; all/any/not combine.
 */
export type Condition =
  | { field: string; equals: string | number | boolean }
  | { field: string; notEquals: string | number | boolean }
  | { field: string; in: (string | number)[] }
  | { field: string; answered: boolean }
  /** A date field earlier than today (Europe/Stockholm) plus the given whole months. */
  | { field: string; beforeMonthsFromToday: number }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export interface Choice {
  value: string;
  label: Localised;
  hint?: Localised;
}

interface FieldBase {
  /** Answer key: lower camelCase, unique within the service. */
  id: string;
  label: Localised;
  hint?: Localised;
  /**
   * How error messages name the answer mid-sentence ("Välj {errorName}"), for labels that are
   * questions; otherwise the label, its first letter lower-cased.
   */
  errorName?: Localised;
  /** Required unless false; a field hidden by its condition is never required. */
  required?: boolean;
  /** Shown (and validated) only when the condition holds. */
  when?: Condition;
  /** Fill the first time from the signed-in person's profile. */
  prefill?: 'profile.email' | 'profile.phone';
}

export interface TextField extends FieldBase {
  kind: 'text' | 'longText' | 'email' | 'phone';
  maxLength?: number;
  /** For 'text': a regular expression the whole answer must match. */
  pattern?: string;
}

export interface DateField extends FieldBase {
  kind: 'date';
  /**
   * The earliest date, as whole months after today in Europe/Stockholm. With `earlierAllowedWith`
   * an earlier date is accepted when that field (a reason) is answered.
   */
  minMonthsAhead?: number;
  earlierAllowedWith?: string;
  /** The latest date, as whole months after today. */
  maxMonthsAhead?: number;
}

export interface ChoiceField extends FieldBase {
  kind: 'choice' | 'multiChoice';
  choices: Choice[];
}

export interface YesNoField extends FieldBase {
  kind: 'yesNo';
}

/** Up to `max` distinct options from a register, in ranked order (first choice first). */
export interface RankedChoiceField extends FieldBase {
  kind: 'rankedChoice';
  register: string;
  min: number;
  max: number;
}

/** One of the signed-in person's children from the population register (never typed in). */
export interface ChildField extends FieldBase {
  kind: 'child';
  /** Only children at most this old on the day of the application. */
  maxAgeYears?: number;
}

export type Field = TextField | DateField | ChoiceField | YesNoField | RankedChoiceField | ChildField;

export interface Step {
  id: string;
  title: Localised;
  intro?: Localised;
  fields: Field[];
  when?: Condition;
}

export interface WorkflowState {
  id: string;
  /** What the resident sees in My cases. */
  label: Localised;
  /** What staff see, where the resident's wording would mislead them ("… from you"); defaults to label. */
  staffLabel?: Localised;
  /** Calendar days a case may stay in this state before it is overdue in the handler's inbox. */
  deadlineDays?: number;
  /** No further transitions: decided, withdrawn. */
  final?: boolean;
}

/** The legacy verbs of `transitions: [{from, to, action}]`; the loader turns them into actions. */
export type WorkflowAction = 'assign' | 'start' | 'requestSupplement' | 'supplementReceived' | 'decide' | 'withdraw';

export interface Transition {
  from: string[];
  to: string;
  action: WorkflowAction;
}

// ---- eng-flow: workflow actions as data (ADR 0014) -------------------------------------------

/** The engine's vocabulary of workflow actions; each kind has one small handler in src/cases/action-kinds/. */
export type ActionKind =
  | 'transition'
  | 'assign'
  | 'requestSupplement'
  | 'supplement'
  | 'refer'
  | 'referralReply'
  | 'close'
  | 'proposeDecision'
  | 'approveDecision'
  | 'returnDecision'
  | 'decide'
  | 'withdraw';

/** Who takes an action: a handler, the applicant, or the platform itself (a job; no route runs it). */
export type ActionActor = 'staff' | 'applicant' | 'system';

/** A party of the case told about an action. Only the applicant for now (co-applicant, representative later). */
export type NotifyParty = 'applicant';

export interface ActionNotification {
  to: NotifyParty;
  /** A template of the definition (`templates`) or one of the engine's defaults. */
  template: string;
}

export interface ActionDef {
  /** Stable id, in URLs and the journal: lower camelCase. */
  id: string;
  kind: ActionKind;
  /** What the button says; defaults to the engine's word for the kind. */
  label?: Localised;
  /** What the resident reads in the case's history; defaults to the engine's wording for the kind. */
  history?: Localised;
  /** What staff read in the history, where it differs. */
  staffHistory?: Localised;
  from: string[];
  /** The state the case moves to; an `assign` without it keeps the state. */
  to?: string;
  /** Who takes it; defaults per kind (supplement, withdraw: applicant; the rest: staff). */
  by?: ActionActor;
  /** Who is told, with which template; defaults per kind (`[]` tells no one). */
  notify?: ActionNotification[];
  /** refer: the external party the case is referred to (the police). */
  party?: Localised;
  /** refer: the id of the referralReply action that records the party's answer. */
  reply?: string;
  /** decide, proposeDecision: the decision types this action may make; all when absent. */
  decisions?: string[];
  /** Set by the loader for legacy transitions only (never in YAML): the engine's message key of its button. */
  labelKey?: string;
}

/** A notification text of the definition, with {placeholders} (see MESSAGE_PLACEHOLDERS). */
export interface MessageTemplate {
  id: string;
  subject: Localised;
  body: Localised;
}

/** What kind of matter a service handles: the word receipts, e-mails and letters use ("ansökan", "anmälan"). */
export type Matter = 'application' | 'report' | 'booking' | 'errand';

/** How a decision ends the matter: beyond approved/rejected, partly approved, dismissed (avvisning), or none (a report's closing). */
export type DecisionOutcome = 'approved' | 'partlyApproved' | 'rejected' | 'dismissed' | 'none';

// ---- end eng-flow ----------------------------------------------------------------------------

export interface Workflow {
  /** The state a submitted case starts in. */
  initial: string;
  states: WorkflowState[];
  /** Legacy syntax; the loader turns each into an action (normaliseWorkflow). */
  transitions?: Transition[];
  /** The actions (eng-flow); after loading always present, legacy transitions included. */
  actions?: ActionDef[];
}

export interface DecisionField {
  id: string;
  label: Localised;
  kind: 'text' | 'longText' | 'date' | 'rankedChoiceAnswer' | 'amount' | 'choice' | 'registerEntry';
  /** For 'rankedChoiceAnswer': the answer field whose choices may be picked (e.g. the ranked pre-schools). */
  from?: string;
  required?: boolean;
  /** eng-flow. For 'date': must be later than this other date field of the decision (a validity period's end). */
  after?: string;
  /** eng-flow. For 'date': whether a date already past is accepted (default: no). */
  pastAllowed?: boolean;
  /** eng-flow. For 'amount' (whole kronor): bounds. */
  min?: number;
  max?: number;
  /** eng-flow. For 'choice': the options. */
  choices?: Choice[];
  /** eng-flow. For 'registerEntry': the register whose entries may be picked (a unit). */
  register?: string;
}

export interface DecisionType {
  id: string;
  title: Localised;
  outcome: DecisionOutcome;
  fields: DecisionField[];
  /** Letter body with {placeholders}: decision fields, {child}, {applicant}, {reference}, {service}. */
  letter: Localised;
  /** eng-flow. How to appeal, printed in the letter; false: none (a report's closing). Absent: the engine's general text. */
  appeal?: Localised | false;
}

export interface ServiceDefinition {
  id: string;
  /** Tenant the definition belongs to (its catalogue folder). */
  tenant: string;
  engines: Engine[];
  /** SKL's number (1–38) from the 2011 survey, or null. */
  skl: number | null;
  department: string;
  audience: Audience[];
  title: Localised;
  summary: Localised;
  /** What you need before you start (list items). */
  needs: Localised[];
  /** How long filling in takes. */
  duration: Localised;
  /** How long until a decision. */
  handlingTime: Localised;
  /** Who decides. */
  decidedBy: Localised;
  /** What happens after you send it. */
  whatHappensNext: Localised;
  keywords?: Localised[];
  reference: { prefix: string };
  form: { steps: Step[] };
  workflow: Workflow;
  decisions: DecisionType[];
  /** eng-flow. Notification texts the actions name (override the engine's defaults by using their id). */
  templates?: MessageTemplate[];
  /** eng-flow. What kind of matter this is; "application" when absent. */
  matter?: Matter;
  /** How long the case is kept after it closes, per the records plan (e.g. "10y", "2y", "permanent"). */
  retention: string;
  classification: 'public' | 'internal' | 'confidential';
  benefit?: { yearlyCases?: number; minutesSavedPerCase?: number; targetDigitalShare?: number };
  /** The file it came from, for error messages. */
  source: string;
}

/** An entry of a register (e.g. pre-schools) that fields can offer as options. */
export interface RegisterEntry {
  id: string;
  name: string;
  area?: string;
  address?: string;
  description?: Localised;
}
