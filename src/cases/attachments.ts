/**
 * Attached files: every file is scanned for viruses before anything else reads it; the type is decided by the file's first bytes, never by its name or the type the
 * browser claims; sizes are limited; names are cleaned and take the extension of that type
 * (file-names.ts; storage keys are ours).
 */
import { createHash } from 'node:crypto';
import type { Statement, TenantQueryable } from '../kernel/db/index.ts';
import { uuidv7 } from '../kernel/ids.ts';
import { discardBlobs, newBlobKey, type BlobStore } from '../integrations/blob-store/index.ts';
import type { VirusScanner } from '../integrations/virus-scan/index.ts';
import { AppError } from '../kernel/errors.ts';
import type { AttachmentRef } from './actions.ts';
import { extensionOf, safeFilename } from './file-names.ts';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES = 5;

const SIGNATURES: { type: string; bytes: number[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
];

/** The content type the bytes say, if it is one we accept, and its file extension. */
export function sniffType(data: Buffer): { type: string; ext: string } | undefined {
  const found = SIGNATURES.find((s) => data.length >= s.bytes.length && s.bytes.every((b, i) => data[i] === b));
  return found && { type: found.type, ext: extensionOf(found.type) };
}

export interface IncomingFile {
  filename: string;
  data: Buffer;
  /** Larger than the limit: its bytes were not kept (see readMultipartForm). */
  tooLarge?: boolean;
}

export type FileProblem = 'type' | 'size' | 'empty' | 'count' | 'virus' | 'scanUnavailable';

/**
 * Checks uploaded files in the order that keeps a harmful file from being looked into: count and
 * size first (no content read), then the virus scanner over every file, and only then the type its
 * first bytes say. A scanner that gives no verdict refuses the upload ('scanUnavailable'); the
 * caller keeps the rest of the form. `found` hears of each infected file (for the log).
 */
export async function checkFiles(
  files: IncomingFile[],
  scanner: VirusScanner,
  found?: (signature: string) => void,
  // A form's file question has its own limits and types (forms/draft-files.ts); attachments to a case these.
  limits: { maxFiles: number; maxBytes: number; accept?: readonly string[] } = { maxFiles: MAX_FILES, maxBytes: MAX_FILE_BYTES },
): Promise<FileProblem | undefined> {
  if (files.length > limits.maxFiles) return 'count';
  for (const f of files) {
    if (f.tooLarge || f.data.length > limits.maxBytes) return 'size';
    if (f.data.length === 0) return 'empty';
  }
  for (const f of files) {
    let verdict;
    try {
      verdict = await scanner.scan(f.data);
    } catch (err) {
      if (err instanceof AppError && err.code === 'VIRUS_SCANNER_UNAVAILABLE') return 'scanUnavailable';
      throw err;
    }
    if (!verdict.clean) {
      found?.(verdict.signature);
      return 'virus';
    }
  }
  for (const f of files) {
    const type = sniffType(f.data);
    if (!type || (limits.accept && !limits.accept.includes(type.type))) return 'type';
  }
  return undefined;
}

/** Puts the files in the blob store (before the transaction); rows are written by insertAttachments in it. */
export async function storeFiles(blobs: BlobStore, tenantId: string, files: IncomingFile[], now: Date): Promise<(AttachmentRef & { blobKey: string })[]> {
  const out: (AttachmentRef & { blobKey: string })[] = [];
  for (const f of files) {
    const kind = sniffType(f.data)!;
    const blobKey = newBlobKey(tenantId, now, kind.ext);
    await blobs.put(blobKey, f.data);
    out.push({
      id: uuidv7(now.getTime()),
      filename: safeFilename(f.filename, kind.type),
      contentType: kind.type,
      sizeBytes: f.data.length,
      sha256: createHash('sha256').update(f.data).digest('hex'),
      blobKey,
    });
  }
  return out;
}

/** Removes stored files whose case change did not commit (the case was decided meanwhile, say). */
export const discardFiles = discardBlobs;

/**
 * One attachment row as a single-row INSERT, for writes sent together with the case (a form's
 * files become the case's attachments in the statement that creates it: forms/draft-files.ts).
 */
export function attachmentStatement(caseId: string, by: { kind: 'resident' | 'staff'; id: string }, f: AttachmentRef & { blobKey: string }, now: Date): Statement {
  return {
    sql: `INSERT INTO attachments (tenant_id, id, case_id, uploaded_by_kind, uploaded_by, filename, content_type, size_bytes, sha256, blob_key, created_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    params: [f.id, caseId, by.kind, by.id, f.filename, f.contentType, f.sizeBytes, f.sha256, f.blobKey, now],
  };
}

export async function insertAttachments(
  q: TenantQueryable,
  caseId: string,
  by: { kind: 'resident' | 'staff'; id: string },
  files: (AttachmentRef & { blobKey: string })[],
  now: Date,
): Promise<void> {
  for (const f of files) {
    await q.query(
      `INSERT INTO attachments (tenant_id, id, case_id, uploaded_by_kind, uploaded_by, filename, content_type, size_bytes, sha256, blob_key, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [f.id, caseId, by.kind, by.id, f.filename, f.contentType, f.sizeBytes, f.sha256, f.blobKey, now],
    );
  }
}

export interface StoredAttachment extends AttachmentRef {
  blobKey: string;
  createdAt: Date;
}

export async function getAttachment(q: TenantQueryable, caseId: string, id: string): Promise<StoredAttachment | undefined> {
  const { rows } = await q.query<{ id: string; filename: string; content_type: string; size_bytes: number; sha256: string; blob_key: string; created_at: Date }>(
    'SELECT id, filename, content_type, size_bytes, sha256, blob_key, created_at FROM attachments WHERE tenant_id = $1 AND case_id = $2 AND id = $3',
    [caseId, id],
  );
  const r = rows[0];
  return r ? { id: r.id, filename: r.filename, contentType: r.content_type, sizeBytes: r.size_bytes, sha256: r.sha256, blobKey: r.blob_key, createdAt: new Date(r.created_at) } : undefined;
}
