import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { loadConfig, ConfigError } from '../kernel/config.ts';
import { fixedClock } from '../kernel/clock.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { enqueue, OutboxWorker, resolveMailTransport, mailTransportName, SmtpTransport, DevMailboxTransport } from './index.ts';

const t = await createTestDatabase();
after(() => t.drop());

interface Received {
  from: string;
  to: string[];
  data: string;
}

/**
 * A minimal SMTP server on 127.0.0.1 (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), enough for
 * nodemailer. rejectRcpt answers the first n RCPT commands with a temporary failure.
 */
async function startSmtpServer(opts: { rejectRcpt?: number } = {}) {
  const received: Received[] = [];
  let rejectRcpt = opts.rejectRcpt ?? 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setEncoding('latin1'); // bytes as they are: the message must be 7-bit clean anyway
    let buffer = '';
    let inData = false;
    let current: Received = { from: '', to: [], data: '' };
    const reply = (line: string) => socket.write(line + '\r\n');
    reply('220 127.0.0.1 ESMTP test');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            received.push(current);
            current = { from: '', to: [], data: '' };
            reply('250 2.0.0 queued');
          } else {
            current.data += (line.startsWith('..') ? line.slice(1) : line) + '\r\n';
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') reply('250-127.0.0.1\r\n250-8BITMIME\r\n250 SIZE 10000000');
        else if (verb === 'HELO') reply('250 127.0.0.1');
        else if (verb === 'MAIL') {
          current = { from: line.replace(/^MAIL FROM:\s*/i, ''), to: [], data: '' };
          reply('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          if (rejectRcpt > 0) {
            rejectRcpt -= 1;
            reply(`451 4.3.0 ${line.replace(/^RCPT TO:\s*/i, '')} mailbox busy, try later`);
          } else {
            current.to.push(line.replace(/^RCPT TO:\s*/i, ''));
            reply('250 2.1.5 ok');
          }
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 go ahead');
        } else if (verb === 'RSET') {
          current = { from: '', to: [], data: '' };
          reply('250 2.0.0 ok');
        } else if (verb === 'NOOP') reply('250 2.0.0 ok');
        else if (verb === 'QUIT') {
          reply('221 2.0.0 bye');
          socket.end();
        } else reply('502 5.5.2 not implemented');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    received,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Headers (unfolded) and the decoded text body of a single-part message. */
function parseMessage(data: string): { headers: Map<string, string>; body: string } {
  const split = data.indexOf('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of data.slice(0, split).replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const c = line.indexOf(':');
    headers.set(line.slice(0, c).toLowerCase(), line.slice(c + 1).trim());
  }
  const raw = data.slice(split + 4);
  const cte = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  let bytes: Buffer;
  if (cte === 'quoted-printable') bytes = qpDecode(raw.replace(/=\r\n/g, ''));
  else if (cte === 'base64') bytes = Buffer.from(raw.replace(/\s+/g, ''), 'base64');
  else bytes = Buffer.from(raw, 'latin1');
  return { headers, body: bytes.toString('utf8').replace(/\r\n$/, '') };
}

function qpDecode(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '=' && /^[0-9A-F]{2}$/i.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(s.charCodeAt(i));
  }
  return Buffer.from(out);
}

/** RFC 2047 encoded words (=?UTF-8?Q?...?= and =?UTF-8?B?...?=) to text. */
function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_m, _charset: string, enc: string, text: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : qpDecode(text.replace(/_/g, ' ')).toString('utf8'),
  );
}

const subject = 'Beslut i ärende NBY-2026-000123: förskoleplats på Åkerö förskola';
const body = 'Hej Åsa Öberg!\n\nVi har fattat beslut om din ansökan: plats på Ängsbacka förskola från 2027-01-04.\nLäs beslutet på https://norrby.localhost/my/cases/1\n\nMed vänliga hälsningar\nUtbildningsförvaltningen';

function smtpConfig(port: number) {
  return loadConfig({ MEDBORG_ENV: 'test', SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_FROM: 'Norrby kommun <no-reply@norrby.example>' });
}

