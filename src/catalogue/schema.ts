/**
 * The JSON Schemas (draft 2020-12) of a service definition and a register file as they are written
 * in YAML, mirroring types.ts: keep the two in step. The loader adds `tenant` and `source`, so a
 * YAML file may not carry them. Every object is closed (additionalProperties: false) so a typo in
 * a key is an error rather than a silently ignored setting.
 *
 * What a schema cannot say (ids that must name other things, uniqueness) the loader checks.
 * The validators are compiled once, on first use, and shared.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { allKinds } from '../forms/kinds/index.ts';
import { ACTION_KINDS, MATTERS } from './workflow-actions.ts';
import { AREAS } from './areas.ts';
import { SITUATIONS } from './situations.ts';

/** Service ids appear in URLs: lower-case letters and digits, words joined by hyphens. */
export const SERVICE_ID_PATTERN = '^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$';
/** Answer keys (field ids) and decision field ids: lower camelCase. */
export const FIELD_ID_PATTERN = '^[a-z][a-zA-Z0-9]*$';
/** Steps, decision types, registers, register entries: lower-case words joined by hyphens or underscores. */
export const SLUG_PATTERN = '^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$';
/** Workflow states: snake_case, as stored in the case's status column. */
export const STATE_ID_PATTERN = '^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$';
/** Reference prefix of a case number, e.g. FSK in FSK-2026-000123. */
export const REFERENCE_PREFIX_PATTERN = '^[A-Z]{2,5}$';

export const ENGINES = ['apply', 'report', 'book', 'queue', 'allocate', 'follow', 'register', 'link'] as const;
export const AUDIENCES = ['anyone', 'email', 'eid', 'custodian', 'representative'] as const;
/** Every field kind, from the registry of kind modules (src/forms/kinds/). */
export const FIELD_KINDS: readonly string[] = allKinds().map((k) => k.kind);
export const WORKFLOW_ACTIONS = ['assign', 'start', 'requestSupplement', 'supplementReceived', 'decide', 'withdraw'] as const;
export const DECISION_FIELD_KINDS = ['text', 'longText', 'date', 'rankedChoiceAnswer', 'amount', 'choice', 'registerEntry'] as const;
export const DECISION_OUTCOMES = ['approved', 'partlyApproved', 'rejected', 'dismissed', 'none'] as const;
/** Placeholders every letter may use besides its decision type's own fields ({child}: the loader makes it {subject}). */
/** The appeal routes a decision type may name (ADR 0029). */
export const APPEAL_ROUTES = ['ordinary', 'legality', 'authority', 'none'] as const;

export const LETTER_PLACEHOLDERS = ['subject', 'applicant', 'reference', 'service'] as const;

/**
 * The errors a definition may word itself per field (`errors: { required: { sv, en }, … }`); the
 * engine's message keys map onto them in forms/field-errors.ts. Placeholders a message may use:
 * FIELD_ERROR_PLACEHOLDERS.
 */
export const FIELD_ERROR_KINDS = [
  'required',
  'format',
  'tooEarly',
  'tooLate',
  'tooLong',
  'tooFew',
  'tooMany',
  'tooSmall',
  'tooLarge',
  'duplicate',
  'invalidChoice',
  'endBeforeStart',
  'tooOld',
  'tooYoung',
  'fileType',
  'fileSize',
] as const;
/** {label} the answer's name, {min}/{max} the bounds, {date} the date bound, and the few a kind adds. */
export const FIELD_ERROR_PLACEHOLDERS = ['label', 'min', 'max', 'date', 'child', 'day', 'types', 'size'] as const;

// --- Parties and roles (docs/adr/0011-parties-and-roles.md) ---
export const SUBJECT_KINDS = ['child', 'person', 'property', 'vehicle', 'place'] as const;
/** Staff roles, as stored on accounts (migration 0009 keeps them so): snake_case. */
export const STAFF_ROLE_PATTERN = '^[a-z][a-z0-9_]{0,62}$';
// --- end parties and roles ---

const id = (pattern: string) => ({ type: 'string', pattern, maxLength: 64 });
const ref = (name: string) => ({ $ref: `#/$defs/${name}` });
const int = (minimum: number, maximum: number) => ({ type: 'integer', minimum, maximum });
const listOf = (items: object, minItems = 0) => ({ type: 'array', items, minItems });

/**
 * Properties every field kind shares (FieldBase in types.ts). The kind-specific ones are added per
 * kind below; each kind's branch is closed on its own so a property of another kind is an error.
 */
