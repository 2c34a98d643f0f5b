/**
 * The design system's building blocks as typed components over Designsystemet's CSS classes.
 * Every field renders its label, hint and error message linked by id, so a screen reader reads
 * them together, and keeps the submitted value so answers survive an error.
 */
import type { ComponentChildren } from 'preact';

export interface FieldError {
  /** The id of the input the error belongs to (the error summary links to it). */
  field: string;
  message: string;
}

export function Heading({ level = 1, size = 'lg', children }: { level?: 1 | 2 | 3; size?: 'xl' | 'lg' | 'md' | 'sm' | 'xs'; children: ComponentChildren }) {
  const Tag = `h${level}` as 'h1';
  return (
    <Tag class="ds-heading" data-size={size}>
      {children}
    </Tag>
  );
}

export function Paragraph({ children, lead }: { children: ComponentChildren; lead?: boolean }) {
  return (
    <p class="ds-paragraph" data-variant={lead ? 'long' : undefined} data-size={lead ? 'lg' : undefined}>
      {children}
    </p>
  );
}

export function Button({
  children,
  variant = 'primary',
  type = 'submit',
  name,
  value,
  formAction,
}: {
  children: ComponentChildren;
  variant?: 'primary' | 'secondary' | 'tertiary';
  type?: 'submit' | 'button';
  name?: string;
  value?: string;
  formAction?: string;
}) {
  return (
    <button class="ds-button" data-variant={variant} type={type} name={name} value={value} formAction={formAction}>
      {children}
    </button>
  );
}

export function ButtonLink({ href, children, variant = 'primary' }: { href: string; children: ComponentChildren; variant?: 'primary' | 'secondary' }) {
  return (
    <a class="ds-button" data-variant={variant} href={href}>
      {children}
    </a>
  );
}

