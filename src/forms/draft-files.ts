/**
 * Files given as answers to a form's file questions (ADR 0017). A file is judged when it is
 * uploaded — count and size first, then the virus scanner over every file, then the type its first
 * bytes say (cases/attachments.ts checkFiles, ADR 0008) — put in the blob store and recorded per
 * draft (draft_files) with its entry in the draft's answers, in one statement that also decides
 * the count, so two uploads at once can never hold more than the question allows. At submission
 * the files become the case's attachments (same id, same blob) in the statement that creates the
 * case; an expired draft's files are deleted with it by the purge job, blobs first.
 */
import type { Field, FileField, Step } from '../catalogue/types.ts';
import type { Statement, TenantQueryable, TenantScope } from '../kernel/db/index.ts';
import type { MultipartLimits, UploadedFile } from '../kernel/http/index.ts';
import type { BlobStore } from '../integrations/blob-store/index.ts';
import type { VirusScanner } from '../integrations/virus-scan/index.ts';
import { attachmentStatement, checkFiles, discardFiles, storeFiles, type FileProblem } from '../cases/index.ts';
import type { Answers } from './conditions.ts';
import { draftExpiry } from './drafts.repository.ts';
import { fileLimits, fileRefs, formatSize, kindOf, typeList, type FieldProblem } from './kinds/index.ts';
import { translate, type Locale } from '../kernel/i18n/index.ts';

const isFileField = (f: Field): f is FileField => kindOf(f).takesFiles === true;

/** The step's file questions. */
export function fileFieldsOf(step: Step): FileField[] {
  return step.fields.filter(isFileField);
}

/**
 * What a multipart post of this step may carry (the kernel refuses a longer body unread): each file
 * question's count and size, and room for the step's other answers. Undefined when it asks no files.
 */
export function uploadLimits(step: Step): MultipartLimits | undefined {
  const [first, ...rest] = fileFieldsOf(step).map((f) => ({ fileField: f.id, maxFiles: fileLimits(f).maxFiles, maxFileBytes: fileLimits(f).maxBytes }));
  if (!first) return undefined;
  // A text field per input: a repeating group's items, an address's parts, a schedule's days.
  const inputs = step.fields.reduce((n, f) => n + (f.kind === 'group' ? (f.maxItems ?? 20) * f.fields.length * 3 : 7), 0);
  return { ...first, moreFiles: rest, maxFields: 10 + inputs };
}

const PROBLEM_KEYS: Record<FileProblem, string> = {
  count: 'forms.error.fileCount',
  size: 'forms.error.fileSize',
  empty: 'forms.error.fileEmpty',
  virus: 'forms.error.fileVirus',
  scanUnavailable: 'forms.error.fileScanner',
  type: 'forms.error.fileType',
};

export interface UploadDeps {
  tdb: TenantScope;
  blobs: BlobStore;
  scanner: VirusScanner;
  /** Hears of each infected file (for the log: the signature, never the file). */
  found(signature: string): void;
}

/**
 * Checks, stores and records the files posted for the step's file questions. Returns a problem
 * per question whose files were refused (none of that question's files from this post is kept;
 * the other questions' are). The draft must be the sender's and unsubmitted (the caller loaded it).
 */
export async function acceptUploads(
  deps: UploadDeps,
  draft: { id: string; answers: Answers },
  step: Step,
  uploaded: { files: UploadedFile[]; tooManyIn: string[] },
  now: Date,
  retentionDays: number,
  locale: Locale,
): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  for (const field of fileFieldsOf(step)) {
    const files = uploaded.files.filter((f) => f.field === field.id);
    if (!files.length && !uploaded.tooManyIn.includes(field.id)) continue;
    const limits = fileLimits(field);
    const room = limits.maxFiles - fileRefs(draft.answers[field.id]).length;
    const problem: FileProblem | undefined = uploaded.tooManyIn.includes(field.id) || files.length > room ? 'count' : await checkFiles(files, deps.scanner, deps.found, { maxFiles: room, maxBytes: limits.maxBytes, accept: limits.accept });
    if (problem) {
      problems.push(problemOf(field, problem, locale));
      continue;
    }
    const stored = await storeFiles(deps.blobs, deps.tdb.tenantId, files, now);
    const added = await recordFiles(deps.tdb, draft.id, field.id, limits.maxFiles, stored, now, retentionDays);
    if (!added) {
      // Another upload filled the question meanwhile (or the draft was sent or expired): the
      // database decided, nothing records these blobs, so they go.
      await discardFiles(deps.blobs, stored);
      problems.push(problemOf(field, 'count', locale));
    }
  }
  return problems;
}

