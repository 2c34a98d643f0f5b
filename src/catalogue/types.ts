/**
 * The shape of a service definition: one YAML file per service in catalogue/<tenant>/.
 * A service is data; the engines (apply, report, book, queue, ...) are generic code that reads it.
 * The JSON Schema in schema.ts validates exactly this shape; keep the two in step.
 */
import type { Localised } from '../kernel/tenants.ts';
import type { FIELD_ERROR_KINDS } from './schema.ts';
import type { ComputedValue, Expression, LegacyCondition } from '../expressions/index.ts';
import type { Area } from './areas.ts';
import type { Situation } from './situations.ts';

export type Engine = 'apply' | 'report' | 'book' | 'queue' | 'allocate' | 'follow' | 'register' | 'link';

/** Who may use the service. */
/**
 * Who may use a service (ADR 0015): `anyone` without signing in, `email` a person who verifies an
 * e-mail address by code, `eid` a resident with e-ID, `custodian` one for their child, `representative`
 * a resident with e-ID applying for an organisation they may sign for (the business register says).
 */
export type Audience = 'anyone' | 'email' | 'eid' | 'custodian' | 'representative';

// ---- eng-expr: expressions (ADR 0009) ------------------------------------------------------
/**
 * A condition in the legacy syntax ({field, equals} …, all/any/not). Still accepted in
 * definitions: the loader turns it into JSON Logic once (expressions/normaliseCondition).
 */
export type Condition = LegacyCondition;

/** A `when`: an expression (JSON Logic), or a condition in the legacy syntax before loading. */
export type When = Expression | Condition;

/**
 * A cross-field validation rule on a step: when `expression` is false, `message` is shown at
 * `field` (checked only when that field is shown and has no other problem).
 */
export interface ValidationRule {
  id: string;
  expression: Expression;
  field: string;
  message: Localised;
}

export type { ComputedValue, Expression } from '../expressions/index.ts';
// ---- end eng-expr ----------------------------------------------------------------------------

export interface Choice {
  value: string;
  label: Localised;
  hint?: Localised;
}

/** An error a definition may word itself for a field. */
export type FieldErrorKind = (typeof FIELD_ERROR_KINDS)[number];

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
  /** The field's own error messages, per error ("required", "tooEarly", …; FIELD_ERROR_KINDS in schema.ts). */
  errors?: Partial<Record<FieldErrorKind, Localised>>;
  /** Required unless false; a field hidden by its condition is never required. */
  required?: boolean;
  /** Shown (and validated) only when the condition holds. */
  when?: When;
  /** eng-expr: an expression for the initial value, shown until the person answers. */
  default?: Expression;
  /** Fill the first time from the signed-in person's profile. */
  prefill?: 'profile.email' | 'profile.phone';
  // --- field kinds (eng-kinds) ---
  /**
   * An answer the generated tests post as valid: a text for one-input kinds, an object of parts
   * (address, date range) or a list (ranked choice). Without it each kind makes up its own.
   */
  example?: string | number | string[] | Record<string, string | number>;
  // --- end field kinds ---
}

export interface TextField extends FieldBase {
  kind: 'text' | 'longText' | 'email' | 'phone';
  maxLength?: number;
  /** For 'text': a regular expression the whole answer must match. */
  pattern?: string;
}