const fieldBase = {
  id: id(FIELD_ID_PATTERN),
  kind: { enum: FIELD_KINDS },
  label: ref('localised'),
  hint: ref('localised'),
  errorName: ref('localised'),
  // The field's own error messages, per error (FIELD_ERROR_KINDS), each in both languages.
  errors: {
    type: 'object',
    minProperties: 1,
    additionalProperties: false,
    properties: Object.fromEntries(FIELD_ERROR_KINDS.map((k) => [k, ref('localised')])),
  },
  required: { type: 'boolean' },
  when: ref('when'),
  // eng-expr
  default: ref('expression'),
  prefill: { enum: ['profile.email', 'profile.phone'] },
  // --- field kinds (eng-kinds) ---
  example: { type: ['string', 'number', 'array', 'object'] },
  // --- end field kinds ---
};

// --- field kinds (eng-kinds): each kind declares its options in its module (src/forms/kinds/) ---
const fieldKinds: { kinds: string[]; properties: Record<string, object>; required?: string[]; extra?: object }[] = allKinds().map((k) => ({
  kinds: [k.kind],
  properties: k.options.properties,
  ...(k.options.required ? { required: k.options.required } : {}),
  ...(k.options.extra ? { extra: k.options.extra } : {}),
}));
// --- end field kinds ---

const allFieldProperties = Object.fromEntries(
  [...Object.keys(fieldBase), ...fieldKinds.flatMap((k) => Object.keys(k.properties))].map((p) => [p, true]),
);
const baseAccepted = Object.fromEntries(Object.keys(fieldBase).map((p) => [p, true]));

const field = {
  type: 'object',
  required: ['id', 'kind', 'label'],
  properties: { ...allFieldProperties, ...fieldBase },
  additionalProperties: false,
  allOf: fieldKinds.map((k) => ({
    if: { type: 'object', required: ['kind'], properties: { kind: { enum: k.kinds } } },
    then: {
      type: 'object',
      required: k.required ?? [],
      properties: { ...baseAccepted, ...k.properties },
      additionalProperties: false,
      ...k.extra,
    },
  })),
};

const LEAF_OPERATORS = ['equals', 'notEquals', 'in', 'answered', 'beforeMonthsFromToday'] as const;
const scalar = { type: ['string', 'number', 'boolean'] };

/**
 * The Condition union. Every key is declared once (so each value gets a precise error), and the
 * oneOf only says which keys go together: a field with exactly one comparison, or one combinator.
 */
const condition = {
  type: 'object',
  properties: {
    field: id(FIELD_ID_PATTERN),
    equals: scalar,
    notEquals: scalar,
    in: { type: 'array', minItems: 1, uniqueItems: true, items: { type: ['string', 'number'] } },
    answered: { type: 'boolean' },
    beforeMonthsFromToday: int(-1200, 1200),
    all: listOf(ref('condition'), 1),
    any: listOf(ref('condition'), 1),
    not: ref('condition'),
  },
  additionalProperties: false,
  oneOf: [
    ...LEAF_OPERATORS.map((op) => ({ required: ['field', op], maxProperties: 2 })),
    ...['all', 'any', 'not'].map((op) => ({ required: [op], maxProperties: 1 })),
  ],
  'x-message': `must be one condition: {field, ${LEAF_OPERATORS.join(' | ')}} or one of {all}, {any}, {not}`,
};

// ---- eng-expr: a `when` is a legacy condition or an expression ----
// The legacy syntax is recognised by its keys (field, any, not, or an `all` listing conditions;
// JSON Logic's own `all` takes a list and a test) and validated precisely as before; anything
// else is an expression, checked by the loader.
const legacyKeys = { anyOf: [{ required: ['field'] }, { required: ['any'] }, { required: ['not'] }, { required: ['all'] }] };
const legacyOrExpression = {
  if: {
    type: 'object',
    anyOf: [
      { required: ['field'] },
      { required: ['any'] },
      { required: ['not'] },
      { required: ['all'], properties: { all: { type: 'array', minItems: 1, items: { type: 'object', ...legacyKeys } } } },
    ],
  },
  then: ref('condition'),
  else: ref('expression'),
};
// ---- end eng-expr ----

const step = {
  type: 'object',
  required: ['id', 'title', 'fields'],
  additionalProperties: false,
  properties: {
    // Not a name the forms engine's own pages under /apply/<draft>/ take.
    id: { ...id(SLUG_PATTERN), not: { enum: ['check', 'confirmation', 'submit', 'saved'] } },
    title: ref('localised'),
    intro: ref('localised'),
    fields: listOf(ref('field'), 1),
    when: ref('when'),
    // eng-expr
    rules: listOf(ref('rule'), 1),
  },
};

// ---- eng-flow: workflow actions, templates, typed decisions (ADR 0014) ------------------------
/** Action ids: lower camelCase like field ids (they appear in URLs and the journal). */
export const ACTION_ID_PATTERN = FIELD_ID_PATTERN;
const stateList = { type: 'array', minItems: 1, uniqueItems: true, items: id(STATE_ID_PATTERN) };

