/** The receipt is rendered when first downloaded; two first downloads at once keep one PDF, in the database and in the blob store. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { createTestApp, NORRBY } from '../../test/helpers/app.ts';
import { signInResident, ANNA } from '../../test/helpers/sign-in.ts';
import { journey } from '../../test/helpers/journey.ts';
import { holdBlobWrites } from '../../test/helpers/held-writes.ts';
import { tenantScope } from '../kernel/db/index.ts';

const t = await createTestApp({ now: '2026-11-23T10:00:00Z' });
after(() => t.close());
const { get, applyForPreschool } = journey(t);
const tdb = tenantScope(t.tdb.db, 'norrby');

function storedKeys(): string[] {
  const root = t.config.blobDir;
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((d) => d.isFile())
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)))
    .sort();
}

test('two first downloads of a receipt at once: one document, one blob, the same PDF to both', async () => {
  const anna = await signInResident(t, NORRBY, ANNA, 'en');
  const { caseId } = await applyForPreschool(anna, '202205109826');
  assert.deepEqual(storedKeys(), [], 'nothing rendered before the first download');

  // Hold each render's write until both downloads have found no receipt and rendered one.
  const held = holdBlobWrites(t.app.blobs, 2);
  let downloads;
  try {
    downloads = await Promise.all([get(anna, `/my/cases/${caseId}/receipt.pdf`), get(anna, `/my/cases/${caseId}/receipt.pdf`)]);
  } finally {
    held.restore();
  }
  assert.equal(held.count, 2, 'both downloads rendered a receipt');
  for (const d of downloads) {
    assert.equal(d.statusCode, 200);
    assert.equal(d.headers['content-type'], 'application/pdf');
  }
  assert.ok(downloads[0]!.rawPayload.equals(downloads[1]!.rawPayload), 'both get the receipt the case keeps');

  const { rows } = await tdb.query<{ blob_key: string }>("SELECT blob_key FROM documents WHERE tenant_id = $1 AND case_id = $2 AND kind = 'receipt'", [caseId]);
  assert.equal(rows.length, 1, 'one receipt recorded');
  assert.deepEqual(storedKeys(), [rows[0]!.blob_key], 'only the recorded receipt is in the blob store');

  // Later downloads read the stored one.
  const again = await get(anna, `/my/cases/${caseId}/receipt.pdf`);
  assert.ok(again.rawPayload.equals(downloads[0]!.rawPayload));
  assert.deepEqual(storedKeys(), [rows[0]!.blob_key]);
});
