/**
 * The file field through HTTP on the parking-permit service (catalogue/shared/parkeringstillstand.yaml):
 * files uploaded on a step are judged (count, size, virus, then type by content), kept with the
 * draft when other answers fail, listed with a remove button, shown on check your answers, moved
 * to the case's attachments at submission (once, however often it is sent), and deleted with an
 * expired draft — blobs too. Concurrent uploads never hold more files than the question allows.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createTestApp, NORRBY, SODERA, type TestApp } from '../../test/helpers/app.ts';
import { journey } from '../../test/helpers/journey.ts';
import { signInResident, ANNA, type SignedIn } from '../../test/helpers/sign-in.ts';
import { EICAR } from '../integrations/virus-scan/index.ts';
import { purgeExpiredDrafts } from './draft-files.ts';
import { checkDecisionForm } from '../cases/decision-form.ts';
import type { Case } from '../cases/index.ts';
import { translator } from '../kernel/i18n/index.ts';

const t = await createTestApp({ now: '2026-11-23T10:00:00Z' });
const down = await createTestApp({ now: '2026-11-23T10:00:00Z', env: { VIRUS_SCANNER: 'clamd', CLAMD_PORT: '9', CLAMD_TIMEOUT_MS: '500' } });
after(async () => {
  await t.close();
  await down.close();
});

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 1)]);
const INFECTED_PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(EICAR, 'latin1'), Buffer.from('\n%%EOF\n')]);
const HTML = Buffer.from('<html><script>alert(1)</script></html>');

const pdf = (filename = 'intyg.pdf', data = PDF) => ({ name: 'medicalCertificate', filename, type: 'application/pdf', data });

async function startParking(app: TestApp, j: ReturnType<typeof journey>, who: SignedIn): Promise<string> {
  const r = await j.get(who, '/services/parkeringstillstand/apply');
  assert.equal(r.statusCode, 303);
  const draft = /^\/apply\/([0-9a-f-]{36})\//.exec(String(r.headers.location))![1]!;
  for (const [step, form] of [
    ['driving', { driver: 'driver' }],
    ['mobility', { disability: 'Jag har svårt att gå.', walkingDistance: 'under50', 'needFrom.from': '2027-01-01', 'needFrom.to': '2028-01-01' }],
  ] as const) {
    const res = await j.post(who, `/apply/${draft}/${step}`, form, `/apply/${draft}/${step}`);
    assert.equal(res.statusCode, 303, `${step}: ${res.body.slice(0, 500)}`);
  }
  void app;
  return draft;
}

const filesOf = async (app: TestApp, draft: string) =>
  (await app.tdb.db.query<{ id: string; field_id: string; filename: string; blob_key: string }>('SELECT id, field_id, filename, blob_key FROM draft_files WHERE draft_id = $1 ORDER BY created_at, id', [draft])).rows;
const blobExists = (app: TestApp, key: string) => existsSync(path.join(app.config.blobDir, key));

test('a certificate step: the page is a multipart form with the rules said; files are checked, kept, listed, removable, moved at submission', async () => {
  const j = journey(t);
  const anna = await signInResident(t, NORRBY, ANNA);
  const draft = await startParking(t, j, anna);
  const url = `/apply/${draft}/certificate`;
  const page = await j.get(anna, url);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /enctype="multipart\/form-data"/);
  // The token is the form's first field: it is read before any file.
  assert.ok(page.body.indexOf('name="_csrf"') < page.body.indexOf('type="file"'));
  assert.match(page.body, /Du kan ladda upp upp till 3 filer\. Varje fil ska vara av typen PDF, JPEG eller PNG och får vara högst 10 MB\./);

  // Nothing chosen: both questions say so, translated, linked to their inputs.
  let r = await j.postMultipart(anna, url, {}, [], url);
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /href="#f-medicalCertificate">Välj minst en fil för läkarintyg/);
  assert.match(r.body, /href="#f-photo">Välj en fil för foto till kortet/);

  // A script sent as a PDF (wrong type by content), an infected PDF, an empty file: refused, each for people.
  r = await j.postMultipart(anna, url, {}, [pdf('intyg.pdf', HTML)], url);
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /Filen för läkarintyg måste vara av typen PDF, JPEG eller PNG/);
  r = await j.postMultipart(anna, url, {}, [pdf('intyg.pdf', INFECTED_PDF)], url);
  assert.match(r.body, /innehåller ett virus eller annan skadlig kod/);
  r = await j.postMultipart(anna, url, {}, [pdf('tom.pdf', Buffer.alloc(0))], url);
  assert.match(r.body, /Filen du valde för läkarintyg är tom/);
  // A PDF where only images are accepted (the photo).
  r = await j.postMultipart(anna, url, {}, [{ ...pdf(), name: 'photo' }], url);
  assert.match(r.body, /Filen för foto till kortet måste vara av typen JPEG eller PNG/);
  // Too many in one post (3 allowed).
  r = await j.postMultipart(anna, url, {}, [pdf('a.pdf'), pdf('b.pdf'), pdf('c.pdf'), pdf('d.pdf')], url);
  assert.match(r.body, /Du kan ladda upp högst tre filer för läkarintyg/);
  assert.equal((await filesOf(t, draft)).length, 0, 'nothing refused is kept');

  // A good certificate with a hostile name, the photo missing: the certificate is kept, the photo asked for.
  r = await j.postMultipart(anna, url, {}, [pdf('../../etc/<script>alert(1)</script>.pdf')], url);
  assert.equal(r.statusCode, 400);
  assert.doesNotMatch(r.body, /<script>alert/);
  assert.match(r.body, /Välj en fil för foto till kortet/);
  let files = await filesOf(t, draft);
  assert.equal(files.length, 1);
  assert.doesNotMatch(files[0]!.filename, /[/\\<>]/);
  assert.ok(blobExists(t, files[0]!.blob_key));
  // Listed with a remove button that names it.
  assert.match(r.body, /value="removeFile:medicalCertificate:[0-9a-f-]{36}"/);

  // "Upload" adds a second certificate and shows the step again.
  r = await j.postMultipart(anna, url, { action: 'uploadFile:medicalCertificate' }, [pdf('intyg-2.pdf')], url);
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `${url}#f-medicalCertificate`);
  files = await filesOf(t, draft);
  assert.equal(files.length, 2);

  // Remove the first: its row, its entry and its blob go.
  const first = files.find((f) => f.filename !== 'intyg-2.pdf')!;
  r = await j.postMultipart(anna, url, { action: `removeFile:medicalCertificate:${first.id}` }, [], url);
  assert.equal(r.statusCode, 303);
  assert.deepEqual((await filesOf(t, draft)).map((f) => f.filename), ['intyg-2.pdf']);
  assert.ok(!blobExists(t, first.blob_key), 'the removed file is gone from the blob store');

  // The photo, then continue.
  r = await j.postMultipart(anna, url, {}, [{ name: 'photo', filename: 'jag.png', type: 'image/png', data: PNG }], url);
  assert.equal(r.statusCode, 303, r.body.slice(0, 600));
  assert.equal(r.headers.location, `/apply/${draft}/contact`);
  r = await j.post(anna, `/apply/${draft}/contact`, { 'address.street': 'Storgatan 1', 'address.postalCode': '12345', 'address.town': 'Norrby', email: 'anna@example.se' }, `/apply/${draft}/contact`);
  assert.equal(r.statusCode, 303, r.body.slice(0, 600));

  const check = await j.get(anna, `/apply/${draft}/check`);
  assert.match(check.body, /intyg-2\.pdf \(2 kB\)/);
  assert.match(check.body, /jag\.png/);

  // Sent twice: one case, its attachments are the draft's files (same blobs), the draft holds none.
  const moved = await filesOf(t, draft);
  r = await j.post(anna, `/apply/${draft}/submit`, {}, `/apply/${draft}/check`);
  assert.equal(r.headers.location, `/apply/${draft}/confirmation`);
  r = await j.post(anna, `/apply/${draft}/submit`, {}, '/my/cases');
  assert.equal(r.headers.location, `/apply/${draft}/confirmation`);
  const cases = (await t.tdb.db.query<{ id: string; answers: Record<string, unknown> }>('SELECT id, answers FROM cases WHERE draft_id = $1', [draft])).rows;
  assert.equal(cases.length, 1);
  const attachments = (await t.tdb.db.query<{ id: string; blob_key: string; filename: string }>('SELECT id, blob_key, filename FROM attachments WHERE case_id = $1 ORDER BY id', [cases[0]!.id])).rows;
  assert.deepEqual(attachments.map((a) => a.id).sort(), moved.map((f) => f.id).sort());
  for (const a of attachments) assert.ok(blobExists(t, a.blob_key));
  assert.equal((await filesOf(t, draft)).length, 0);
  assert.equal((cases[0]!.answers.medicalCertificate as unknown[]).length, 1);

  // The resident downloads it from the case.
  const dl = await j.get(anna, `/my/cases/${cases[0]!.id}/attachments/${attachments[0]!.id}`);
  assert.equal(dl.statusCode, 200);
});

test('multipart is refused to a step that asks no files, and a file in an input the step does not have', async () => {
  const j = journey(t);
  const anna = await signInResident(t, NORRBY, ANNA);
  const draft = await startParking(t, j, anna);
  let r = await j.postMultipart(anna, `/apply/${draft}/mobility`, {}, [pdf()], `/apply/${draft}/mobility`);
  assert.equal(r.statusCode, 400);
  r = await j.postMultipart(anna, `/apply/${draft}/certificate`, {}, [{ ...pdf(), name: 'somethingElse' }], `/apply/${draft}/certificate`);
  assert.equal(r.statusCode, 400);
  // Another person's draft: not found, and nothing of the file kept.
  const before = (await t.tdb.db.query('SELECT count(*)::int AS n FROM draft_files')).rows[0];
  const erik = await signInResident(t, NORRBY, { personalNumber: '199007029813', givenName: 'Erik', familyName: 'Berg' });
  r = await j.postMultipart(erik, `/apply/${draft}/certificate`, {}, [pdf()], '/my/cases');
  assert.equal(r.statusCode, 404);
  assert.deepEqual((await t.tdb.db.query('SELECT count(*)::int AS n FROM draft_files')).rows[0], before);
});

test('the scanner not answering (clamd on a closed port): the file is refused (fail closed), the other answers on the page kept', async () => {
  const j = journey(down);
  const anna = await signInResident(down, NORRBY, ANNA);
  const draft = await startParking(down, j, anna);
  const url = `/apply/${draft}/certificate`;
  const r = await j.postMultipart(anna, url, {}, [pdf()], url);
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /kunde inte tas emot just nu eftersom den inte kan kontrolleras mot virus/);
  assert.equal((await filesOf(down, draft)).length, 0);
  assert.equal(readdirSync(down.config.blobDir).length, 0, 'no blob stored');
});

test('errors are English in English; Söderå offers the service with its own hint', async () => {
  const j = journey(t);
  const anna = await signInResident(t, SODERA, ANNA);
  const start = await j.get(anna, '/services/parkeringstillstand/apply');
  assert.equal(start.statusCode, 303);
  const draft = /^\/apply\/([0-9a-f-]{36})\//.exec(String(start.headers.location))![1]!;
  const page = await j.get(anna, `/apply/${draft}/certificate`);
  assert.match(page.body, /högst två månader gammalt/);
  anna.jar.cookies.set('mb_lang', 'en');
  const url = `/apply/${draft}/certificate`;
  const r = await j.postMultipart(anna, url, {}, [pdf('x.pdf', INFECTED_PDF)], url);
  assert.match(r.body, /The file you selected for medical certificate contains a virus/);
  assert.match(r.body, /Select a file for photo for the card/);
});

test('ten concurrent uploads to a question of three: never more than three kept, no blob without its row', async () => {
  const j = journey(t);
  const anna = await signInResident(t, NORRBY, ANNA);
  const draft = await startParking(t, j, anna);
  const url = `/apply/${draft}/certificate`;
  const page = (await j.get(anna, url)).body;
  const before = new Set(listBlobs(t));
  await Promise.all(Array.from({ length: 10 }, (_, i) => j.postMultipart(anna, url, { action: 'uploadFile:medicalCertificate' }, [pdf(`intyg-${i}.pdf`)], page)));
  const files = (await filesOf(t, draft)).filter((f) => f.field_id === 'medicalCertificate');
  assert.ok(files.length <= 3 && files.length >= 1, `${files.length} files kept`);
  const answer = (await t.tdb.db.query<{ answers: Record<string, unknown[]> }>('SELECT answers FROM drafts WHERE id = $1', [draft])).rows[0]!.answers.medicalCertificate!;
  assert.equal(answer.length, files.length, 'the answer lists exactly the rows');
  const added = listBlobs(t).filter((k) => !before.has(k));
  const named = new Set(files.map((f) => f.blob_key));
  assert.ok(added.length >= 1);
  for (const k of added) assert.ok(named.has(k), `blob ${k} has no row`);
  for (const f of files) assert.ok(blobExists(t, f.blob_key), 'every row has its blob');
});

test('an expired draft is purged with its files: blobs first, then rows', async () => {
  const j = journey(t);
  const anna = await signInResident(t, NORRBY, ANNA);
  const draft = await startParking(t, j, anna);
  const url = `/apply/${draft}/certificate`;
  // (The draft resumed may hold files from the test before; one more at least.)
  await j.postMultipart(anna, url, { action: 'uploadFile:photo' }, [{ name: 'photo', filename: 'jag.png', type: 'image/png', data: PNG }], url);
  const files = await filesOf(t, draft);
  assert.ok(files.length >= 1);
  const later = new Date(Date.parse('2026-11-23T10:00:00Z') + 400 * 86_400_000);
  const n = await purgeExpiredDrafts(t.tdb.db, t.app.blobs, later);
  assert.ok(n >= 1);
  assert.equal((await filesOf(t, draft)).length, 0);
  assert.equal((await t.tdb.db.query('SELECT 1 FROM drafts WHERE id = $1', [draft])).rows.length, 0);
  for (const f of files) assert.ok(!blobExists(t, f.blob_key));
  // Submitted drafts' files are the cases': untouched (the first test's case keeps its attachments).
  const kept = (await t.tdb.db.query<{ blob_key: string }>('SELECT blob_key FROM attachments')).rows;
  for (const a of kept) assert.ok(blobExists(t, a.blob_key));
});

function listBlobs(app: TestApp): string[] {
  const root = app.config.blobDir;
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(root, p));
    }
  };
  walk(root);
  return out;
}

test("the permit's decision: a validity period whose end is after its start", () => {
  const def = t.app.catalogue.service('norrby', 'parkeringstillstand')!;
  const granted = def.decisions!.find((d) => d.outcome === 'approved')!;
  const ctx = { today: '2026-11-23', t: translator('sv'), locale: 'sv' as const, register: () => undefined };
  const c = { answers: {} } as unknown as Case;
  const refused = checkDecisionForm(granted, { validFrom: '2027-01-01', validTo: '2026-12-31', validAs: 'förare' }, c, ctx);
  assert.deepEqual(refused.errors.map((e) => e.field), ['f-validTo'], 'the end before the start is refused at the end');
  assert.deepEqual(checkDecisionForm(granted, { validFrom: '2027-01-01', validTo: '2031-12-31', validAs: 'förare' }, c, ctx).errors, []);
});
