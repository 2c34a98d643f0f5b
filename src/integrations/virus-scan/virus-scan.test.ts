import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, ConfigError } from '../../kernel/config.ts';
import { AppError } from '../../kernel/errors.ts';
import { tenantScope } from '../../kernel/db/index.ts';
import { createTestApp, NORRBY, repoRoot, type TestApp } from '../../../test/helpers/app.ts';
import { signInResident, signInStaff } from '../../../test/helpers/sign-in.ts';
import { journey } from '../../../test/helpers/journey.ts';
import { translator } from '../../kernel/i18n/index.ts';
import '../../cases/ui-messages.ts';
import { ClamdVirusScanner, DemoVirusScanner, EICAR, resolveVirusScanner } from './index.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
// Passes the type check (it starts like a PDF) and carries the EICAR string: only the scanner can refuse it.
const INFECTED_PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(EICAR, 'latin1'), Buffer.from('\n%%EOF\n')]);

test('the demo scanner finds the EICAR test file, wherever it is in the file, and nothing else', async () => {
  const s = new DemoVirusScanner();
  assert.deepEqual(await s.scan(Buffer.from(EICAR, 'latin1')), { clean: false, signature: 'Eicar-Test-Signature' });
  assert.equal((await s.scan(INFECTED_PDF)).clean, false);
  assert.deepEqual(await s.scan(PDF), { clean: true });
  // One character changed is not the test file.
  assert.deepEqual(await s.scan(Buffer.from(EICAR.replace('EICAR', 'EICAX'), 'latin1')), { clean: true });
});

test('the scanner is chosen by VIRUS_SCANNER: demo in demo mode, none otherwise (uploads refused), never demo in production', async () => {
  assert.equal(resolveVirusScanner(loadConfig({ MEDBORG_ENV: 'test' }, repoRoot), true).name, 'demo');
  const none = resolveVirusScanner(loadConfig({ MEDBORG_ENV: 'test' }, repoRoot), false);
  assert.equal(none.name, 'none');
  await assert.rejects(none.scan(PDF), (e: unknown) => e instanceof AppError && e.code === 'VIRUS_SCANNER_UNAVAILABLE');
  assert.equal(resolveVirusScanner(loadConfig({ MEDBORG_ENV: 'test', VIRUS_SCANNER: 'clamd' }, repoRoot), false).name, 'clamd');
  const production = loadConfig({ MEDBORG_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), BASE_URL: 'https://e.norrby.example', VIRUS_SCANNER: 'demo' }, repoRoot);
  assert.throws(() => resolveVirusScanner(production, true), (e: unknown) => e instanceof ConfigError && e.variable === 'VIRUS_SCANNER');
  assert.throws(() => resolveVirusScanner(loadConfig({ MEDBORG_ENV: 'test', VIRUS_SCANNER: 'norton' }, repoRoot), true), /unknown scanner "norton"/);
});

/**
 * A clamd that speaks INSTREAM as ClamAV documents it: "zINSTREAM\0", then chunks each prefixed by
 * its length as a 4-byte big-endian integer, ended by a zero length; it answers after the last chunk.
 * `behaviour` makes it misbehave as a broken or overloaded daemon would.
 */
async function fakeClamd(behaviour: 'scan' | 'silent' | 'garbage' = 'scan'): Promise<{ port: number; received: Buffer[]; close(): Promise<void> }> {
  const received: Buffer[] = [];
  const server = net.createServer((socket) => {
    let buf = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const command = 'zINSTREAM\0';
      if (buf.length < command.length) return;
      assert.equal(buf.subarray(0, command.length).toString(), command);
      let at = command.length;
      const parts: Buffer[] = [];
      for (;;) {
        if (buf.length < at + 4) return;
        const size = buf.readUInt32BE(at);
        if (size === 0) break;
        if (buf.length < at + 4 + size) return;
        parts.push(buf.subarray(at + 4, at + 4 + size));
        at += 4 + size;
      }
      const file = Buffer.concat(parts);
      received.push(file);
      if (behaviour === 'silent') return;
      if (behaviour === 'garbage') return void socket.end('INSTREAM size limit exceeded. ERROR\0');
      socket.end(file.includes(Buffer.from(EICAR, 'latin1')) ? 'stream: Win.Test.EICAR_HDB-1 FOUND\0' : 'stream: OK\0');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, received, close: () => new Promise((r) => server.close(() => r())) };
}

test('clamd: the file is streamed in length-prefixed chunks and the verdict read from the answer', async () => {
  const clamd = await fakeClamd();
  try {
    const s = new ClamdVirusScanner({ host: '127.0.0.1', port: clamd.port, timeoutMs: 5000 });
    // Larger than one chunk, so the framing of several chunks is exercised.
    const big = Buffer.alloc(200 * 1024, 7);
    assert.deepEqual(await s.scan(big), { clean: true });
    assert.ok(clamd.received[0]!.equals(big), 'clamd got the whole file, byte for byte');
    assert.deepEqual(await s.scan(INFECTED_PDF), { clean: false, signature: 'Win.Test.EICAR_HDB-1' });
  } finally {
    await clamd.close();
  }
});

test('clamd that does not answer, answers nonsense or is not there gives no verdict: VIRUS_SCANNER_UNAVAILABLE, never "clean"', async () => {
  const unavailable = (e: unknown) => e instanceof AppError && e.code === 'VIRUS_SCANNER_UNAVAILABLE';
  for (const behaviour of ['silent', 'garbage'] as const) {
    const clamd = await fakeClamd(behaviour);
    try {
      await assert.rejects(new ClamdVirusScanner({ host: '127.0.0.1', port: clamd.port, timeoutMs: 300 }).scan(PDF), unavailable, behaviour);
    } finally {
      await clamd.close();
    }
  }
  const closed = await fakeClamd();
  const port = closed.port;
  await closed.close();
  await assert.rejects(new ClamdVirusScanner({ host: '127.0.0.1', port, timeoutMs: 1000 }).scan(PDF), unavailable, 'connection refused');
});

const apps: TestApp[] = [];
after(() => Promise.all(apps.map((a) => a.close())));

function blobFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true }).map(String).filter((f) => statSync(path.join(dir, f)).isFile());
  } catch {
    return [];
  }
}