const action = {
  type: 'object',
  required: ['id', 'kind', 'from'],
  additionalProperties: false,
  properties: {
    id: id(ACTION_ID_PATTERN),
    kind: { enum: ACTION_KINDS },
    label: ref('localised'),
    history: ref('localised'),
    staffHistory: ref('localised'),
    from: stateList,
    to: id(STATE_ID_PATTERN),
    by: { enum: ['staff', 'applicant', 'system'] },
    notify: listOf({
      type: 'object',
      required: ['to', 'template'],
      additionalProperties: false,
      properties: { to: { enum: ['applicant'] }, template: id(SLUG_PATTERN) },
    }),
    party: ref('localised'),
    reply: id(ACTION_ID_PATTERN),
    decisions: { type: 'array', minItems: 1, uniqueItems: true, items: id(SLUG_PATTERN) },
    // ADR 0029: a text the handler writes with the action (checks.ts: which kinds take one).
    text: {
      type: 'object',
      required: ['label'],
      additionalProperties: false,
      properties: { label: ref('localised'), hint: ref('localised'), required: { type: 'boolean' }, maxLength: int(1, 4000) },
    },
  },
  allOf: [
    // Every kind but assign moves the case somewhere.
    { if: { properties: { kind: { not: { const: 'assign' } } } }, then: { required: ['to'] } },
    // A referral names who it goes to and the action that records their reply.
    { if: { properties: { kind: { const: 'refer' } } }, then: { required: ['party', 'reply'] } },
  ],
};

const messageTemplate = {
  type: 'object',
  required: ['id', 'subject', 'body'],
  additionalProperties: false,
  properties: { id: id(SLUG_PATTERN), subject: ref('localised'), body: ref('localised') },
};

const workflow = {
  type: 'object',
  required: ['initial', 'states'],
  // Actions, legacy transitions, or both (the loader turns transitions into actions).
  anyOf: [{ required: ['actions'] }, { required: ['transitions'] }],
  additionalProperties: false,
  properties: {
    initial: id(STATE_ID_PATTERN),
    states: listOf(
      {
        type: 'object',
        required: ['id', 'label'],
        additionalProperties: false,
        properties: { id: id(STATE_ID_PATTERN), label: ref('localised'), staffLabel: ref('localised'), deadlineDays: int(1, 3650), final: { type: 'boolean' } },
      },
      1,
    ),
    transitions: listOf(
      {
        type: 'object',
        required: ['from', 'to', 'action'],
        additionalProperties: false,
        properties: {
          from: stateList,
          to: id(STATE_ID_PATTERN),
          action: { enum: WORKFLOW_ACTIONS },
        },
      },
      1,
    ),
    actions: listOf(action, 1),
  },
};
// ---- end eng-flow ----------------------------------------------------------------------------

const decisionField = {
  type: 'object',
  required: ['id', 'label', 'kind'],
  additionalProperties: false,
  properties: {
    id: id(FIELD_ID_PATTERN),
    label: ref('localised'),
    kind: { enum: DECISION_FIELD_KINDS },
    from: id(FIELD_ID_PATTERN),
    required: { type: 'boolean' },
    // eng-flow: constraints by kind (checks.ts says which kind takes which).
    after: id(FIELD_ID_PATTERN),
    pastAllowed: { type: 'boolean' },
    min: int(0, 1_000_000_000),
    max: int(0, 1_000_000_000),
    choices: listOf(ref('choice'), 2),
    register: id(SLUG_PATTERN),
    marks: id(FIELD_ID_PATTERN),
    errorName: ref('localised'),
    // ADR 0027; `map` (ADR 0034): the answer's option value → this field's value (checks.ts checks both sides).
    prefill: {
      type: 'object',
      required: ['answer'],
      additionalProperties: false,
      properties: { answer: id(FIELD_ID_PATTERN), map: { type: 'object', minProperties: 1, additionalProperties: { type: 'string', minLength: 1, maxLength: 200 } } },
    },
  },
  allOf: [
    // The answer a handler may pick from has to be named.
    { if: { type: 'object', required: ['kind'], properties: { kind: { const: 'rankedChoiceAnswer' } } }, then: { type: 'object', required: ['from'] } },
    { if: { type: 'object', required: ['kind'], properties: { kind: { const: 'choice' } } }, then: { type: 'object', required: ['choices'] } },
    { if: { type: 'object', required: ['kind'], properties: { kind: { const: 'registerEntry' } } }, then: { type: 'object', required: ['register'] } },
  ],
};

