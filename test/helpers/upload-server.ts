/**
 * The application on a real port in a process of its own, for tests that measure what a burst of
 * uploads costs the server (test/upload-before-reading.test.ts): its memory is not mixed with the
 * test's. It prepares a resident with a case awaiting a supplement, then answers over IPC:
 * `reset` starts a measurement, `stats` reports it (bytes the server read from its sockets, highest
 * memory seen), `attachments` counts stored files, `close` ends it.
 */
import type { Socket } from 'node:net';
import { createTestApp, csrfFrom, NORRBY } from './app.ts';
import { signInResident, signInStaff } from './sign-in.ts';
import { journey } from './journey.ts';
import { tenantScope } from '../../src/kernel/db/index.ts';

const t = await createTestApp({ demo: true, now: '2026-11-23T10:00:00Z' });
const { get, post, applyForPreschool } = journey(t);
const erik = await signInResident(t, NORRBY, { personalNumber: '199007029813', givenName: 'Erik', familyName: 'Berg' });
const handler = await signInStaff(t, NORRBY, { username: 'upload-hanna', displayName: 'Hanna Handläggare', roles: ['handler'], departments: ['education'] });
const { caseId } = await applyForPreschool(erik, '202309159842');
await post(handler, `/staff/cases/${caseId}/supplement-request`, { body: 'Skicka intyget.' }, `/staff/cases/${caseId}`);
const csrf = csrfFrom((await get(erik, `/my/cases/${caseId}`)).body);

// Bytes read from every socket: those closed since the last reset, plus the open ones now.
const open = new Set<Socket>();
let closedBytes = 0;
t.app.server.on('connection', (socket: Socket) => {
  open.add(socket);
  socket.on('close', () => {
    open.delete(socket);
    closedBytes += socket.bytesRead;
  });
});
const bytesRead = () => closedBytes + [...open].reduce((n, s) => n + s.bytesRead, 0);

// The highest memory seen since the last reset, sampled often (a measurement, not a timing).
let base = { rss: 0, arrayBuffers: 0, bytes: 0 };
let peak = { rss: 0, arrayBuffers: 0 };
const sample = () => {
  const m = process.memoryUsage();
  peak = { rss: Math.max(peak.rss, m.rss), arrayBuffers: Math.max(peak.arrayBuffers, m.arrayBuffers) };
};
setInterval(sample, 2).unref();

await t.app.listen({ host: '127.0.0.1', port: 0 });
const address = t.app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;

process.on('message', async (msg: { cmd: string }) => {
  if (msg.cmd === 'reset') {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    base = { rss: m.rss, arrayBuffers: m.arrayBuffers, bytes: bytesRead() };
    peak = { rss: m.rss, arrayBuffers: m.arrayBuffers };
    process.send!({ cmd: 'reset' });
  } else if (msg.cmd === 'stats') {
    sample();
    process.send!({ cmd: 'stats', bytesRead: bytesRead() - base.bytes, rssRise: peak.rss - base.rss, arrayBuffersRise: peak.arrayBuffers - base.arrayBuffers });
  } else if (msg.cmd === 'attachments') {
    const { rows } = await tenantScope(t.tdb.db, 'norrby').query<{ n: number }>('SELECT count(*)::int AS n FROM attachments WHERE tenant_id = $1 AND case_id = $2', [caseId]);
    process.send!({ cmd: 'attachments', count: rows[0]!.n });
  } else if (msg.cmd === 'close') {
    await t.close();
    process.exit(0);
  }
});

process.send!({ cmd: 'ready', port, host: NORRBY, cookie: erik.jar.header(), csrf, caseId });