export interface DateField extends FieldBase {
  kind: 'date';
  // --- field kinds (eng-kinds) ---
  /** A date before today is accepted (default: refused). */
  allowPast?: boolean;
  /** A date after today is accepted (default: accepted). */
  allowFuture?: boolean;
  /** At most this many whole years before today. */
  maxYearsBack?: number;
  // --- end field kinds ---
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

/** How an age is counted (ADR 0030): whole years on the day of applying, or the age turned in its year. */
export type AgeBy = 'day' | 'year';

/** An age range: at least `min`, at most `max` years old, counted `by` day (the default) or year. */
export interface AgeRule {
  min?: number;
  max?: number;
  by?: AgeBy;
}

/** One of the signed-in person's children from the population register (never typed in). */
export interface ChildField extends FieldBase {
  kind: 'child';
  /** Only children at least this old (ADR 0030), counted as `ageBy` says. */
  minAgeYears?: number;
  /** Only children at most this old on the day of the application (or in its year: `ageBy: year`). */
  maxAgeYears?: number;
  /** How the ages are counted: `day` (the default) or `year`. */
  ageBy?: AgeBy;
}

// --- field kinds (eng-kinds): the kinds added by ADR 0013; each has its module in src/forms/kinds/ ---

/** A number typed in: stored as a JSON number. */
export interface NumberField extends FieldBase {
  kind: 'number';
  /** Whole numbers only. */
  integer?: boolean;
  min?: number;
  max?: number;
  /** Shown after the input and in the answer ("timmar", "m²"). */
  unit?: Localised;
}

/** An amount in kronor, typed with up to two decimals (öre); stored as whole öre (a JSON integer). */
export interface MoneyField extends FieldBase {
  kind: 'money';
  /** In kronor. */
  min?: number;
  max?: number;
}

/** A start and an end date: stored as { from, to } (YYYY-MM-DD); the end is not before the start. */
export interface DateRangeField extends FieldBase {
  kind: 'dateRange';
  allowPast?: boolean;
  allowFuture?: boolean;
  maxYearsBack?: number;
  minMonthsAhead?: number;
  maxMonthsAhead?: number;
  /** The longest range, in days counting both the first and the last. */
  maxDays?: number;
}

/** A time of day: stored as HH:MM (24 hours). */
export interface TimeField extends FieldBase {
  kind: 'time';
  /** Earliest and latest time, HH:MM. */
  min?: string;
  max?: string;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Times per weekday: stored as [{ day, from, to }] for the days answered, in weekday order. */
export interface WeeklyScheduleField extends FieldBase {
  kind: 'weeklySchedule';
  /** The days asked (default Monday to Friday). */
  days?: Weekday[];
  /** Earliest start and latest end, HH:MM. */
  earliest?: string;
  latest?: string;
  /**
   * An end before the start is on the next day (serving hours 11:00–01:00); the span is then under
   * 24 hours. Not with `latest`, which names a time of the same day.
   */
  overnight?: boolean;
}

/** One entry of a register (e.g. the pre-schools): stored as the entry's id. */
export interface RegisterChoiceField extends FieldBase {
  kind: 'registerChoice';
  register: string;
  /** Radio buttons (default) or a drop-down list for long registers. */
  display?: 'radio' | 'select';
}

/** A Swedish personal identity or co-ordination number: stored as twelve digits. */
export interface PersonalNumberField extends FieldBase {
  kind: 'personalNumber';
}

/** A Swedish organisation number: stored as NNNNNN-NNNN. */
export interface OrganisationNumberField extends FieldBase {
  kind: 'organisationNumber';
}

/** A postal address: stored as { street, postalCode (five digits), town }. */
export interface AddressField extends FieldBase {
  kind: 'address';
  /** Start from the signed-in resident's registered address (they may change it). */
  prefillFromRegister?: boolean;
}

/**
 * A place: an address and/or a description in words, and/or coordinates (WGS 84): stored as
 * { address, description, lat?, lng? }. Coordinates outside `bounds` are refused (ADR 0020).
 */
export interface LocationField extends FieldBase {
  kind: 'location';
  /** The municipality's area, in decimal degrees; the map starts there. */
  bounds?: { south: number; west: number; north: number; east: number };
}

/** One of the applicant's own earlier cases of `services` (in `states`, when given): stored as its reference. */
export interface CaseReferenceField extends FieldBase {
  kind: 'caseReference';
  services: string[];
  states?: string[];
}

/**
 * A property from the property register (ADR 0035): one of the applicant's own (or the
 * organisation's they act for), chosen; with `allowOthers`, another designation typed in the
 * register's format and found there (the neighbour's). Stored as { designation, address }, both as
 * the register has them.
 */
export interface PropertyField extends FieldBase {
  kind: 'property';
  allowOthers?: boolean;
  /** false: the applicant's own properties are not offered (a question about someone else's); needs allowOthers. */
  offerOwn?: boolean;
}

/** One person from the population register, chosen (never typed): stored as twelve digits. */
export interface PersonField extends FieldBase {
  kind: 'person';
  /** Whose people are offered; the applicant's children today (household when the register gives it). */
  source?: 'children';
  minAgeYears?: number;
  maxAgeYears?: number;
  ageBy?: AgeBy;
}

/** A statement the applicant must tick to go on: stored as "yes". */
export interface DeclarationField extends FieldBase {
  kind: 'declaration';
  /** What they declare or consent to, shown next to the box. */
  text: Localised;
}

/**
 * Files the applicant uploads with the form (a medical certificate): stored per draft, listed as
 * [{ id, filename, contentType, sizeBytes }], moved to the case's attachments at submission (ADR 0017).
 */
export interface FileField extends FieldBase {
  kind: 'file';
  /** At least this many when the field is required (default 1). */
  minFiles?: number;
  /** At most this many (default 1). */
  maxFiles?: number;
  /** Each file at most this many bytes (default 10 MB). */
  maxBytes?: number;
  /** The content types accepted, judged from the file's first bytes (default PDF, PNG, JPEG). */
  accept?: ('application/pdf' | 'image/png' | 'image/jpeg')[];
}

/** Sub-fields answered once per item, 1..N times ("add another"): stored as [{ subFieldId: answer }]. */
export interface GroupField extends FieldBase {
  kind: 'group';
  fields: Field[];
  /** What one item is called ("Person"): numbered in headings, buttons and messages. */
  itemLabel: Localised;
  minItems?: number;
  maxItems?: number;
}

export type Field =
  | TextField
  | DateField
  | ChoiceField
  | YesNoField
  | RankedChoiceField
  | ChildField
  | NumberField
  | MoneyField
  | DateRangeField
  | TimeField
  | WeeklyScheduleField
  | RegisterChoiceField
  | PersonalNumberField
  | OrganisationNumberField
  | AddressField
  | LocationField
  | CaseReferenceField
  | PropertyField
  | PersonField
  | DeclarationField
  | FileField
  | GroupField;
// --- end field kinds ---

export interface Step {
  id: string;
  title: Localised;
  intro?: Localised;
  fields: Field[];
  when?: When;
  /** eng-expr: cross-field validation rules, checked by the server when the step is posted. */
  rules?: ValidationRule[];
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
  /**
   * A text the handler writes with the action (ADR 0029): a transition asks for one ("when and where"),
   * a kind that always takes a text (refer, close, requestSupplement) words its own field. The resident
   * reads a transition's text only when the action tells the applicant.
   */
  text?: ActionText;
  /** Set by the loader for legacy transitions only (never in YAML): the engine's message key of its button. */
  labelKey?: string;
}

/** The text field of an action (ADR 0029). */
export interface ActionText {
  /** The field's label: what the handler is asked ("Tid och plats för intervjun"). */
  label: Localised;
  hint?: Localised;
  /** Whether the handler must write it; default true. Kinds that always take a text cannot make it optional. */
  required?: boolean;
  /** The longest text, in characters; default and at most 4000. */
  maxLength?: number;
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
  /**
   * For 'rankedChoiceAnswer': the ranked-choice answer whose register the unit is chosen from (e.g. the
   * ranked pre-schools). Any unit of that register may be chosen; the applicant's choices are marked and
   * listed first (issue 8, item 17).
   */
  from?: string;
  required?: boolean;
  /** How error messages name the field mid-sentence ("förskola" in "Välj förskola"); absent: its label, first letter lower-cased. */
  errorName?: Localised;
  /**
   * The decision form's default for this field: the application's answer `answer` (a list answer, such as
   * ranked choices, gives its first entry). The handler sees it filled in and may change it. With `map`,
   * the answer's value is looked up in it (an answer's option value → a value of this field, ADR 0034);
   * a value the map does not name leaves the field empty for the handler to choose.
   */
  prefill?: { answer: string; map?: Record<string, string> };
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
  /** For 'registerEntry': the applicant's answer (a choice or ranked choice from the same register) whose units are marked as theirs. */
  marks?: string;
}

/**
 * Where a decision is appealed: `ordinary` (förvaltningsbesvär to the administrative court),
 * `legality` (laglighetsprövning under chapter 13 of the Local Government Act), `authority` (another
 * authority the definition names, such as the county administrative board), `none` (cannot be appealed).
 */
export type AppealRoute = 'ordinary' | 'legality' | 'authority' | 'none';

export interface Appeal {
  route: AppealRoute;
  /**
   * `authority`: who the appeal goes to, as said mid-sentence ("länsstyrelsen"); {authority} in the
   * texts. Every route's texts may also say {decider}: the deciding committee (ADR 0032).
   */
  authority?: Localised;
  /** The section's heading, where the route's default does not fit. */
  heading?: Localised;
  /** The section's text, where the route's default does not fit. */
  text?: Localised;
}

export interface DecisionType {
  id: string;
  title: Localised;
  outcome: DecisionOutcome;
  fields: DecisionField[];
  /** Letter body with {placeholders}: decision fields, {subject} ({child} is its old name), {applicant}, {reference}, {service}. */
  letter: Localised;
  /**
   * How to appeal, in the letter and on the case page (ADR 0029): an appeal route with the engine's
   * heading and text for it (or the definition's own); a bare text: the ordinary route's heading over
   * it; false: no section at all (a report's closing). Absent: none when the outcome is `approved`,
   * else the ordinary route (förvaltningslagen 33 §, ADR 0032).
   */
  appeal?: Localised | false | Appeal;
  /** Days after a decision of this type that the resident may still write messages on the case; absent: none. */
  messagesOpenDays?: number;
}

/**
 * What every service the public list shows has, whatever carries it: a case service
 * (ServiceDefinition) or a service delivered by an external system (LinkService). The lists, the
 * search, the home page and `catalogue list` read this.
 */
export type ListedService = Pick<
  ServiceDefinition,
  'id' | 'tenant' | 'engines' | 'skl' | 'department' | 'audience' | 'title' | 'summary' | 'needs' | 'keywords' | 'area' | 'situations' | 'searchWords' | 'benefit' | 'source'
>;

/**
 * A service an external system delivers (engine `link`: the library's loans, e-books, a journey
 * planner): listed and found like any other, its page hands over to the address the municipality
 * sets. No form, no cases.
 */
export interface LinkService extends ListedService {
  engines: ['link'];
  link: {
    /** The external system's address (https), set by each municipality offering it. */
    url: string;
    /** Who runs it, as the handover names it ("the library's website"). */
    provider: Localised;
    /** Whether the external system asks the person to sign in, and how. */
    signIn?: Localised;
  };
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
  /**
   * The body that decides its cases, as said mid-sentence ("överförmyndarnämnden"), where it is not
   * the committee of the service's department (tenants file). Appeal texts say it with {decider} (ADR 0032).
   */
  decider?: Localised;
  /** What happens after you send it. */
  whatHappensNext: Localised;
  keywords?: Localised[];
  /** SKL's area the service is listed under (areas.ts); `other` when absent. */
  area?: Area;
  /** The life situations it is listed under too (situations.ts), in the definition's order. */
  situations?: Situation[];
  /** Words people search with that are no translation of each other (everyday words, old names), per language. */
  searchWords?: { sv?: string[]; en?: string[] };
  reference: { prefix: string };
  form: { steps: Step[] };
  /**
   * eng-expr: named values computed from the answers (expressions/computeValues), in order; each
   * may read those before it as `$computed.<id>`. Stored with the case's answers under `$computed`.
   */
  computed?: ComputedValue[];
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
  // --- Parties and roles (docs/adr/0011-parties-and-roles.md) ---
  /** Who or what a case is about; none when absent. */
  subject?: SubjectSpec;
  /** Staff roles this service brings (ids beyond the built-in admin, handler, security_officer). */
  roles?: StaffRoleSpec[];
  /** Who handles and who decides its cases; absent: the department's `handler` does both. */
  handling?: Handling;
  // --- end parties and roles ---
  /** A second signer who must approve a submission before it goes on (ADR 0016). */
  coSign?: CoSignSpec;
  // --- audiences (ADR 0015) ---
  /** How to reach an applicant without e-ID: by an address verified by code (`optional` when absent), or not at all. */
  contact?: { email: 'none' | 'optional' | 'required' };
  /**
   * Who may apply by age (ADR 0030): the signed-in resident's age from their personal number,
   * counted on the day of applying or in its year. Only for audiences that sign in with e-ID.
   */
  applicantAge?: AgeRule;
  // --- end audiences ---
  /**
   * A resident may apply for a person they represent by these kinds of representation, as the
   * representation register lists them (ADR 0033): the case's applicant is that person, the
   * resident their representative.
   */
  representation?: { kinds: ('godman' | 'forvaltare' | 'fullmakt')[] };
  /** Engine `book` (ADR 0038): the register whose entries are booked, and the rules they follow. */
  booking?: BookingSpec;
  /** Engine `queue` (ADR 0043): a place in a queue per choice, ordered by the definition's rules. */
  queue?: QueueSpec;
  /** Engine `allocate` (ADR 0044): how a round places the applications — choices, priorities, merit, states. */
  allocation?: AllocationSpec;
  // --- eng-cat (definition versions, ADR 0010) ---
  /** The author's version of the definition (1 when absent); a case is handled by the version it was made under. */
  version?: number;
  // --- end eng-cat ---
  // --- fees (eng-reg) ---
  /** A fee the applicant pays after "check your answers"; the case is created when it is paid. */
  fee?: Fee;
  // --- end eng-reg ---
  // --- routing (loc, ADR 0020) ---
  /** Where a submitted case goes: the first rule whose `when` holds over the answers, else the `department`. */
  routing?: RoutingRule[];
  // --- end routing ---
  /** The file it came from, for error messages. */
  source: string;
}

// --- routing (loc, ADR 0020) ---
export interface RoutingRule {
  /** A rule id, named in the case's journal entry. */
  id: string;
  /** An expression over the answers (ADR 0009); absent: always (a catch-all at the end). */
  when?: Expression;
  /** The department (tenants file) the case goes to; absent: the service's own. */
  department?: string;
  /** The team (one of the service's `roles`) the case is marked for in the inbox. */
  team?: string;
}
// --- end routing ---

// --- fees (eng-reg) ---
export interface Fee {
  /**
   * Paid up front, after "check your answers": in kronor (SEK), a fixed amount or an expression
   * (ADR 0009) over the answers giving one. Absent: nothing is paid when applying.
   */
  amount?: number | Expression;
  /** Invoiced when the case is decided (ADR 0034): a fee under the municipality's rates, set on the decision. */
  invoice?: FeeInvoice;
  currency: 'SEK';
  /** What the payer is told they pay for, and what the receipt says. */
  description: Localised;
  /** The VAT rate (per cent) included in the amount, for the receipt. */
  vatRate?: 0 | 6 | 12 | 25;
}

/** A fee invoiced on a decision (ADR 0034): which decision types charge it, and how much. */
export interface FeeInvoice {
  /** The decision types whose decision creates the invoice. */
  when: string[];
  /** Whole kronor: fixed, or the value of an amount field of the decision (the handler sets it by the rates). */
  amount: number | { field: string };
}
// --- end eng-reg ---

/**
 * Engine `allocate` (ADR 0044): staff place every application of a round at once by deferred
 * acceptance (ADR 0042). The schools are the entries of the choices' register, each with its
 * `capacity`; a child is in the first priority group whose condition holds for the school (the
 * expression reads the answers and `$choice`, the chosen entry: id, name, area, address,
 * capacity), everyone else after them; then merit (higher first); the lottery breaks every tie.
 */
export interface AllocationSpec {
  /** The rankedChoice question that holds the choices, most wanted first. */
  choices: string;
  /** Priority groups, first first. */
  priorities?: AllocationPriority[];
  /** Merit (grades) from a number answer, higher first, before the lottery. */
  merit?: { field: string; label: Localised };
  /** The case states a round takes its applications from. */
  from: string[];
  /** Where publishing the result moves a case placed at one of its choices, and one placed at none. */
  placedState: string;
  notPlacedState: string;
  /** What a child placed nowhere can do next, shown with the result and in its e-mail. */
  whatNext: Localised;
}

export interface AllocationPriority {
  id: string;
  /** How the family reads it ("Syskon på skolan"). */
  label: Localised;
  /** An expression over the answers and `$choice` (the chosen entry). */
  when: Expression;
}

/** An entry of a register (e.g. pre-schools) that fields can offer as options. */
export interface RegisterEntry {
  id: string;
  /** Its name in Swedish: what answers, journals and staff's pages keep. */
  name: string;
  /** Its name in each language, where the register gives both (a course's "måndagar från 18 januari"); see `entryName`. */
  names?: Localised;
  area?: string;
  address?: string;
  description?: Localised;
  /** A resource the booking engine books (ADR 0038): its kind, and its own rules over the service's. */
  bookable?: BookableEntry;
  /** Where the unit is (WGS 84), for queues ordered by distance (ADR 0043). */
  position?: GeoPosition;
  /** Places an allocation round may fill (ADR 0044): a school's, a programme's, a job's or a camp week's seats. */
  capacity?: number;
  /** A queue's unit's places per age group and date, offered as they become free (ADR 0046). */
  places?: UnitPlaces[];
}

export interface GeoPosition {
  lat: number;
  lon: number;
}

// --- Queues (docs/adr/0043-queues.md) ---

export type QueueRule = 'groups' | 'queueDate' | 'distance';

/** A priority group of a queue: an application (for one choice: `$choice`, the chosen entry) in the first group whose condition holds goes before those in later groups. */
export interface QueueGroup {
  id: string;
  label: Localised;
  when: Expression;
}

export interface QueueSpec {
  /** A rankedChoice field: each chosen register entry is a queue. Absent: the service is one queue. */
  choices?: string;
  /** The order, first rule first (default: groups, then queue date); the tie-break comes last. */
  order?: QueueRule[];
  groups?: QueueGroup[];
  /** The final tie-break (default arrival: the order applications came in). */
  tieBreak?: 'arrival' | 'lottery';
  /** What pages call the queue when not the service's title. */
  label?: Localised;
  /** The applicant may change choices while queued, keeping the queue date (default true with choices). */
  changeChoices?: boolean;
  /** Places offered from the queue in its order, answered by the applicant (ADR 0046). */
  offers?: QueueOffers;
  /** A place that lasts a period and is renewed (with a yearly fee, say), or the application leaves its queues (ADR 0047). */
  renewal?: QueueRenewal;
}

/** How a place in a queue is renewed (ADR 0047). */
export interface QueueRenewal {
  /** How long a place lasts: months from the queue date, then from the end of each renewal. */
  everyMonths: number;
  /** From how many days before the end the applicant may renew. */
  openDaysBefore: number;
  /** Days after the end an unrenewed application still stands; then it leaves its queues. */
  graceDays: number;
  /** The state an unrenewed application moves to (final). */
  lapsedState: string;
  /** What each renewal costs (a yearly fee), paid through the payment provider; absent: renewing is free. */
  fee?: { amount: number; vatRate?: number; description: Localised };
}

/** An age group of a unit's places: who is at least `minYears` and under `maxYears` old on the place's start date (the case's subject). */
export interface QueueAgeGroup {
  id: string;
  label: Localised;
  minYears: number;
  maxYears: number;
}

/** How a queue offers places (ADR 0046). */
export interface QueueOffers {
  /** Days the applicant has to answer an offer; silence after them counts as a decline. */
  replyDays: number;
  /** The state an application moves to when its offer is accepted (final: it leaves its queues). */
  acceptedState: string;
  /** The state an application moves to when a decline leaves it in no queue (final). */
  leftState: string;
  /** What declining (or not answering) does: `keep` the other choices (only that queue is left), or `leave` every queue. */
  onDecline: 'keep' | 'leave';
  /** Who may answer: the applicant, or also a co-applicant who signed (the other custodian). */
  answeredBy?: 'applicant' | 'signers';
  /** Age groups of the places; absent: a place fits anyone in the queue. */
  ageGroups?: QueueAgeGroup[];
  /** A place is guaranteed within `months` of the queue date, or from the date the answer `from` asked for when later. */
  guarantee?: { months: number; from?: string };
}

/** A unit's places for an age group from a date (ADR 0046); staff's edits are kept in the database and win. */
export interface UnitPlaces {
  ageGroup?: string;
  from: string;
  seats: number;
}

// --- Booking (docs/adr/0038-booking-engine.md) ---

/** Local wall-clock intervals ("07:00", "22:00"; "24:00" is midnight at the end of the day). */
export type LocalInterval = [from: string, to: string];

/** When a resource is open, per weekday; a weekday left out is closed. */
export type OpeningHours = Partial<Record<Weekday, LocalInterval[]>>;

/** A date (or dates) that differ from the weekly hours: closed, or open other hours. */
export interface BookingException {
  from: string;
  /** The last date it covers (the same as `from` when absent). */
  to?: string;
  /** Hours on those dates; none: closed. */
  hours?: LocalInterval[];
  reason?: Localised;
}

/** What a booking costs, in kronor, for one kind of customer. */
export interface BookingPrice {
  perHour?: number;
  perBooking?: number;
}

export interface BookingRules {
  opening?: OpeningHours;
  exceptions?: BookingException[];
  /** Fixed slots of this length from each opening; otherwise a free length of `minMinutes`–`maxMinutes` starting every `stepMinutes`. */
  slotMinutes?: number;
  minMinutes?: number;
  maxMinutes?: number;
  stepMinutes?: number;
  /** Kept free after each booking (cleaning, changing over). */
  bufferMinutes?: number;
  /** How long before its start a time can be booked at the latest. */
  noticeHours?: number;
  /** How far ahead a time can be booked. */
  horizonDays?: number;
  /** Seats at one time; 1 (the default) books the whole resource. */
  capacity?: number;
  /** Prices per customer type (resident, association, company, youth, …). */
  prices?: Record<string, BookingPrice>;
  /** Whether staff approve each booking before it holds. */
  approval?: boolean;
  /** Until how many hours before its start a booking may be cancelled, and what of its price is refunded then. */
  cancellation?: { untilHours: number; refundPercent: number };
}

export interface BookingSpec {
  /** The register whose entries are the resources. */
  resources: string;
  /** The rules every resource follows unless its entry says otherwise. */
  rules: BookingRules;
  /** The names of its resources' kinds (`bookable.kind`), for the filter and the pages. */
  kinds?: Record<string, Localised>;
  /** The workflow state the booking's case moves to when the booking is cancelled. */
  cancelledState?: string;
  /** Each booking also takes one free entry of this register for the same time (an officiant for a ceremony room); the engine picks the first free one. */
  together?: { resources: string; label?: Localised };
  /** Residents younger than this (by the e-ID's birth date) book at the `youth` price where a resource has one; default 20. */
  youthUnder?: number;
  /** The booker is e-mailed this many hours before a confirmed booking starts (once), with the time, the place and how to cancel. */
  reminder?: { hoursBefore: number };
  /** Associations apply for weekly times over a season and staff allocate them all at once (ADR 0041), instead of one time booked at once. */
  season?: SeasonSpec;
}

/** A season that recurs each year: month-days ("08-16"); `applyBy` falls before `from` (in the year before, when its month-day is later). */
export interface SeasonPeriod {
  id: string;
  label: Localised;
  from: string;
  to: string;
  /** The last day to apply. */
  applyBy: string;
}

export interface SeasonSpec {
  periods: SeasonPeriod[];
  /** How many weekly times one application may ask for (default 10). */
  maxTimes?: number;
  /** The longest weekly time, in minutes (default 240). */
  maxMinutes?: number;
  /** The workflow state an application moves to when the season is allocated and it got at least one time; `refusedState` when it got none. */
  allocatedState: string;
  refusedState: string;
  /** Who goes first when two ask for the same time: by an answer (its values in order), then by who applied first. */
  priority?: { field: string; order: string[] };
}

export interface BookableEntry extends BookingRules {
  /** What it is, for the filters: hall, pitch, court, ceremony room, course, … */
  kind: string;
}

// --- Parties and roles (docs/adr/0011-parties-and-roles.md) ---

/** What kind of thing a case is about. A person is an adult subject, who may be let read the case. */
export type SubjectKind = 'child' | 'person' | 'property' | 'vehicle' | 'place';

export interface SubjectSpec {
  kind: SubjectKind;
  /**
   * The answer that names it: a `child` field for a child (its name and birth date come from the
   * register); for the other kinds a field whose answer identifies it (a personal number, a
   * property designation, a registration number, a place).
   */
  field: string;
  /** How pages, receipts and letters name it ("Barn", "Fastighet"); defaults to the kind's name. */
  label?: Localised;
  /** A person who is the subject reads the case as a party (default: no). */
  partyReads?: boolean;
  /**
   * When the service already has an open case for the same subject: `warn` (the default) says so
   * and links to it, `refuse` stops the submission (decided atomically, ADR 0022), `allow` says nothing.
   */
  duplicates?: 'warn' | 'refuse' | 'allow';
}

/** A staff role a service declares, with its name as the account page shows it. */
export interface StaffRoleSpec {
  id: string;
  name: Localised;
}

/**
 * The roles that handle a service's cases, and the roles with the delegation to decide them, in
 * order of delegation (the routine decider first, then those above).
 */
export interface Handling {
  handle: string[];
  decide: string[];
}

// --- co-signing (docs/adr/0016-co-signing.md) ---
/**
 * Who must co-sign a submission, by when, and where the case goes on each answer. A case with a
 * co-signer is made in `waitIn` (the workflow's initial state); one without (a sole custodian)
 * goes straight to `onApprove`.
 */
export interface CoSignSpec {
  /** The subject child's other custodians (population register), or the person a field names. */
  from: 'custodiansOfSubject' | 'field';
  /** With `from: field`: the personal identity number field naming the co-signer. */
  field?: string;
  deadlineDays: number;
  waitIn: string;
  onApprove: string;
  onReject: string;
  onExpiry: string;
  signerLabel?: Localised;
}
