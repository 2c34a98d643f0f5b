/**
 * Documents the platform produces: the receipt (rendered when first downloaded, then kept) and
 * decision letters (rendered when the decision is made, in Swedish and in the resident's language,
 * their hashes recorded in the journal entry of the decision).
 */
import { createHash } from 'node:crypto';
import type { TenantQueryable } from '../kernel/db/index.ts';
import type { Locale } from '../kernel/i18n/index.ts';
import { uuidv7 } from '../kernel/ids.ts';
import type { Case, Decision } from '../cases/index.ts';
import { discardBlobs, newBlobKey, type BlobStore } from '../integrations/blob-store/index.ts';
import { renderLetter } from './pdf.ts';
import { receiptLetter, decisionLetter, decisionText, type LetterContext } from './letters.ts';
import { documentsOfCase, findDocument, insertDocument } from './documents.repository.ts';

export { accessiblePdf, renderLetter, type Letter, type LetterSection } from './pdf.ts';
export { appealSection, decisionLetter, decisionText, decisionFieldText, fillDecisionTemplate, subjectName, type LetterContext } from './letters.ts';
export { documentsOfCase, getDocument, type StoredDocument, type DocumentKind } from './documents.repository.ts';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The case's receipt PDF in the given language, rendered and stored the first time it is asked for. */
export async function receiptPdf(q: TenantQueryable, blobs: BlobStore, c: Case, ctx: LetterContext, locale: Locale, now: Date): Promise<Buffer> {
  const existing = await findDocument(q, c.id, 'receipt', locale);
  if (existing?.blobKey) {
    const data = await blobs.get(existing.blobKey);
    if (data) return data;
  }
  const pdf = await renderLetter(receiptLetter(c, ctx, locale), c.createdAt);
  const key = newBlobKey(q.tenantId, now, 'pdf');
  await blobs.put(key, pdf);
  if (await insertDocument(q, { id: uuidv7(now.getTime()), caseId: c.id, kind: 'receipt', locale, blobKey: key, sha256: sha256(pdf) }, now)) return pdf;
  // A concurrent first download recorded its receipt first: ours is nobody's, so it goes, and
  // this download gets the one the case keeps.
  await blobs.delete(key);
  const kept = await findDocument(q, c.id, 'receipt', locale);
  return (kept?.blobKey ? await blobs.get(kept.blobKey) : undefined) ?? pdf;
}

export interface RenderedLetter {
  id: string;
  locale: Locale;
  blobKey: string;
  sha256: string;
}

/**
 * Renders and stores the decision letters before the decision's transaction: always Swedish, and
 * the resident's language too when it is another. The caller records them with recordLetters.
 */
export async function renderDecisionLetters(tenantId: string, blobs: BlobStore, c: Case, ctx: LetterContext, decision: Decision, deciderName: string, now: Date): Promise<RenderedLetter[]> {
  const locales: Locale[] = c.locale === 'sv' ? ['sv'] : ['sv', c.locale];
  const out: RenderedLetter[] = [];
  try {
    for (const locale of locales) {
      const pdf = await renderLetter(decisionLetter(c, ctx, decision, deciderName, locale), new Date(decision.decidedAt));
      const blobKey = newBlobKey(tenantId, now, 'pdf');
      await blobs.put(blobKey, pdf);
      out.push({ id: uuidv7(now.getTime()), locale, blobKey, sha256: sha256(pdf) });
    }
  } catch (err) {
    await discardBlobs(blobs, out);
    throw err;
  }
  return out;
}


/**
 * After a decision's transaction failed: removes those of its letters that no document row
 * records. Checking first keeps the letters of a decision whose commit did go through although
 * the caller saw an error (a connection lost during COMMIT); when even that check fails, the
 * letters are kept: a stray file is better than a decided case without its letter.
 */
export async function discardUnrecordedLetters(q: TenantQueryable, blobs: BlobStore, caseId: string, letters: RenderedLetter[]): Promise<void> {
  let recorded: Set<string>;
  try {
    recorded = new Set((await documentsOfCase(q, caseId)).map((d) => d.id));
  } catch {
    return;
  }
  await discardBlobs(blobs, letters.filter((l) => !recorded.has(l.id)));
}

/** Inside the decision's transaction: the letters become part of the case. */
export async function recordLetters(q: TenantQueryable, caseId: string, letters: RenderedLetter[], now: Date): Promise<void> {
  for (const l of letters) await insertDocument(q, { id: l.id, caseId, kind: 'decision_letter', locale: l.locale, blobKey: l.blobKey, sha256: l.sha256 }, now);
}

export { decisionText as decisionSummary };
