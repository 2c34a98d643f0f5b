/**
 * A case's stored files as both sides download them: decision letters (PDF, shown inline) and
 * attachments (always downloaded, never rendered by the browser, under the name they were given made
 * safe again with the stored type's extension — rows from before names were cleaned on upload too).
 * Routes authorise and audit; this reads the row and the blob, and answers 404 for either missing.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../kernel/errors.ts';
import { isUuid } from '../kernel/ids.ts';
import type { BlobStore } from '../integrations/blob-store/index.ts';
import { getDocument, type StoredDocument } from '../documents/index.ts';
import { getAttachment } from './attachments.ts';
import { contentDisposition, safeFilename } from './file-names.ts';
import type { Case } from './cases.repository.ts';

export async function documentFile(req: FastifyRequest, blobs: BlobStore, c: Case, docId: string): Promise<{ doc: StoredDocument; data: Buffer }> {
  if (!isUuid(docId)) throw new AppError('NOT_FOUND');
  const doc = await getDocument(req.tdb, c.id, docId);
  const data = doc?.blobKey ? await blobs.get(doc.blobKey) : undefined;
  if (!doc || !data) throw new AppError('NOT_FOUND');
  return { doc, data };
}

export function sendDocument(reply: FastifyReply, c: Case, file: { doc: StoredDocument; data: Buffer }) {
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `inline; filename="${c.reference}-${file.doc.kind}-${file.doc.locale}.pdf"`)
    .header('cache-control', 'private, no-store')
    .send(file.data);
}

type Attachment = NonNullable<Awaited<ReturnType<typeof getAttachment>>>;

export async function attachmentFile(req: FastifyRequest, blobs: BlobStore, c: Case, attachmentId: string): Promise<{ attachment: Attachment; data: Buffer }> {
  if (!isUuid(attachmentId)) throw new AppError('NOT_FOUND');
  const attachment = await getAttachment(req.tdb, c.id, attachmentId);
  const data = attachment ? await blobs.get(attachment.blobKey) : undefined;
  if (!attachment || !data) throw new AppError('NOT_FOUND');
  return { attachment, data };
}

export function sendAttachment(reply: FastifyReply, file: { attachment: Attachment; data: Buffer }) {
  return reply
    .header('content-type', file.attachment.contentType)
    .header('content-disposition', contentDisposition('attachment', safeFilename(file.attachment.filename, file.attachment.contentType)))
    .header('cache-control', 'private, no-store')
    .send(file.data);
}
