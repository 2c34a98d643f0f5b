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

export type WorkflowAction = 'assign' | 'start' | 'requestSupplement' | 'supplementReceived' | 'decide' | 'withdraw';

export interface Transition {
  from: string[];
  to: string;
  action: WorkflowAction;
}

export interface Workflow {
  /** The state a submitted case starts in. */
  initial: string;
  states: WorkflowState[];
  transitions: Transition[];
}

export interface DecisionField {
  id: string;
  label: Localised;
  kind: 'text' | 'longText' | 'date' | 'rankedChoiceAnswer';
  /** For 'rankedChoiceAnswer': the answer field whose choices may be picked (e.g. the ranked pre-schools). */
  from?: string;
  required?: boolean;
}

export interface DecisionType {
  id: string;
  title: Localised;
  outcome: 'approved' | 'rejected';
  fields: DecisionField[];
  /** Letter body with {placeholders}: decision fields, {child}, {applicant}, {reference}, {service}. */
  letter: Localised;
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
  /** How long the case is kept after it closes, per the records plan (e.g. "10y", "2y", "permanent"). */
  retention: string;
  classification: 'public' | 'internal' | 'confidential';
  benefit?: { yearlyCases?: number; minutesSavedPerCase?: number; targetDigitalShare?: number };
  // --- fees (eng-reg) ---
  /** A fee the applicant pays after "check your answers"; the case is created when it is paid. */
  fee?: Fee;
  // --- end eng-reg ---
  /** The file it came from, for error messages. */
  source: string;
}

// --- fees (eng-reg) ---
/** A JSON Logic expression (jsonlogic.com) over the answers, e.g. {"*": [{"var": "tables"}, 150]}. */
export type Expression = { [operator: string]: unknown };

export interface Fee {
  /** In kronor (SEK): a fixed amount, or an expression over the answers giving one. */
  amount: number | Expression;
  currency: 'SEK';
  /** What the payer is told they pay for, and what the receipt says. */
  description: Localised;
  /** The VAT rate (per cent) included in the amount, for the receipt. */
  vatRate?: 0 | 6 | 12 | 25;
}
// --- end eng-reg ---

/** An entry of a register (e.g. pre-schools) that fields can offer as options. */
export interface RegisterEntry {
  id: string;
  name: string;
  area?: string;
  address?: string;
  description?: Localised;
}