export function ErrorSummary({ title, errors }: { title: string; errors: FieldError[] }) {
  if (errors.length === 0) return null;
  return (
    <div class="ds-error-summary" tabIndex={-1} data-module="error-summary" role="alert" aria-labelledby="error-summary-title">
      <h2 class="ds-heading" id="error-summary-title">
        {title}
      </h2>
      <ul class="ds-list">
        {errors.map((e) => (
          <li key={e.field}>
            <a href={`#${e.field}`}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ValidationMessage({ id, children }: { id: string; children: ComponentChildren }) {
  return (
    <p class="ds-validation-message" data-field="validation" id={id}>
      {children}
    </p>
  );
}

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter(Boolean);
  return list.length ? list.join(' ') : undefined;
}

export interface TextFieldProps {
  id: string;
  name: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  value?: string | undefined;
  type?: 'text' | 'email' | 'tel' | 'date' | 'password' | 'number' | 'search';
  autocomplete?: string;
  inputMode?: 'numeric' | 'text' | 'email' | 'tel';
  required?: boolean;
  maxLength?: number;
  width?: 'short' | 'medium' | 'full';
  /** The page's only question: its label is the page's h1 (GOV.UK's pattern). */
  labelIsHeading?: boolean | undefined;
}

/** A field's label, inside the page's h1 when the field is the page's only question. */
function FieldLabel({ id, label, heading }: { id: string; label: string; heading: boolean | undefined }) {
  const l = (
    <label class="ds-label" for={id}>
      {label}
    </label>
  );
  return heading ? (
    <h1 class="ds-heading mb-legend-h1" data-size="lg">
      {l}
    </h1>
  ) : (
    l
  );
}

export function TextField(p: TextFieldProps) {
  const hintId = p.hint ? `${p.id}-hint` : undefined;
  const errId = p.error ? `${p.id}-error` : undefined;
  return (
    <div class={`ds-field mb-field mb-width-${p.width ?? 'full'}`}>
      <FieldLabel id={p.id} label={p.label} heading={p.labelIsHeading} />
      {p.hint && (
        <div data-field="description" id={hintId}>
          {p.hint}
        </div>
      )}
      {p.error && <ValidationMessage id={errId!}>{p.error}</ValidationMessage>}
      <input
        class="ds-input"
        id={p.id}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.value ?? ''}
        autoComplete={p.autocomplete}
        inputMode={p.inputMode}
        aria-required={p.required ? 'true' : undefined}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(hintId, errId)}
        maxLength={p.maxLength}
      />
    </div>
  );
}

export function Textarea(p: Omit<TextFieldProps, 'type' | 'inputMode'> & { rows?: number }) {
  const hintId = p.hint ? `${p.id}-hint` : undefined;
  const errId = p.error ? `${p.id}-error` : undefined;
  return (
    <div class="ds-field mb-field">
      <FieldLabel id={p.id} label={p.label} heading={p.labelIsHeading} />
      {p.hint && (
        <div data-field="description" id={hintId}>
          {p.hint}
        </div>
      )}
      {p.error && <ValidationMessage id={errId!}>{p.error}</ValidationMessage>}
      <textarea
        class="ds-input"
        id={p.id}
        name={p.name}
        rows={p.rows ?? 5}
        aria-required={p.required ? 'true' : undefined}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(hintId, errId)}
        maxLength={p.maxLength}
      >
        {p.value ?? ''}
      </textarea>
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
  hint?: string | undefined;
}

export interface ChoiceGroupProps {
  id: string;
  name: string;
  legend: string;
  /** Render the legend as the page's heading (one question per page). */
  legendIsHeading?: boolean;
  hint?: string | undefined;
  error?: string | undefined;
  options: Option[];
  selected: string[];
  multiple?: boolean;
  required?: boolean;
}

/**
 * The page's h1 inside a fieldset's legend: on a page that asks one question, the question is the
 * heading, so a screen reader hears it once, as the group's name, and not as heading and legend.
 */
export function LegendHeading({ children }: { children: ComponentChildren }) {
  return (
    <h1 class="ds-heading mb-legend-h1" data-size="lg">
      {children}
    </h1>
  );
}

/** Radios (one answer) or checkboxes (several); the first input carries the group's id for error links. */
export function ChoiceGroup(p: ChoiceGroupProps) {
  const hintId = p.hint ? `${p.id}-hint` : undefined;
  const errId = p.error ? `${p.id}-error` : undefined;
  return (
    <fieldset class="ds-fieldset mb-field" aria-describedby={describedBy(hintId, errId)}>
      <legend class="ds-label">{p.legendIsHeading ? <LegendHeading>{p.legend}</LegendHeading> : p.legend}</legend>
      {p.hint && (
        <p data-field="description" class="mb-hint" id={hintId}>
          {p.hint}
        </p>
      )}
      {p.error && <ValidationMessage id={errId!}>{p.error}</ValidationMessage>}
      {p.options.map((o, i) => {
        const id = i === 0 ? p.id : `${p.id}-${i}`;
        const optHint = o.hint ? `${id}-hint` : undefined;
        return (
          <div class="ds-field" key={o.value}>
            <input
              class="ds-input"
              type={p.multiple ? 'checkbox' : 'radio'}
              id={id}
              name={p.name}
              value={o.value}
              checked={p.selected.includes(o.value)}
              aria-invalid={p.error ? 'true' : undefined}
              aria-describedby={optHint}
            />
            <label class="ds-label" for={id}>
              {o.label}
            </label>
            {o.hint && (
              <div data-field="description" id={optHint}>
                {o.hint}
              </div>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}

export function Select(p: { id: string; name: string; label: string; hint?: string | undefined; error?: string | undefined; options: Option[]; selected: string; emptyLabel?: string }) {
  const hintId = p.hint ? `${p.id}-hint` : undefined;
  const errId = p.error ? `${p.id}-error` : undefined;
  return (
    <div class="ds-field mb-field">
      <label class="ds-label" for={p.id}>
        {p.label}
      </label>
      {p.hint && (
        <div data-field="description" id={hintId}>
          {p.hint}
        </div>
      )}
      {p.error && <ValidationMessage id={errId!}>{p.error}</ValidationMessage>}
      <select class="ds-input" id={p.id} name={p.name} aria-invalid={p.error ? 'true' : undefined} aria-describedby={describedBy(hintId, errId)}>
        {p.emptyLabel !== undefined && <option value="">{p.emptyLabel}</option>}
        {p.options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === p.selected}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Alert({ kind = 'info', title, children }: { kind?: 'info' | 'success' | 'warning' | 'danger'; title?: string; children: ComponentChildren }) {
  return (
    <div class="ds-alert" data-color={kind} role={kind === 'danger' ? 'alert' : undefined}>
      {title && (
        <h2 class="ds-heading" data-size="xs">
          {title}
        </h2>
      )}
      {children}
    </div>
  );
}

/**
 * Key–value rows, e.g. "Check your answers", with an optional change link per row. The link shows
 * a short verb ("Ändra") and carries what it changes in hidden text, so that a screen reader's
 * list of links still tells them apart while the columns stay aligned.
 */
export function SummaryList({ rows }: { rows: { key: string; value: ComponentChildren; change?: { href: string; label: string; context?: string } }[] }) {
  return (
    <dl class="mb-summary">
      {rows.map((r) => (
        <div class="mb-summary__row" key={r.key}>
          <dt>{r.key}</dt>
          <dd>{r.value}</dd>
          {r.change && (
            <dd class="mb-summary__action">
              <a class="ds-link" href={r.change.href}>
                {r.change.label}
                {r.change.context && <span class="mb-visually-hidden"> {r.change.context}</span>}
              </a>
            </dd>
          )}
        </div>
      ))}
    </dl>
  );
}

export function Tag({ children, color = 'neutral' }: { children: ComponentChildren; color?: 'neutral' | 'info' | 'success' | 'warning' | 'danger' | 'accent' }) {
  return (
    <span class="ds-tag" data-color={color}>
      {children}
    </span>
  );
}

export function CsrfField({ token }: { token: string | undefined }) {
  return <input type="hidden" name="_csrf" value={token ?? ''} />;
}