test(`the SMTP transport delivers subject and body with å, ä and ö intact through the outbox (${t.dialect})`, async () => {
  const server = await startSmtpServer();
  const transport = resolveMailTransport({ config: smtpConfig(server.port), db: t.db, clock: fixedClock('2026-11-23T10:00:00Z'), demo: false });
  try {
    assert.ok(transport instanceof SmtpTransport);
    const clock = fixedClock('2026-11-23T10:00:00Z');
    const id = await tenantScope(t.db, 'norrby').transaction((tx) => enqueue(tx, { kind: 'email', payload: { to: 'asa.oberg@example.se', subject, text: body } }, clock.now()));
    const result = await new OutboxWorker({ db: t.db, transport, clock }).runOnce();
    assert.deepEqual(result, { claimed: 1, sent: 1, failed: 0, gaveUp: 0 });

    assert.equal(server.received.length, 1);
    const m = server.received[0]!;
    assert.equal(m.from, '<no-reply@norrby.example>');
    assert.deepEqual(m.to, ['<asa.oberg@example.se>']);
    const { headers, body: text } = parseMessage(m.data);
    assert.equal(decodeWords(headers.get('subject')!), subject);
    assert.equal(text.replace(/\r\n/g, '\n'), body);
    assert.match(headers.get('content-type')!, /^text\/plain; charset=utf-8$/i);
    assert.equal(headers.get('message-id'), `<${id}.norrby@medborg>`);
    assert.match(headers.get('from')!, /no-reply@norrby\.example/);
    const { rows } = await t.db.query<{ sent: boolean }>('SELECT sent_at IS NOT NULL AS sent FROM outbox WHERE id = $1', [id]);
    assert.equal(rows[0]!.sent, true);
  } finally {
    await transport.close();
    await server.close();
  }
});

test('a temporary SMTP rejection is recorded without the address, and the retry delivers', async () => {
  const server = await startSmtpServer({ rejectRcpt: 1 });
  const transport = new SmtpTransport({ ...smtpConfig(server.port).smtp, host: '127.0.0.1' });
  try {
    const clock = fixedClock('2026-11-23T11:00:00Z');
    const id = await tenantScope(t.db, 'sodera').transaction((tx) => enqueue(tx, { kind: 'email', payload: { to: 'kalle@example.se', subject: 'Åter', text: 'Hej' } }, clock.now()));
    const worker = new OutboxWorker({ db: t.db, transport, clock });
    assert.equal((await worker.runOnce()).failed, 1);
    const { rows } = await t.db.query<{ attempts: number; last_error: string }>('SELECT attempts, last_error FROM outbox WHERE id = $1', [id]);
    assert.equal(rows[0]!.attempts, 1);
    assert.match(rows[0]!.last_error, /451/);
    assert.doesNotMatch(rows[0]!.last_error, /kalle@example\.se/);
    clock.set('2026-11-23T11:05:00Z');
    assert.equal((await worker.runOnce()).sent, 1);
    assert.equal(server.received.length, 1);
  } finally {
    await transport.close();
    await server.close();
  }
});

test('the transport follows the configuration: dev mailbox in demo and development, SMTP when set, none in production', () => {
  const secret = { SESSION_SECRET: 'a-production-secret-of-at-least-32-chars', BASE_URL: 'https://e.norrby.example' };
  const dev = loadConfig({ MEDBORG_ENV: 'development' });
  assert.equal(mailTransportName(dev, false), 'dev-mailbox');
  assert.equal(mailTransportName(loadConfig({ MEDBORG_ENV: 'development', SMTP_HOST: 'smtp.example' }), true), 'dev-mailbox', 'demo never sends real mail');
  assert.equal(mailTransportName(loadConfig({ MEDBORG_ENV: 'production', SMTP_HOST: 'smtp.example', ...secret }), false), 'smtp');
  const prod = loadConfig({ MEDBORG_ENV: 'production', ...secret });
  assert.throws(
    () => resolveMailTransport({ config: prod, db: t.db, clock: fixedClock('2026-01-01T00:00:00Z'), demo: false }),
    (e: unknown) => e instanceof ConfigError && e.variable === 'SMTP_HOST' && /SMTP_HOST/.test(e.message),
  );
  assert.ok(resolveMailTransport({ config: dev, db: t.db, clock: fixedClock('2026-01-01T00:00:00Z'), demo: false }) instanceof DevMailboxTransport);
});
