/**
 * Files as an answer (a medical certificate): several per field, each checked by the forms engine
 * when it is uploaded (count, size, virus scan, then the type its bytes say — forms/draft-files.ts)
 * and kept with the draft. The answer is the list of files the draft holds,
 * [{ id, filename, contentType, sizeBytes }]; it is never read from a posted text field (a typed
 * id would name another person's file), only written by the engine's upload and remove. Removing
 * a file is a submit button, so the page works without JavaScript. ADR 0017.
 */
import type { FileField } from '../../catalogue/types.ts';
import { LegendHeading, ValidationMessage } from '../../kernel/html/components.tsx';
import type { Locale } from '../../kernel/i18n/index.ts';
import type { AnswerValue } from '../conditions.ts';
import { describedBy, isRecord } from './shared.tsx';
import type { FieldKind, FieldProblem } from './types.ts';

export const FILE_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
const TYPE_NAMES: Record<string, string> = { 'application/pdf': 'PDF', 'image/png': 'PNG', 'image/jpeg': 'JPEG' };
const EXTENSIONS: Record<string, string> = { 'application/pdf': '.pdf', 'image/png': '.png', 'image/jpeg': '.jpg,.jpeg' };

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/** The field's limits with their defaults. */
export function fileLimits(field: FileField): { minFiles: number; maxFiles: number; maxBytes: number; accept: string[] } {
  const maxFiles = field.maxFiles ?? 1;
  return { minFiles: Math.min(field.minFiles ?? 1, maxFiles), maxFiles, maxBytes: field.maxBytes ?? DEFAULT_MAX_BYTES, accept: field.accept ?? [...FILE_TYPES] };
}

/** One file of the answer, as the draft and the case list it. */
export interface FileRef {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
}

export function fileRefs(value: AnswerValue | undefined): FileRef[] {
  if (!Array.isArray(value)) return [];
  return value.filter((x): x is Record<string, AnswerValue> & FileRef => isRecord(x) && typeof x.id === 'string' && typeof x.filename === 'string');
}

/** "2,4 MB", "830 kB": sizes as people read them. */
export function formatSize(bytes: number, locale: Locale): string {
  const nf = (n: number, digits: number) => new Intl.NumberFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: digits }).format(n);
  if (bytes >= 1024 * 1024) return `${nf(bytes / (1024 * 1024), 1)} MB`;
  return `${nf(Math.max(1, Math.round(bytes / 1024)), 0)} kB`;
}