const decisionType = {
  type: 'object',
  required: ['id', 'title', 'outcome', 'fields', 'letter'],
  additionalProperties: false,
  properties: {
    id: id(SLUG_PATTERN),
    title: ref('localised'),
    outcome: { enum: DECISION_OUTCOMES },
    fields: listOf(ref('decisionField')),
    letter: ref('localised'),
    // ADR 0029: false, a text under the ordinary heading, or a route with optional own heading and text.
    appeal: {
      oneOf: [
        ref('localised'),
        { const: false },
        {
          type: 'object',
          required: ['route'],
          additionalProperties: false,
          properties: { route: { enum: APPEAL_ROUTES }, authority: ref('localised'), heading: ref('localised'), text: ref('localised') },
        },
      ],
      'x-message': `must be false (no appeal section), a text { sv, en }, or { route, authority?, heading?, text? } with route one of ${APPEAL_ROUTES.join(', ')}`,
    },
    // How many days after a decision of this type the resident may still write on the case (the
    // letter's "write within 14 days"); absent: messages close with the decision.
    messagesOpenDays: { type: 'integer', minimum: 1, maximum: 365 },
  },
};

// --- booking (ADR 0038): the rules of a bookable resource, a service's and each entry's own ---
const LOCAL_DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
const MONTH_DAY = '^(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$';
const LOCAL_TIME = '^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$';
const localInterval = { type: 'array', minItems: 2, maxItems: 2, items: { type: 'string', pattern: LOCAL_TIME } };
const bookingRuleProperties = {
  opening: {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, { type: 'array', maxItems: 12, items: localInterval }])),
  },
  exceptions: listOf({
    type: 'object',
    required: ['from'],
    additionalProperties: false,
    properties: { from: { type: 'string', pattern: LOCAL_DATE }, to: { type: 'string', pattern: LOCAL_DATE }, hours: { type: 'array', maxItems: 12, items: localInterval }, reason: { $ref: '#/$defs/localised' } },
  }),
  slotMinutes: int(5, 24 * 60),
  minMinutes: int(5, 24 * 60),
  maxMinutes: int(5, 24 * 60),
  stepMinutes: int(5, 24 * 60),
  bufferMinutes: int(0, 24 * 60),
  noticeHours: int(0, 24 * 365),
  horizonDays: int(1, 3 * 365),
  capacity: int(1, 10_000),
  prices: {
    type: 'object',
    propertyNames: { pattern: '^[a-z][a-zA-Z0-9]*$' },
    additionalProperties: { type: 'object', additionalProperties: false, minProperties: 1, properties: { perHour: { type: 'number', minimum: 0, maximum: 1_000_000 }, perBooking: { type: 'number', minimum: 0, maximum: 1_000_000 } } },
  },
  approval: { type: 'boolean' },
  cancellation: {
    type: 'object',
    required: ['untilHours', 'refundPercent'],
    additionalProperties: false,
    properties: { untilHours: int(0, 24 * 365), refundPercent: int(0, 100) },
  },
} as const;

const defs = {
  // Both languages, never blank: Swedish is primary and English is complete.
  localised: {
    type: 'object',
    required: ['sv', 'en'],
    additionalProperties: false,
    properties: {
      sv: { type: 'string', minLength: 1, maxLength: 20_000, pattern: '\\S' },
      en: { type: 'string', minLength: 1, maxLength: 20_000, pattern: '\\S' },
    },
  },
  choice: {
    type: 'object',
    required: ['value', 'label'],
    additionalProperties: false,
    properties: {
      value: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$', maxLength: 64 },
      label: ref('localised'),
      hint: ref('localised'),
    },
  },
  condition,
  field,
  decisionField,
  // ---- eng-expr: expressions (ADR 0009) ----
  when: legacyOrExpression,
  // Any JSON: the loader checks it with expressions/validateExpression (operations, arity,
  // variables), which names the JSON path of the problem.
  expression: {},
  rule: {
    type: 'object',
    required: ['id', 'expression', 'field', 'message'],
    additionalProperties: false,
    properties: { id: id(SLUG_PATTERN), expression: ref('expression'), field: id(FIELD_ID_PATTERN), message: ref('localised') },
  },
  computedValue: {
    type: 'object',
    required: ['id', 'expression'],
    additionalProperties: false,
    properties: { id: id(FIELD_ID_PATTERN), expression: ref('expression'), label: ref('localised') },
  },
  // ---- end eng-expr ----
};

