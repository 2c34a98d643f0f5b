/**
 * An upload is judged before it is read: without a session, with a forged CSRF token or longer than
 * the route's limits, it is refused having read almost nothing of it (the connection closes after
 * the answer), so a burst of large anonymous uploads costs the server neither memory nor the time
 * to take them in. Over real HTTP against the app in a process of its own
 * (test/helpers/upload-server.ts), which reports the bytes it read from its sockets and the highest
 * memory it reached. The client streams generated chunks; it never holds a whole body.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { repoRoot } from './helpers/app.ts';
import { TS_IMPORT } from './helpers/ts-import.ts';

const MB = 1024 * 1024;

interface Ready {
  port: number;
  host: string;
  cookie: string;
  csrf: string;
  caseId: string;
}

let server: ChildProcess;
let ready: Ready;

/** Sends a command to the server process and waits for its answer. */
function ask<T extends Record<string, unknown>>(cmd: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (msg: { cmd: string }) => {
      if (msg.cmd !== cmd) return;
      server.off('message', onMessage);
      resolve(msg as unknown as T);
    };
    server.on('message', onMessage);
    server.send({ cmd });
  });
}

before(async () => {
  server = fork(path.join(repoRoot, 'test/helpers/upload-server.ts'), [], { execArgv: ['--import', TS_IMPORT, '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  ready = await new Promise<Ready>((resolve, reject) => {
    server.once('message', (msg) => resolve(msg as Ready));
    server.once('exit', (code) => reject(new Error(`upload server exited with ${code}`)));
  });
});

after(async () => {
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.send({ cmd: 'close' });
  await exited;
});

interface Upload {
  cookie?: string;
  csrf?: string;
  fileBytes: number;
}

/**
 * POSTs a supplement form (token field, text, one PDF of fileBytes) as a browser would, with its
 * Content-Length, writing one reused 64 KiB chunk at a time as the socket takes it. Like a browser,
 * it looks for an answer between chunks and stops sending once one has come (a server that refuses
 * a body it has not read closes the connection after its answer; writing on would only meet a reset).
 */
function upload(u: Upload): Promise<{ status: number; body: string; sent: number }> {
  const boundary = '----medborgburst';
  const head = Buffer.from(
    (u.csrf !== undefined ? `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${u.csrf}\r\n` : '') +
      `--${boundary}\r\nContent-Disposition: form-data; name="body"\r\n\r\nHär är intyget.\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="intyg.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const fileRest = u.fileBytes - '%PDF-1.4\n'.length;
  return new Promise((resolve, reject) => {
    let sent = 0;
    let status: number | undefined;
    const body: Buffer[] = [];
    let settled = false;
    const settle = (e?: Error) => {
      if (settled) return;
      settled = true;
      if (status === undefined) reject(e ?? new Error('no answer'));
      else resolve({ status, body: Buffer.concat(body).toString('utf8'), sent });
    };
    const req = http.request({
      host: '127.0.0.1',
      port: ready.port,
      method: 'POST',
      path: `/my/cases/${ready.caseId}/supplement`,
      agent: false,
      headers: {
        host: ready.host,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': head.length + fileRest + tail.length,
        ...(u.cookie ? { cookie: u.cookie } : {}),
      },
    });
    req.on('response', (res) => {
      status = res.statusCode!;
      res.on('data', (c: Buffer) => body.push(c));
      res.on('end', () => {
        settle();
        req.destroy();
      });
      res.on('error', () => settle());
    });
    // Reset or broken pipe after the answer is what a refusal looks like; before it, a failure.
    req.on('error', (e) => settle(e));
    req.on('close', () => settle());
    const writable = () =>
      new Promise<void>((next) => {
        const go = () => {
          req.off('drain', go);
          req.off('close', go);
          req.off('response', go);
          next();
        };
        req.on('drain', go).on('close', go).on('response', go);
      });
    void (async () => {
      let left = fileRest;
      const stop = () => req.destroyed || status !== undefined;
      sent += head.length;
      if (!req.write(head)) await writable();
      while (left > 0 && !stop()) {
        const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= part.length;
        sent += part.length;
        if (!req.write(part)) await writable();
        // Let an answer that has come be read before writing on.
        else await new Promise(setImmediate);
      }
      if (!stop()) req.end(tail);
    })();
  });
}

const BURST = 8;
// What the server may read of a body it refuses unread: the headers and the first socket reads.
const READ_ALLOWANCE = 1 * MB;

test('8 concurrent anonymous 60 MB uploads: refused having read almost nothing, memory rise under 50 MB', async () => {
  await ask('reset');
  const results = await Promise.all(Array.from({ length: BURST }, () => upload({ csrf: 'forged', fileBytes: 60 * MB })));
  for (const r of results) assert.equal(r.status, 419, r.body.slice(0, 200));
  const stats = await ask<{ bytesRead: number; rssRise: number; arrayBuffersRise: number }>('stats');
  assert.ok(stats.bytesRead < BURST * READ_ALLOWANCE, `the server read ${stats.bytesRead} bytes of ${BURST} × 60 MB`);
  assert.ok(stats.rssRise < 50 * MB, `memory rose by ${(stats.rssRise / MB).toFixed(1)} MB`);
  assert.ok(stats.arrayBuffersRise < 50 * MB, `buffers rose by ${(stats.arrayBuffersRise / MB).toFixed(1)} MB`);
});

test('a signed-in resident with a forged token: refused at the first file, before any of it is read', async () => {
  await ask('reset');
  // 40 MB: within the route's limits for a whole form, so it is the token that refuses it.
  const results = await Promise.all(Array.from({ length: BURST }, () => upload({ cookie: ready.cookie, csrf: 'A'.repeat(ready.csrf.length), fileBytes: 40 * MB })));
  for (const r of results) assert.equal(r.status, 419, r.body.slice(0, 200));
  const stats = await ask<{ bytesRead: number; rssRise: number }>('stats');
  assert.ok(stats.bytesRead < BURST * READ_ALLOWANCE, `the server read ${stats.bytesRead} bytes of ${BURST} × 40 MB`);
  assert.ok(stats.rssRise < 50 * MB, `memory rose by ${(stats.rssRise / MB).toFixed(1)} MB`);
  // Without any token at all, the same.
  const none = await upload({ cookie: ready.cookie, fileBytes: 40 * MB });
  assert.equal(none.status, 419);
  assert.equal((await ask<{ count: number }>('attachments')).count, 0);
});

test('a valid upload over the limits: 60 MB is refused unread; a file just over its limit gets the form’s message', async () => {
  await ask('reset');
  const huge = await upload({ cookie: ready.cookie, csrf: ready.csrf, fileBytes: 60 * MB });
  assert.equal(huge.status, 413, huge.body.slice(0, 200));
  assert.match(huge.body, /<html lang="sv"/);
  let stats = await ask<{ bytesRead: number }>('stats');
  assert.ok(stats.bytesRead < READ_ALLOWANCE, `the server read ${stats.bytesRead} bytes of 60 MB`);

  // 11 MB, within what a whole form may be: read (and past 10 MB thrown away) so that the
  // resident sees why, on the form, with the text kept.
  await ask('reset');
  const over = await upload({ cookie: ready.cookie, csrf: ready.csrf, fileBytes: 11 * MB });
  assert.equal(over.status, 400, over.body.slice(0, 200));
  assert.match(over.body, /Här är intyget\./);
  assert.match(over.body, /f-files-error/);
  stats = await ask<{ bytesRead: number }>('stats');
  assert.ok(stats.bytesRead < 12 * MB, `the server read ${stats.bytesRead} bytes`);
  assert.equal((await ask<{ count: number }>('attachments')).count, 0);

  // And a file within the limit is stored, over the same real connection handling.
  const fine = await upload({ cookie: ready.cookie, csrf: ready.csrf, fileBytes: 2 * MB });
  assert.equal(fine.status, 303, fine.body.slice(0, 200));
  assert.equal((await ask<{ count: number }>('attachments')).count, 1);
});