/** The types a field accepts as people name them: "PDF, PNG eller JPEG". */
export function typeList(field: FileField, or: string): string {
  const names = fileLimits(field).accept.map((t) => TYPE_NAMES[t] ?? t);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} ${or} ${names.at(-1)}` : names[0]!;
}

/**
 * The file buttons: `action=uploadFile:<field>` uploads the chosen files and shows the step again
 * (to add more, or see them listed); `action=removeFile:<field>:<file id>` removes one file.
 */
export function parseFileAction(action: unknown): { kind: 'upload'; field: string } | { kind: 'remove'; field: string; fileId: string } | undefined {
  if (typeof action !== 'string') return undefined;
  const up = /^uploadFile:([A-Za-z][A-Za-z0-9]*)$/.exec(action);
  if (up) return { kind: 'upload', field: up[1]! };
  const m = /^removeFile:([A-Za-z][A-Za-z0-9]*):([0-9a-f-]{36})$/.exec(action);
  return m ? { kind: 'remove', field: m[1]!, fileId: m[2]! } : undefined;
}

export const fileKind: FieldKind<FileField> = {
  kind: 'file',
  options: {
    properties: {
      minFiles: { type: 'integer', minimum: 1, maximum: 20 },
      maxFiles: { type: 'integer', minimum: 1, maximum: 20 },
      // At most 25 MB a file: a form step's upload is held in memory until stored (ADR 0008).
      maxBytes: { type: 'integer', minimum: 1024, maximum: 25 * 1024 * 1024 },
      accept: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...FILE_TYPES] } },
    },
  },
  takesFiles: true,
  // Never from the posted form: the engine keeps the list (see the module's comment).
  read: () => [],
  isStorable: (_f, v) => Array.isArray(v) && fileRefs(v).length === v.length,
  shape: () => ({
    type: 'array',
    items: {
      type: 'object',
      required: ['id', 'filename', 'contentType', 'sizeBytes'],
      properties: { id: { type: 'string' }, filename: { type: 'string' }, contentType: { enum: [...FILE_TYPES] }, sizeBytes: { type: 'integer', minimum: 1 } },
      additionalProperties: false,
    },
  }),
  blank: (field) => ({ key: fileLimits(field).maxFiles > 1 ? 'forms.error.fileBlankMany' : 'forms.error.fileBlank' }),
  rules(field, value, ctx): FieldProblem | undefined {
    const { minFiles, maxFiles } = fileLimits(field);
    const n = fileRefs(value).length;
    if (n > maxFiles) return { field: ctx.name, key: 'forms.error.fileCount', vars: { max: maxFiles } };
    if (n > 0 && n < minFiles) return { field: ctx.name, key: 'forms.error.fileTooFew', vars: { min: minFiles } };
    return undefined;
  },
  hasButtons: true,
  asksAsGroup: true,
  render({ field, value, name, id, label, hint, error, single, ctx }) {
    const { t, locale } = ctx;
    const { maxFiles, maxBytes } = fileLimits(field);
    const files = fileRefs(value);
    const hintId = `${id}-hint`;
    const errId = error ? `${id}-error` : undefined;
    const rules = t(maxFiles > 1 ? 'forms.file.rulesMany' : 'forms.file.rulesOne', { types: typeList(field, t('forms.file.or')), size: formatSize(maxBytes, locale), max: maxFiles });
    // The list of files the draft holds sits in the field's group, each with its own remove button
    // that names the file for a screen reader. The input is offered while there is room for more.
    return (
      <fieldset class="ds-fieldset mb-field mb-files" aria-describedby={describedBy(hintId, errId)}>
        <legend class="ds-label">{single ? <LegendHeading>{label}</LegendHeading> : label}</legend>
        <p data-field="description" class="mb-hint" id={hintId}>
          {[hint, rules].filter(Boolean).join(' ')}
        </p>
        {error && <ValidationMessage id={errId!}>{error}</ValidationMessage>}
        {files.length > 0 && (
          <ul class="ds-list mb-file-list" aria-label={t('forms.file.uploaded')}>
            {files.map((f) => (
              <li key={f.id}>
                <span class="mb-file-name">{f.filename}</span> <span class="mb-hint">({formatSize(f.sizeBytes, locale)})</span>{' '}
                <button class="ds-button" data-variant="tertiary" data-size="sm" type="submit" name="action" value={`removeFile:${field.id}:${f.id}`}>
                  {t('forms.file.remove')}
                  <span class="mb-visually-hidden"> {f.filename}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {files.length < maxFiles && (
          <div class="ds-field">
            <label class="ds-label" for={id} data-weight="regular">
              {t(files.length ? 'forms.file.chooseMore' : maxFiles > 1 ? 'forms.file.chooseMany' : 'forms.file.chooseOne')}
            </label>
            <input
              class="ds-input"
              type="file"
              id={id}
              name={name}
              multiple={maxFiles - files.length > 1}
              accept={fileLimits(field).accept.map((x) => `${EXTENSIONS[x]},${x}`).join(',')}
              aria-describedby={describedBy(hintId, errId)}
              aria-invalid={error ? 'true' : undefined}
            />
            <div>
              <button class="ds-button" data-variant="secondary" type="submit" name="action" value={`uploadFile:${field.id}`}>
                {t('forms.file.upload')}
              </button>
            </div>
          </div>
        )}
      </fieldset>
    );
  },
  display: (_f, v, ctx) =>
    fileRefs(v)
      .map((f) => `${f.filename} (${formatSize(f.sizeBytes, ctx.locale)})`)
      .join('\n'),
  // A file cannot be given in a posted text form: its examples are files, tested in draft-files.test.ts.
  exampleValid: () => ({}),
  exampleInvalid: (field) => ({ form: {}, key: fileLimits(field).maxFiles > 1 ? 'forms.error.fileBlankMany' : 'forms.error.fileBlank' }),
};