/** A case waiting for a supplement from Erik, in an app with the given configuration. */
async function caseAwaitingSupplement(env: Record<string, string> = {}) {
  const t = await createTestApp({ demo: true, now: '2026-11-23T10:00:00Z', env });
  apps.push(t);
  const { post, postMultipart, applyForPreschool } = journey(t);
  const erik = await signInResident(t, NORRBY, { personalNumber: '199007029813', givenName: 'Erik', familyName: 'Berg' });
  const handler = await signInStaff(t, NORRBY, { username: 'scan-hanna', displayName: 'Hanna Handläggare', roles: ['handler'], departments: ['education'] });
  const { caseId } = await applyForPreschool(erik, '202309159842');
  await post(handler, `/staff/cases/${caseId}/supplement-request`, { body: 'Skicka intyget.' }, `/staff/cases/${caseId}`);
  const tdb = tenantScope(t.tdb.db, 'norrby');
  const count = async (sql: string) => Number((await tdb.query<{ n: string }>(sql, [caseId])).rows[0]!.n);
  const send = (files: Buffer[], body: string) =>
    postMultipart(erik, `/my/cases/${caseId}/supplement`, { body }, files.map((data, i) => ({ name: 'files', filename: `intyg-${i}.pdf`, type: 'application/pdf', data })), `/my/cases/${caseId}`);
  return { t, caseId, send, count };
}

test('a supplement with the EICAR file inside a PDF: refused by the scanner before the type check, the text kept, nothing stored', async () => {
  const { t, send, count } = await caseAwaitingSupplement();
  const sv = translator('sv');
  const text = 'Här är läkarintyget och schemat för vecka 12.';
  const r = await send([PDF, INFECTED_PDF], text);
  assert.equal(r.statusCode, 400);
  assert.ok(r.body.includes(sv('my.case.error.fileVirus')), 'the virus message is shown');
  assert.ok(r.body.includes(text), 'the text typed is kept');
  assert.equal(await count('SELECT count(*) AS n FROM attachments WHERE tenant_id = $1 AND case_id = $2'), 0, 'no file row: not even the clean one');
  assert.equal(await count("SELECT count(*) AS n FROM journal WHERE tenant_id = $1 AND case_id = $2 AND kind = 'supplement_received'"), 0);
  assert.deepEqual(blobFiles(t.config.blobDir), [], 'nothing in the blob store');

  // The clean file alone goes through: the case was not harmed by the refusal.
  const ok = await send([PDF], text);
  assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
  assert.equal(await count('SELECT count(*) AS n FROM attachments WHERE tenant_id = $1 AND case_id = $2'), 1);
});

test('no scanner answering: the upload is refused with a message saying why, the text kept, nothing stored', async () => {
  const closed = await fakeClamd();
  const port = String(closed.port);
  await closed.close();
  const { t, send, count } = await caseAwaitingSupplement({ VIRUS_SCANNER: 'clamd', CLAMD_PORT: port, CLAMD_TIMEOUT_MS: '500' });
  const en = translator('en');
  const sv = translator('sv');
  const r = await send([PDF], 'Intyget bifogas.');
  assert.equal(r.statusCode, 400);
  assert.ok(r.body.includes(sv('error.virusScannerUnavailable')) || r.body.includes(en('error.virusScannerUnavailable')));
  assert.ok(r.body.includes('Intyget bifogas.'));
  assert.equal(await count('SELECT count(*) AS n FROM attachments WHERE tenant_id = $1 AND case_id = $2'), 0);
  assert.deepEqual(blobFiles(t.config.blobDir), []);
  // A supplement without files needs no scanner.
  const textOnly = await send([], 'Intyget kommer med posten.');
  assert.equal(textOnly.statusCode, 303);
});
