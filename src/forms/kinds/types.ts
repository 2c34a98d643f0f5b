import type { Localised } from '../../kernel/tenants.ts';
/**
 * The contract of a field kind. Everything the forms engine knows about one kind of question —
 * its definition options, how a posted form becomes its answer, how that answer is checked, shown
 * as inputs, shown as text, and exemplified for generated tests — lives in one module that
 * implements this interface (see index.ts for the registry). The engine (validator.ts,
 * answers.ts, views.tsx) only dispatches; adding a kind is adding a module.
 */
import type { VNode } from 'preact';
import type { Field, RegisterEntry } from '../../catalogue/types.ts';
import type { RegisteredAddress } from '../../integrations/population-register/index.ts';
import type { Locale, Translate } from '../../kernel/i18n/index.ts';
import type { Answers, AnswerValue } from '../conditions.ts';

/** A posted form as Fastify's form parser gives it: repeated keys become arrays. */
export type Body = Record<string, unknown>;

/** A posted form a test can send: names to one text or to repeated texts. */
export type PostedForm = Record<string, string | string[]>;

export interface ChildOption {
  personalNumber: string;
  name: string;
  birthDate: string;
}

/** One of the applicant's earlier cases, as a case-reference field offers it (ADR 0020). */
export interface EarlierCaseOption {
  id: string;
  reference: string;
  serviceId: string;
  serviceTitle: Localised;
  status: string;
  statusLabel: Localised;
  createdAt: string;
}

/**
 * A property the property register gave for this applicant (ADR 0035): one they (or the
 * organisation they act for) own a share of, or one whose typed designation the register found.
 */
export interface PropertyOption {
  /** As the register writes it: "Norrby Eken 1:23". */
  designation: string;
  /** One line: "Storgatan 12, 123 45 Norrby". */
  address: string;
  /** The applicant (or the organisation they act for) owns a share of it. */
  owned: boolean;
}

/** What validation may know besides the answer: today and the applicant's register data. */
export interface ValidationContext {
  /** Today in Europe/Stockholm, YYYY-MM-DD. */
  today: string;
  /** The signed-in applicant's children from the population register. */
  children: ChildOption[];
  /** The applicant's earlier cases, read only for a service with a case-reference field. */
  earlierCases?: EarlierCaseOption[];
  /** The applicant's properties and those typed that the register found, read only for a service with a property field. */
  properties?: PropertyOption[] | undefined;
}

export interface FieldProblem {
  /** The top-level field the problem belongs to (its step is where the resident is sent). */
  field: string;
  key: string;
  vars?: Record<string, string | number>;
  /** The field whose label the message names, when not `field` (a missing reason names the date it explains). */
  labelOf?: string;
  /**
   * The posted name the problem points at, when it is inside the field (a repeating group's item:
   * "people.1.name"); the error summary links to its input.
   */
  at?: string;
  /** The (sub-)field the message names, when it is not a top-level field (an item of a group). */
  nameField?: Field;
  /** A definition's own message (a validation rule's), shown instead of the one `key` names. */
  message?: Localised;
}

/** What a kind's rules receive. */
export interface RuleContext extends ValidationContext {
  /** The answers the field's conditions and cross-field rules see (a group item sees its own and the form's). */
  answers: Answers;
  /** The posted name of the field ("startDate", or "people.0.birthDate" inside a group). */
  name: string;
  /** Validates a sub-field (used by repeating groups): its problems, pointing at `name`. */
  validateField(field: Field, value: AnswerValue | undefined, answers: Answers, name: string): FieldProblem[];
}

export interface DisplayContext {
  locale: Locale;
  t: Translate;
  register: (id: string) => RegisterEntry[] | undefined;
  children: ChildOption[];
  /** The applicant's earlier cases, where the page has them (a case-reference field names the service). */
  earlierCases?: EarlierCaseOption[] | undefined;
  /** The applicant's properties from the property register, where the page has them. */
  properties?: PropertyOption[] | undefined;
}

export interface RenderContext extends DisplayContext {
  /** Today in Europe/Stockholm: a child picker offers only children young enough on it. */
  today: string;
  /** The error message for a posted name, if any ("startDate", "people.1.name"). */
  errorAt(name: string): string | undefined;
  /** The map a location field draws, when a tile server is configured (ADR 0020). */
  map?: MapSettings | undefined;
}

/** The tiles and the asset URLs of the location field's map. */
export interface MapSettings {
  tileUrl: string;
  attribution: string;
  leafletJs: string;
  leafletCss: string;
  script: string;
}

export interface RenderProps<F extends Field = Field> {
  field: F;
  value: AnswerValue | undefined;
  /** The posted name (the field id, or "group.N.sub" inside a repeating group). */
  name: string;
  /** The id of the first input: the error summary links to it. */
  id: string;
  /** The question as shown: the field's label, or the step's title when it is the page's only question. */
  label: string;
  hint: string | undefined;
  error: string | undefined;
  /** The page asks only this question: a group's legend is the page's heading. */
  single: boolean;
  ctx: RenderContext;
  /** The answers of the form (a repeating group renders its items' conditional sub-fields with them). */
  answers: Answers;
}

/** What a kind's `template` declares about an answer (forms/template.ts). */
export interface TemplateHoles {
  /** A typed text shown as it is: returns the marker to put in the probe ('' stays '', part of the key). */
  text(shown: string): string;
  /** A part that changes the markup: false when `value` is not one of `allowed` (render in full then). */
  choice(value: string, allowed: readonly string[]): boolean;
}