function problemOf(field: FileField, problem: FileProblem, locale: Locale): FieldProblem {
  const limits = fileLimits(field);
  const vars: Record<string, string | number> = {
    max: limits.maxFiles,
    size: formatSize(limits.maxBytes, locale),
    types: typeList(field, translate(locale, 'forms.file.or')),
  };
  const key = problem === 'count' && limits.maxFiles === 1 ? 'forms.error.fileCountOne' : PROBLEM_KEYS[problem];
  return { field: field.id, key, vars };
}

/**
 * Records stored files on the draft: the rows and the answer's entries, in one statement that
 * counts too — it adds nothing when the question would then hold more than `maxFiles`, or when the
 * draft is sent, expired or being purged. Whether it added them.
 */
async function recordFiles(q: TenantQueryable, draftId: string, fieldId: string, maxFiles: number, stored: Awaited<ReturnType<typeof storeFiles>>, now: Date, retentionDays: number): Promise<boolean> {
  const refs = stored.map((f) => ({ id: f.id, filename: f.filename, contentType: f.contentType, sizeBytes: f.sizeBytes }));
  const rows = stored.map((f) => ({ id: f.id, filename: f.filename, content_type: f.contentType, size_bytes: f.sizeBytes, sha256: f.sha256, blob_key: f.blobKey }));
  const r = await q.query(
    `WITH d AS (
       UPDATE drafts
          SET answers = jsonb_set(answers, ARRAY[$3::text], (CASE WHEN jsonb_typeof(answers -> $3::text) = 'array' THEN answers -> $3::text ELSE '[]'::jsonb END) || $4::jsonb),
              updated_at = $6, expires_at = $7
        WHERE tenant_id = $1 AND id = $2 AND submitted_case_id IS NULL AND expires_at > $6
          AND (CASE WHEN jsonb_typeof(answers -> $3::text) = 'array' THEN jsonb_array_length(answers -> $3::text) ELSE 0 END) + jsonb_array_length($4::jsonb) <= $5
       RETURNING id
     )
     INSERT INTO draft_files (tenant_id, id, draft_id, field_id, filename, content_type, size_bytes, sha256, blob_key, created_at)
     SELECT $1, f.id, d.id, $3, f.filename, f.content_type, f.size_bytes, f.sha256, f.blob_key, $6
       FROM d CROSS JOIN jsonb_to_recordset($8::jsonb) AS f(id uuid, filename text, content_type text, size_bytes integer, sha256 text, blob_key text)`,
    [draftId, fieldId, JSON.stringify(refs), maxFiles, now, draftExpiry(now, retentionDays), JSON.stringify(rows)],
  );
  return r.rowCount > 0;
}

/**
 * Removes one file from an unsubmitted draft: its row and its entry in the answer, in one
 * transaction; then its blob. A file of another draft, or one already removed, is nothing.
 */
export async function removeDraftFile(tdb: TenantScope, blobs: BlobStore, draftId: string, fieldId: string, fileId: string, now: Date): Promise<void> {
  const blobKey = await tdb.transaction(async (tx) => {
    // The draft's row first (locked), so a submission or another change waits for this one.
    const { rows: drafts } = await tx.query<{ answers: Answers }>('SELECT answers FROM drafts WHERE tenant_id = $1 AND id = $2 AND submitted_case_id IS NULL FOR UPDATE', [draftId]);
    if (!drafts[0]) return undefined;
    const { rows } = await tx.query<{ blob_key: string }>('DELETE FROM draft_files WHERE tenant_id = $1 AND draft_id = $2 AND field_id = $3 AND id = $4 RETURNING blob_key', [draftId, fieldId, fileId]);
    if (!rows[0]) return undefined;
    const kept = fileRefs(drafts[0].answers[fieldId]).filter((f) => f.id !== fileId);
    await tx.query('UPDATE drafts SET answers = jsonb_set(answers, ARRAY[$3::text], $4::jsonb), updated_at = $5 WHERE tenant_id = $1 AND id = $2', [draftId, fieldId, JSON.stringify(kept), now]);
    return rows[0].blob_key;
  });
  if (blobKey) await discardFiles(blobs, [{ blobKey }]);
}