export const serviceDefinitionSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://medborg.example/schemas/service-definition.json',
  title: 'Medborg service definition',
  type: 'object',
  required: [
    'id',
    'engines',
    'skl',
    'department',
    'audience',
    'title',
    'summary',
    'needs',
    'duration',
    'handlingTime',
    'decidedBy',
    'whatHappensNext',
    'reference',
    'form',
    'workflow',
    'decisions',
    'retention',
    'classification',
  ],
  additionalProperties: false,
  properties: {
    id: id(SERVICE_ID_PATTERN),
    engines: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ENGINES } },
    skl: { type: ['integer', 'null'], minimum: 1, maximum: 38 },
    department: id('^[a-z][a-z0-9-]*$'),
    audience: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: AUDIENCES } },
    title: ref('localised'),
    summary: ref('localised'),
    needs: listOf(ref('localised')),
    duration: ref('localised'),
    handlingTime: ref('localised'),
    decidedBy: ref('localised'),
    // ADR 0032: the deciding body where it is not the department's committee; {decider} in appeal texts.
    decider: ref('localised'),
    whatHappensNext: ref('localised'),
    keywords: listOf(ref('localised')),
    // Finding services (ADR 0023): SKL's area the service is listed under, and words people search
    // with that are no translation of each other (everyday words, old names), per language.
    area: { enum: AREAS },
    // The life situations it is listed under too (situations.ts): having a child, moving here, …
    situations: { type: 'array', uniqueItems: true, maxItems: SITUATIONS.length, items: { enum: SITUATIONS } },
    searchWords: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(['sv', 'en'].map((l) => [l, { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 80 } }])),
    },
    // eng-expr
    computed: listOf(ref('computedValue'), 1),
    reference: {
      type: 'object',
      required: ['prefix'],
      additionalProperties: false,
      properties: { prefix: { type: 'string', pattern: REFERENCE_PREFIX_PATTERN } },
    },
    form: {
      type: 'object',
      required: ['steps'],
      additionalProperties: false,
      properties: { steps: listOf(step, 1) },
    },
    workflow,
    // None for a service whose cases end without a decision (a report closed when fixed, ADR 0020).
    decisions: listOf(decisionType),
    // eng-flow
    templates: listOf(messageTemplate),
    matter: { enum: MATTERS },
    // Years ("10y"), months ("6m") or "permanent", as a records management plan states them.
    retention: { type: 'string', pattern: '^(?:[1-9][0-9]{0,2}[ym]|permanent)$' },
    classification: { enum: ['public', 'internal', 'confidential'] },
    benefit: {
      type: 'object',
      additionalProperties: false,
      properties: {
        yearlyCases: int(0, 100_000_000),
        minutesSavedPerCase: { type: 'number', minimum: 0, maximum: 100_000 },
        targetDigitalShare: { type: 'number', minimum: 0, maximum: 1 },
      },
    },
    // --- Parties and roles (docs/adr/0011-parties-and-roles.md) ---
    subject: {
      type: 'object',
      required: ['kind', 'field'],
      additionalProperties: false,
      properties: {
        kind: { enum: SUBJECT_KINDS },
        field: id(FIELD_ID_PATTERN),
        label: ref('localised'),
        partyReads: { type: 'boolean' },
        // An open case of the service for the same subject: warn (the default), refuse, or allow (ADR 0022).
        duplicates: { enum: ['warn', 'refuse', 'allow'] },
      },
    },
    roles: listOf({
      type: 'object',
      required: ['id', 'name'],
      additionalProperties: false,
      properties: { id: id(STAFF_ROLE_PATTERN), name: ref('localised') },
    }),
    handling: {
      type: 'object',
      required: ['handle', 'decide'],
      additionalProperties: false,
      properties: {
        handle: { type: 'array', minItems: 1, uniqueItems: true, items: id(STAFF_ROLE_PATTERN) },
        decide: { type: 'array', minItems: 1, uniqueItems: true, items: id(STAFF_ROLE_PATTERN) },
      },
    },
    // --- end parties and roles ---
    // --- co-signing (docs/adr/0016-co-signing.md) ---
    coSign: {
      type: 'object',
      required: ['from', 'deadlineDays', 'waitIn', 'onApprove', 'onReject', 'onExpiry'],
      additionalProperties: false,
      properties: {
        // custodiansOfSubject: the subject child's other custodian(s) from the population register;
        // field: the person whose personal identity number a field of the form gives.
        from: { enum: ['custodiansOfSubject', 'field'] },
        field: id(FIELD_ID_PATTERN),
        deadlineDays: int(1, 365),
        waitIn: id(STATE_ID_PATTERN),
        onApprove: id(STATE_ID_PATTERN),
        onReject: id(STATE_ID_PATTERN),
        onExpiry: id(STATE_ID_PATTERN),
        // How pages name the co-signer ("den andra vårdnadshavaren", "medägaren").
        signerLabel: ref('localised'),
      },
    },
    // --- end co-signing ---
    // --- audiences (ADR 0015) ---
    contact: {
      type: 'object',
      required: ['email'],
      additionalProperties: false,
      properties: { email: { enum: ['none', 'optional', 'required'] } },
    },
    // Who may apply by age, from the e-ID's personal number (ADR 0030): at least one bound.
    applicantAge: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      anyOf: [{ required: ['min'] }, { required: ['max'] }],
      properties: { min: int(0, 150), max: int(0, 150), by: { enum: ['day', 'year'] } },
    },
    // --- end audiences ---
    // Applying for someone one legally represents (ADR 0033): which representations the register may give.
    // Engine book (ADR 0038): the register of the resources it books, and the rules they follow.
    booking: {
      type: 'object',
      required: ['resources', 'rules'],
      additionalProperties: false,
      properties: {
        resources: id(SLUG_PATTERN),
        rules: { type: 'object', additionalProperties: false, properties: bookingRuleProperties },
        // The names of its resources' kinds, for the filter and the pages ("hall": Sporthall).
        kinds: { type: 'object', propertyNames: { pattern: SLUG_PATTERN }, additionalProperties: ref('localised') },
        // The workflow state a booking's case moves to when the booking is cancelled (by the booker or staff).
        cancelledState: id(SLUG_PATTERN),
        // A second register each booking also takes one free entry of (an officiant for a ceremony room).
        together: { type: 'object', required: ['resources'], additionalProperties: false, properties: { resources: id(SLUG_PATTERN), label: ref('localised') } },
        // The age under which a resident pays a resource's `youth` price (by the e-ID's birth date).
        youthUnder: int(1, 30),
        // An e-mail to the booker this many hours before a confirmed booking starts (once; not for seasons).
        reminder: { type: 'object', required: ['hoursBefore'], additionalProperties: false, properties: { hoursBefore: int(1, 24 * 14) } },
        // Seasonal allocation (ADR 0041): yearly seasons associations apply for weekly times in, allocated by staff in one go.
        season: {
          type: 'object',
          required: ['periods', 'allocatedState', 'refusedState'],
          additionalProperties: false,
          properties: {
            periods: listOf({
              type: 'object',
              required: ['id', 'label', 'from', 'to', 'applyBy'],
              additionalProperties: false,
              properties: { id: id(SLUG_PATTERN), label: ref('localised'), from: { type: 'string', pattern: MONTH_DAY }, to: { type: 'string', pattern: MONTH_DAY }, applyBy: { type: 'string', pattern: MONTH_DAY } },
            }, 1),
            maxTimes: int(1, 50),
            maxMinutes: int(15, 24 * 60),
            allocatedState: id(SLUG_PATTERN),
            refusedState: id(SLUG_PATTERN),
            priority: { type: 'object', required: ['field', 'order'], additionalProperties: false, properties: { field: id(FIELD_ID_PATTERN), order: { type: 'array', minItems: 1, maxItems: 20, items: { type: 'string', maxLength: 100 } } } },
          },
        },
      },
    },
    // Engine queue (ADR 0043): a place in a queue per choice, in the definition's order, with positions the applicant sees.
    queue: {
      type: 'object',
      additionalProperties: false,
      properties: {
        // A rankedChoice field: each chosen register entry is a queue of its own. Without it, the service is one queue.
        choices: id(FIELD_ID_PATTERN),
        // How the queue is ordered, first rule first; the tie-break always comes last.
        order: { type: 'array', minItems: 1, maxItems: 3, uniqueItems: true, items: { enum: ['groups', 'queueDate', 'distance'] } },
        // Priority groups, first that holds for an application and a choice wins ($choice: the chosen entry); those in none come after.
        groups: listOf({
          type: 'object',
          required: ['id', 'label', 'when'],
          additionalProperties: false,
          properties: { id: id(SLUG_PATTERN), label: ref('localised'), when: {} },
        }, 1),
        // The final tie-break: the order applications arrived in, or a lottery number drawn when one joins.
        tieBreak: { enum: ['arrival', 'lottery'] },
        // What the queue is called on pages ("kön till {unit}"), when not the service's title.
        label: ref('localised'),
        // The applicant may change their choices while in the queue; their queue date stays.
        changeChoices: { type: 'boolean' },
        // Renewal (ADR 0047): a place lasts a period and is renewed, with a fee or without, or the application leaves.
        renewal: {
          type: 'object',
          required: ['everyMonths', 'openDaysBefore', 'graceDays', 'lapsedState'],
          additionalProperties: false,
          properties: {
            everyMonths: int(1, 60),
            openDaysBefore: int(1, 365),
            graceDays: int(0, 365),
            lapsedState: id(SLUG_PATTERN),
            fee: { type: 'object', required: ['amount', 'description'], additionalProperties: false, properties: { amount: { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000 }, vatRate: { type: 'number', minimum: 0, maximum: 1 }, description: ref('localised') } },
          },
        },
        // Offers (ADR 0046): a free place goes to the next in line, who accepts or declines it before a deadline.
        offers: {
          type: 'object',
          required: ['replyDays', 'acceptedState', 'leftState', 'onDecline'],
          additionalProperties: false,
          properties: {
            replyDays: int(1, 90),
            acceptedState: id(SLUG_PATTERN),
            leftState: id(SLUG_PATTERN),
            onDecline: { enum: ['keep', 'leave'] },
            answeredBy: { enum: ['applicant', 'signers'] },
            ageGroups: listOf({
              type: 'object',
              required: ['id', 'label', 'minYears', 'maxYears'],
              additionalProperties: false,
              properties: { id: id(SLUG_PATTERN), label: ref('localised'), minYears: int(0, 120), maxYears: int(1, 121) },
            }, 1),
            guarantee: { type: 'object', required: ['months'], additionalProperties: false, properties: { months: int(1, 60), from: id(FIELD_ID_PATTERN) } },
          },
        },
      },
    },
    // Engine allocate (ADR 0044): choices, priority groups, merit and the states a round takes and leaves cases in.
    allocation: {
      type: 'object',
      required: ['choices', 'from', 'placedState', 'notPlacedState', 'whatNext'],
      additionalProperties: false,
      properties: {
        choices: id(FIELD_ID_PATTERN),
        priorities: {
          type: 'array',
          maxItems: 20,
          items: {
            type: 'object',
            required: ['id', 'label', 'when'],
            additionalProperties: false,
            properties: { id: id(SLUG_PATTERN), label: ref('localised'), when: { type: ['object', 'boolean'] } },
          },
        },
        merit: { type: 'object', required: ['field', 'label'], additionalProperties: false, properties: { field: id(FIELD_ID_PATTERN), label: ref('localised') } },
        from: { type: 'array', minItems: 1, uniqueItems: true, items: id(STATE_ID_PATTERN) },
        placedState: id(STATE_ID_PATTERN),
        notPlacedState: id(STATE_ID_PATTERN),
        whatNext: ref('localised'),
      },
    },
    representation: {
      type: 'object',
      required: ['kinds'],
      additionalProperties: false,
      properties: { kinds: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['godman', 'forvaltare', 'fullmakt'] } } },
    },
    // --- eng-cat (definition versions, ADR 0010) ---
    // Chosen by the author: bump it when a change must not reach cases and drafts already made.
    version: int(1, 1_000_000),
    // --- end eng-cat ---
    // --- fees (eng-reg) ---
    // A fee in kronor: a number, or a JSON Logic expression over the answers ({"var": "fieldId"}).
    // The expression itself is checked when it is evaluated (src/payments/fee.ts).
    // ADR 0034: or (and) a fee invoiced on a decision, fixed or from an amount field of the decision.
    fee: {
      type: 'object',
      required: ['currency', 'description'],
      anyOf: [{ required: ['amount'] }, { required: ['invoice'] }],
      additionalProperties: false,
      properties: {
        amount: { oneOf: [{ type: 'number', minimum: 0, maximum: 1_000_000 }, { type: 'object', minProperties: 1, maxProperties: 1 }] },
        invoice: {
          type: 'object',
          required: ['when', 'amount'],
          additionalProperties: false,
          properties: {
            when: { type: 'array', minItems: 1, uniqueItems: true, items: id(SLUG_PATTERN) },
            amount: {
              oneOf: [
                { type: 'integer', minimum: 1, maximum: 10_000_000 },
                { type: 'object', required: ['field'], additionalProperties: false, properties: { field: id(FIELD_ID_PATTERN) } },
              ],
            },
          },
        },
        currency: { const: 'SEK' },
        description: ref('localised'),
        vatRate: { enum: [0, 6, 12, 25] },
      },
    },
    // --- end eng-reg ---
    // --- routing (loc, ADR 0020): first rule that holds wins; `catalogue check` checks the departments and teams ---
    routing: listOf(
      {
        type: 'object',
        required: ['id'],
        additionalProperties: false,
        anyOf: [{ required: ['department'] }, { required: ['team'] }],
        properties: { id: id(SLUG_PATTERN), when: ref('expression'), department: id('^[a-z][a-z0-9-]*$'), team: id(STAFF_ROLE_PATTERN) },
      },
      1,
    ),
    // --- end routing ---
  },
  $defs: defs,
} as const;

