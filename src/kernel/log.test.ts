/** No personal identity number reaches a log line, whatever is logged; everything else survives. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { createTestApp, NORRBY } from '../../test/helpers/app.ts';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { uuidv7 } from './ids.ts';
import { tenantScope } from './db/index.ts';
import { loggerOptions, maskPins } from './log.ts';

const PIN = '198803149825';
const FORMS = [PIN, '8803149825', '19880314-9825', '880314-9825', '880314+9825'];

/** A stream that keeps what pino writes, one parsed line per entry. */
class MemoryLog extends Writable {
  readonly text: string[] = [];
  override _write(chunk: Buffer | string, _enc: string, done: () => void): void {
    this.text.push(chunk.toString());
    done();
  }
  all(): string {
    return this.text.join('');
  }
  lines(): Record<string, unknown>[] {
    return this.all().trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

/** The application's logger configuration on a bare Fastify instance. */
function logged(): { log: ReturnType<typeof Fastify>['log']; out: MemoryLog } {
  const out = new MemoryLog();
  const app = Fastify({ logger: loggerOptions('info', out) });
  return { log: app.log, out };
}

function assertNoPin(text: string): void {
  for (const form of FORMS) assert.ok(!text.includes(form), `${form} is in the log: ${text}`);
}

test('maskPins masks every written form of a personal identity number', () => {
  for (const form of FORMS) assert.equal(maskPins(`pnr ${form}.`), 'pnr [personnummer].');
  assert.equal(maskPins('(…198803149825…)'), '(…[personnummer]…)');
  assert.equal(maskPins('Key (tenant_id, personal_number)=(norrby, 198803149825) already exists.'), 'Key (tenant_id, personal_number)=(norrby, [personnummer]) already exists.');
  // A co-ordination number (day + 60) is masked too.
  assert.equal(maskPins('198803749825'), '[personnummer]');
});

test('maskPins leaves UUIDs, timestamps, case references and other numbers alone', () => {
  for (const kept of [
    '550e8400-e29b-41d4-a716-446655440000',
    '01900000-0000-7000-8000-198803149825', // a UUID whose last group reads as a PIN
    '19880314-9825-4abc-a716-446655440000', // a UUID whose first groups read as one
    '2026-11-23T10:00:00.000Z',
    '2026-12-01 21:40:15.255+00',
    '1763891234', // epoch seconds
    '1763891234567', // epoch milliseconds
    'FSK-2026-000123',
    'FSK-2026-198803',
    '1988031498250', // thirteen digits
    '556677-8899', // an organisation number (month 66)
    'ABC198803149825',
  ]) {
    assert.equal(maskPins(kept), kept);
  }
});

test('a PIN in an error message, detail, stack, nested cause and the message string is masked', async () => {
  const { log, out } = logged();
  const cause = Object.assign(new Error('lookup of 880314-9825 failed'), { detail: `Failing row contains (norrby, ${PIN}, null).`, code: '23502' });
  const err = Object.assign(new Error(`could not register 19880314-9825`, { cause }), { detail: `Key (personal_number)=(${PIN}) already exists.` });
  log.error({ err }, `unhandled error for ${PIN}`);
  log.error(err); // pino takes the message from the error
  log.info('resident %s signed in', '880314+9825'); // interpolated
  await new Promise((r) => setImmediate(r));
  assertNoPin(out.all());
  const [first, second, third] = out.lines() as { err: Record<string, unknown> & { cause: Record<string, unknown> }; msg: string }[];
  assert.equal(first!.msg, 'unhandled error for [personnummer]');
  assert.equal(first!.err.message, 'could not register [personnummer]');
  assert.match(first!.err.stack as string, /^Error: could not register \[personnummer\]\n/);
  assert.equal(first!.err.detail, 'Key (personal_number)=([personnummer]) already exists.');
  assert.equal(first!.err.type, 'Error');
  assert.equal(first!.err.cause.message, 'lookup of [personnummer] failed');
  assert.equal(first!.err.cause.detail, 'Failing row contains (norrby, [personnummer], null).');
  assert.equal(first!.err.cause.code, '23502');
  assert.equal(second!.msg, 'could not register [personnummer]');
  assert.equal(third!.msg, 'resident [personnummer] signed in');
});

test("a database error's detail (the failing row) is masked", async () => {
  const tdb = await createTestDatabase();
  try {
    const err = await tenantScope(tdb.db, 'norrby')
      .query('INSERT INTO residents (tenant_id, id, personal_number, given_name, family_name) VALUES ($1, $2, $3, NULL, $4)', [uuidv7(), PIN, 'Berg'])
      .then(() => assert.fail('the insert should fail'), (e: unknown) => e as Error & { detail?: string });
    assert.ok(err.detail?.includes(PIN), 'the database quotes the row in the detail');
    const { log, out } = logged();
    log.error({ err }, 'unhandled error');
    log.error({ err: new Error('could not store the resident', { cause: err }) }, 'unhandled error');
    await new Promise((r) => setImmediate(r));
    assertNoPin(out.all());
    const [direct, wrapped] = out.lines() as { err: { detail: string; cause: { detail: string } } }[];
    const row = /^Failing row contains \(norrby, [0-9a-f-]{36}, \[personnummer\], null, Berg/;
    assert.match(direct!.err.detail, row);
    assert.match(wrapped!.err.cause.detail, row);
  } finally {
    await tdb.drop();
  }
});

test('a PIN in any field of the logged object is masked, at any depth within the bounds', async () => {
  const { log, out } = logged();
  const circular: Record<string, unknown> = { name: 'loop' };
  circular.self = circular;
  log.info({
    form: { answers: [{ child: { pnr: '880314-9825', notes: [`sibling ${PIN}`] } }] },
    asNumber: 198803149825,
    [`by-${PIN}`]: true,
    circular,
    deep: { a: { b: { c: { d: { e: { f: { g: PIN } } } } } } },
    wide: Array.from({ length: 500 }, () => PIN),
  }, 'form saved');
  await new Promise((r) => setImmediate(r));
  assertNoPin(out.all());
  const [line] = out.lines() as Record<string, unknown>[];
  assert.deepEqual(line!.form, { answers: [{ child: { pnr: '[personnummer]', notes: ['sibling [personnummer]'] } }] });
  assert.equal(line!.asNumber, '[personnummer]');
  assert.equal(line!['by-[personnummer]'], true);
  assert.deepEqual(line!.circular, { name: 'loop', self: '[Circular]' });
  // Beyond the bounds values are replaced, never written unmasked.
  assert.match(JSON.stringify(line!.deep), /"\[Object\]"/);
  assert.equal((line!.wide as string[]).length, 101);
  assert.equal((line!.wide as string[]).at(-1), '[400 more]');
});

test('numbers that are no PIN survive in fields and messages', async () => {
  const { log, out } = logged();
  const fields = {
    caseReference: 'FSK-2026-000123',
    caseId: '550e8400-e29b-41d4-a716-446655440000',
    at: '2026-11-23T10:00:00.000Z',
    when: new Date('2026-11-23T10:00:00Z'),
    epoch: 1763891234,
    ms: 1763891234567,
    count: 42,
    orgNumber: '556677-8899',
  };
  log.info(fields, 'case FSK-2026-000123 (550e8400-e29b-41d4-a716-446655440000) at 2026-11-23T10:00:00.000Z');
  await new Promise((r) => setImmediate(r));
  const [line] = out.lines();
  for (const [key, value] of Object.entries({ ...fields, when: '2026-11-23T10:00:00.000Z' })) assert.deepEqual(line![key], value, key);
  assert.equal(line!.msg, 'case FSK-2026-000123 (550e8400-e29b-41d4-a716-446655440000) at 2026-11-23T10:00:00.000Z');
});

test('one access line per request: method, route, url (PIN masked), status, time, request id, tenant', async () => {
  const out = new MemoryLog();
  const t = await createTestApp({ logStream: out });
  try {
    const r = await t.app.inject({ method: 'GET', url: `/?pnr=${PIN}`, headers: { host: NORRBY } });
    assert.equal(r.statusCode, 200);
    const missing = await t.app.inject({ method: 'GET', url: '/no-such-page', headers: { host: NORRBY } });
    assert.equal(missing.statusCode, 404);
  } finally {
    await t.close();
  }
  assertNoPin(out.all());
  type Line = { reqId?: string; msg?: string; method?: string; route?: string; url?: string; status?: number; ms?: number; tenant?: string };
  const lines = out.lines() as Line[];
  // Fastify's "incoming request" line is not written: the one line says it all.
  assert.equal(lines.filter((l) => l.msg === 'incoming request').length, 0, out.all());
  const completed = lines.filter((l) => l.msg === 'request completed');
  assert.equal(completed.length, 2, out.all());
  const [home, notFound] = completed as [Line, Line];
  assert.match(home.reqId!, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(home.method, 'GET');
  assert.equal(home.route, '/');
  assert.equal(home.url, '/?pnr=[personnummer]');
  assert.equal(home.status, 200);
  assert.equal(typeof home.ms, 'number');
  assert.ok(home.ms! >= 0);
  assert.equal(home.tenant, 'norrby');
  assert.notEqual(notFound.reqId, home.reqId);
  assert.equal(notFound.status, 404);
  assert.equal(notFound.url, '/no-such-page');
  assert.equal(notFound.tenant, 'norrby');
});

test('an error thrown in a route is logged with the request id and masked', async () => {
  const out = new MemoryLog();
  const app = Fastify({ logger: loggerOptions('info', out), genReqId: () => 'req-1' });
  app.get('/boom', async () => {
    throw Object.assign(new Error(`no resident ${PIN}`), { detail: `Failing row contains (${PIN}).` });
  });
  const r = await app.inject({ method: 'GET', url: '/boom' });
  assert.equal(r.statusCode, 500);
  await app.close();
  assertNoPin(out.all());
  const line = (out.lines() as { reqId?: string; err?: { message: string; detail: string } }[]).find((l) => l.err);
  assert.equal(line?.reqId, 'req-1');
  assert.equal(line?.err?.message, 'no resident [personnummer]');
  assert.equal(line?.err?.detail, 'Failing row contains ([personnummer]).');
});