interface DraftFileRow {
  id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  blob_key: string;
}

/**
 * The writes that make the submitted answers' files the case's attachments (single-row INSERTs,
 * sent with the case: they happen exactly when the case is created). Only files the submitted
 * answers list — a question hidden by its condition is not part of the application.
 */
export async function attachmentsFor(q: TenantQueryable, draftId: string, fields: Iterable<Field>, answers: Answers, by: { kind: 'resident'; id: string }, now: Date): Promise<{ ids: string[]; writes: (caseId: string) => Statement[] }> {
  const ids = [...fields].filter(isFileField).flatMap((f) => fileRefs(answers[f.id]).map((r) => r.id));
  if (!ids.length) return { ids, writes: () => [] };
  const { rows } = await q.query<DraftFileRow>(
    'SELECT id, filename, content_type, size_bytes, sha256, blob_key FROM draft_files WHERE tenant_id = $1 AND draft_id = $2 AND id = ANY($3::uuid[])',
    [draftId, ids],
  );
  return {
    ids: rows.map((r) => r.id),
    writes: (caseId) =>
      rows.map((r) => attachmentStatement(caseId, by, { id: r.id, filename: r.filename, contentType: r.content_type, sizeBytes: r.size_bytes, sha256: r.sha256, blobKey: r.blob_key }, now)),
  };
}

/**
 * After submission: the draft's files that did not become attachments (a question the answers
 * hid) are deleted, rows and blobs. The moved ones' rows go too; their blobs are the case's now.
 */
export async function releaseDraftFiles(q: TenantQueryable, blobs: BlobStore, draftId: string, moved: readonly string[]): Promise<void> {
  const { rows } = await q.query<{ id: string; blob_key: string }>('DELETE FROM draft_files WHERE tenant_id = $1 AND draft_id = $2 RETURNING id, blob_key', [draftId]);
  const keep = new Set(moved);
  await discardFiles(
    blobs,
    rows.filter((r) => !keep.has(r.id)).map((r) => ({ blobKey: r.blob_key })),
  );
}

type RawDb = { query: <R = Record<string, unknown>>(sql: string, p?: unknown[]) => Promise<{ rows: R[]; rowCount: number }> };

/**
 * Deletes abandoned drafts of every tenant with their files (run by the maintenance job); returns
 * how many drafts. Expired drafts are first closed for good (their expiry set to -infinity, in one
 * statement: an upload or a save that commits before keeps its draft alive, one after finds it
 * closed), then their blobs are deleted, then their rows. A crash between leaves rows whose blobs
 * are gone, deleted by the next run — never a blob that no row names.
 */
export async function purgeExpiredDrafts(db: RawDb, blobs: BlobStore, now: Date): Promise<number> {
  await db.query(`UPDATE drafts SET expires_at = '-infinity' WHERE submitted_case_id IS NULL AND expires_at <= $1 AND expires_at <> '-infinity'`, [now]);
  const { rows } = await db.query<{ blob_key: string }>(
    `SELECT f.blob_key FROM draft_files f JOIN drafts d ON d.tenant_id = f.tenant_id AND d.id = f.draft_id
      WHERE d.submitted_case_id IS NULL AND d.expires_at = '-infinity'`,
  );
  for (const r of rows) await blobs.delete(r.blob_key);
  const r = await db.query(
    `WITH files AS (
       DELETE FROM draft_files f USING drafts d
        WHERE d.tenant_id = f.tenant_id AND d.id = f.draft_id AND d.submitted_case_id IS NULL AND d.expires_at = '-infinity'
     )
     DELETE FROM drafts WHERE submitted_case_id IS NULL AND expires_at = '-infinity'`,
  );
  return r.rowCount;
}