export const registerFileSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://medborg.example/schemas/register.json',
  title: 'Medborg register',
  type: 'object',
  required: ['id', 'title', 'entries'],
  additionalProperties: false,
  properties: {
    id: id(SLUG_PATTERN),
    title: ref('localised'),
    entries: listOf(
      {
        type: 'object',
        required: ['id', 'name'],
        additionalProperties: false,
        properties: {
          id: id(SLUG_PATTERN),
          // One name for both languages (a school's), or one in each (a course's "måndagar från 18 januari").
          name: { oneOf: [{ type: 'string', minLength: 1, maxLength: 500, pattern: '\\S' }, ref('localised')] },
          area: { type: 'string', minLength: 1, maxLength: 500 },
          address: { type: 'string', minLength: 1, maxLength: 500 },
          description: ref('localised'),
          // Where the unit is (WGS 84), for a queue ordered by distance from home (ADR 0043).
          position: { type: 'object', required: ['lat', 'lon'], additionalProperties: false, properties: { lat: { type: 'number', minimum: -90, maximum: 90 }, lon: { type: 'number', minimum: -180, maximum: 180 } } },
          // A resource the booking engine books (ADR 0038): its kind and its own rules.
          bookable: { type: 'object', required: ['kind'], additionalProperties: false, properties: { kind: id(SLUG_PATTERN), ...bookingRuleProperties } },
          // The places an allocation round may fill (ADR 0044).
          capacity: int(0, 100_000),
          // A queue's unit's places per age group from a date, offered as they become free (ADR 0046).
          places: {
            type: 'array',
            maxItems: 100,
            items: { type: 'object', required: ['from', 'seats'], additionalProperties: false, properties: { ageGroup: id(SLUG_PATTERN), from: { type: 'string', pattern: LOCAL_DATE }, seats: int(0, 100_000) } },
          },
        },
      },
      1,
    ),
  },
  $defs: { localised: defs.localised },
} as const;