/** What the applicant's profile and register offer to prefill. */
export interface PrefillSource {
  email?: string | null | undefined;
  phone?: string | null | undefined;
  /** The registered address; looked up only when a field asks for it. */
  address?: RegisteredAddress | undefined;
}

export interface ExampleContext {
  today: string;
  children: ChildOption[];
  earlierCases?: EarlierCaseOption[];
  /** The applicant's own properties and others in the register (a property field's examples). */
  properties?: PropertyOption[];
  register: (id: string) => RegisterEntry[] | undefined;
}

/** Definition options of a kind, as a fragment of the service definition's JSON Schema. */
export interface KindOptions {
  properties: Record<string, object>;
  required?: string[];
  /** More keywords for the kind's branch (dependentRequired, ...). */
  extra?: object;
}

export interface FieldKind<F extends Field = Field> {
  kind: F['kind'];
  options: KindOptions;
  /**
   * Whether the field offers the signed-in person's children from the population register: only a
   * service with such a field asks the register for them (a register is asked only by services that use it).
   */
  needsChildren?: (field: F) => boolean;
  /** Whether the field offers the applicant's earlier cases (read only for a service with such a field). */
  needsEarlierCases?: (field: F) => boolean;
  /** Whether the field reads the property register (asked only for a service with such a field; ADR 0035). */
  needsProperties?: (field: F) => boolean;
  /**
   * Its answer is files: the step's form is sent as multipart, and the answer is kept by the engine
   * (uploaded and removed through forms/draft-files.ts), never read from a posted text field — a
   * posted step leaves the stored answer as it is.
   */
  takesFiles?: boolean;
  /** Reads the field's answer from a posted form (never throws; wrong shapes are kept for validation to report). */
  read(field: F, body: Body, name: string): AnswerValue;
  /**
   * Whether a read value has the shape the field stores. A value of the wrong shape (repeated
   * keys, a tampered ranked list) is reported, but never replaces a stored answer.
   */
  isStorable(field: F, value: AnswerValue | undefined): boolean;
  /**
   * The stored form of a valid answer (a number parsed, a personal number without hyphen); `ctx`
   * holds what the registers answered for this post (a property's address).
   */
  normalise?(field: F, value: AnswerValue, ctx?: Pick<ValidationContext, 'properties'>): AnswerValue;
  /** Blank: not answered (default: '', [], a list of blanks, an object of blanks). */
  isBlank?(field: F, value: AnswerValue | undefined): boolean;
  /** A JSON Schema for the answer's shape, compiled once per service with Ajv. */
  shape?(field: F, registers: (id: string) => RegisterEntry[] | undefined): object;
  /** The error key for a `pattern` failure of the shape. */
  patternError?: string;
  /** The problem of a required field left blank (default "Fyll i {label}"). */
  blank?(field: F, ctx: ValidationContext): { key: string; vars?: Record<string, string | number> };
  /** Rules beyond the shape: ranges, checksums, other answers, today. */
  rules?(field: F, value: AnswerValue, ctx: RuleContext): FieldProblem | FieldProblem[] | undefined;
  /** Renders its inputs (labelled, hinted, with errors linked). */
  render(props: RenderProps<F>): VNode | null;
  /**
   * How the step page may compile this kind's render (forms/template.ts): the answer rebuilt as a
   * probe for `render`, in which every typed text is `holes.text(shown)` — `shown` exactly as render
   * would show it, and render must show the probe's text unchanged — and every part that changes the
   * markup (a checked option, a day answered) is accepted by `holes.choice(value, allowed)` from the
   * finite set the definition or the kind names. The probe must render as the answer does but for
   * the texts. undefined (or absent): this answer is rendered in full. No markup here: the template
   * is render's own output, split at the texts.
   */
  template?(field: F, value: AnswerValue | undefined, holes: TemplateHoles, locale: Locale): { probe: AnswerValue | undefined } | undefined;
  /** It renders submit buttons of its own ("Add another"): the page then needs a default button before them. */
  hasButtons?: boolean;
  /** A group of inputs (fieldset): on a page of one question its legend is the page's h1. */
  asksAsGroup?: boolean | ((field: F) => boolean);
  /**
   * After a refused post the step shows the normalised answer rather than the posted one (a
   * ranking closed up), so a problem's `at` names the control that shows the offending value.
   */
  showsNormalised?: boolean;
  /** The answer as submitted: parts the form did not show removed (a group item's hidden sub-fields). */
  shownPart?(field: F, value: AnswerValue, answers: Answers, today: string): AnswerValue;
  /** What identifies a case's subject in this answer (a designation), when the kind's answer is no plain text. */
  subjectIdentifier?(field: F, value: AnswerValue): string | undefined;
  /** The answer as a person reads it (labels, not codes); lines separated by newlines. */
  display(field: F, value: AnswerValue, ctx: DisplayContext): string;
  /** The answer to start a new draft with, from the applicant's profile or register. */
  prefill?(field: F, source: PrefillSource): AnswerValue | undefined;
  /** Whether prefill needs the applicant's registered address (asked only then). */
  prefillNeedsAddress?(field: F): boolean;
  /** A valid posted form for the field (the definition's `example` when given). */
  exampleValid(field: F, ctx: ExampleContext): PostedForm;
  /** A posted form the field must refuse, and the error key it must produce. */
  exampleInvalid(field: F, ctx: ExampleContext): { form: PostedForm; key: string };
}
