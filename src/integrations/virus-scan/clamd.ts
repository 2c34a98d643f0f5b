/**
 * ClamAV's daemon over TCP with the INSTREAM command: the file is sent in length-prefixed chunks
 * and clamd answers "stream: OK" or "stream: <signature> FOUND". Any other answer, a refused
 * connection or a timeout is "no verdict" (VIRUS_SCANNER_UNAVAILABLE): the file is refused.
 */
import net from 'node:net';
import { AppError } from '../../kernel/errors.ts';
import type { ScanVerdict, VirusScanner } from './base.ts';

export interface ClamdOptions {
  host: string;
  port: number;
  timeoutMs: number;
}

/** clamd's default StreamMaxLength is 25 MB; chunks of 64 KiB keep each write small. */
const CHUNK = 64 * 1024;

export class ClamdVirusScanner implements VirusScanner {
  readonly name = 'clamd';

  constructor(private readonly options: ClamdOptions) {}

  scan(data: Buffer): Promise<ScanVerdict> {
    const { host, port, timeoutMs } = this.options;
    return new Promise<ScanVerdict>((resolve, reject) => {
      const unavailable = (why: string) => reject(new AppError('VIRUS_SCANNER_UNAVAILABLE', `clamd at ${host}:${port}: ${why}`));
      const socket = net.connect({ host, port });
      const chunks: Buffer[] = [];
      let settled = false;
      const finish = (f: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        f();
      };
      const timer = setTimeout(() => finish(() => unavailable(`no answer within ${timeoutMs} ms`)), timeoutMs);
      socket.on('error', (err) => finish(() => unavailable(err.message)));
      socket.on('data', (b: Buffer) => chunks.push(b));
      socket.on('end', () =>
        finish(() => {
          // "z" commands answer NUL-terminated: "stream: OK\0" or "stream: Eicar-Signature FOUND\0".
          const answer = Buffer.concat(chunks).toString('utf8').replace(/\0+$/, '').trim();
          if (/^stream: OK$/.test(answer)) return resolve({ clean: true });
          const found = /^stream: (.+) FOUND$/.exec(answer);
          if (found) return resolve({ clean: false, signature: found[1]! });
          unavailable(`unexpected answer "${answer.slice(0, 200)}"`);
        }),
      );
      socket.on('connect', () => {
        socket.write('zINSTREAM\0');
        for (let i = 0; i < data.length; i += CHUNK) {
          const part = data.subarray(i, i + CHUNK);
          const size = Buffer.alloc(4);
          size.writeUInt32BE(part.length);
          socket.write(size);
          socket.write(part);
        }
        // A zero-length chunk ends the stream.
        socket.write(Buffer.alloc(4));
      });
    });
  }
}