/** The parts of a case service's definition a link service has too (what the lists and the search read). */
const LISTED_PROPERTIES = ['id', 'version', 'skl', 'department', 'audience', 'title', 'summary', 'needs', 'keywords', 'area', 'situations', 'searchWords', 'benefit'] as const;

/**
 * A service an external system delivers (engine `link`, issue 9): listed, found and handed over to
 * the address each municipality sets (`link.url`, usually in its services.yaml; the loader demands
 * one with a message of its own, so the shared file may leave it out).
 */
export const linkServiceSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://medborg.example/schemas/link-service.json',
  title: 'Medborg link service',
  type: 'object',
  required: ['id', 'engines', 'skl', 'department', 'audience', 'title', 'summary', 'needs', 'link'],
  additionalProperties: false,
  properties: {
    ...Object.fromEntries(LISTED_PROPERTIES.map((k) => [k, serviceDefinitionSchema.properties[k]])),
    engines: { type: 'array', const: ['link'], 'x-message': 'a link service has the engine link and no other: an external system delivers it' },
    link: {
      type: 'object',
      required: ['provider'],
      additionalProperties: false,
      properties: {
        url: { type: 'string', maxLength: 2000, pattern: '^https://[^\\s/?#]+[^\\s]*$', 'x-message': 'must be an https address (https://…)' },
        provider: ref('localised'),
        signIn: ref('localised'),
      },
    },
  },
  $defs: defs,
} as const;

/** A definition whose engines name `link` is a link service (and must name nothing else). */
export function isLinkDefinition(data: unknown): boolean {
  const engines = (data as { engines?: unknown } | null)?.engines;
  return Array.isArray(engines) && engines.includes('link');
}

export interface SchemaValidators {
  service: ValidateFunction;
  link: ValidateFunction;
  register: ValidateFunction;
}

let compiled: SchemaValidators | undefined;

/** The compiled validators; compiled on first use, then shared by every load and check. */
export function schemaValidators(): SchemaValidators {
  if (!compiled) {
    // verbose: errors carry their schema, so a oneOf can name the shapes it accepts.
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true });
    ajv.addKeyword('x-message');
    compiled = { service: ajv.compile(serviceDefinitionSchema), link: ajv.compile(linkServiceSchema), register: ajv.compile(registerFileSchema) };
  }
  return compiled;
}

/** One schema violation in author-friendly form: where (a JSON pointer) and why. */
export interface SchemaProblem {
  path: string;
  message: string;
  /** The fix belongs where a municipality offers the service (its services.yaml entry), not in the shared file. */
  offer?: true;
}

/**
 * Turns Ajv's errors into one line each an author can act on. Ajv reports a failed oneOf or
 * if/then twice (the branch's errors and a summary); we keep the precise one and drop the echo.
 */
export function describeSchemaErrors(errors: readonly ErrorObject[]): SchemaProblem[] {
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf');
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    if (oneOfs.some((o) => o !== e && e.instancePath === o.instancePath && e.schemaPath.startsWith(`${o.schemaPath}/`))) continue;
    let path = e.instancePath;
    let message = e.message ?? 'is invalid';
    switch (e.keyword) {
      case 'additionalProperties': {
        const name = String((e.params as { additionalProperty: string }).additionalProperty);
        const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
        path = `${e.instancePath}/${escapePointer(name)}`;
        message = `is not an allowed property here${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`;
        break;
      }
      case 'enum':
        message = `${message}: ${(e.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ')}`;
        break;
      case 'oneOf': {
        const custom = (e.parentSchema as Record<string, unknown> | undefined)?.['x-message'];
        if (typeof custom === 'string') message = custom;
        break;
      }
      case 'pattern':
        message = (e.params as { pattern: string }).pattern === '\\S' ? 'must not be blank' : message;
        break;
    }
    // A schema node may say in words what it wants (x-message) instead of Ajv's "must match pattern …".
    const own = e.keyword !== 'oneOf' && e.keyword !== 'additionalProperties' ? (e.parentSchema as Record<string, unknown> | undefined)?.['x-message'] : undefined;
    if (typeof own === 'string') message = own;
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: path || '/', message });
  }
  return out;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
