/**
 * A closed-loop HTTP/1.1 load generator: `concurrency` keep-alive connections, each sending its
 * next request as soon as the previous one is answered (as autocannon does; it is not installed
 * here). It writes prebuilt request bytes on plain sockets and reads only the status line, the
 * Content-Length and the Location of each answer, so the client costs little of the CPU it shares
 * with the server on a small machine (node:http cost ~0.26 ms per request here). The application
 * and the bare-Fastify baseline are measured with this same client.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Responses whose status was not the expected one (or that failed). */
  errors: number;
  firstError?: string;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

function encode(r: LoadRequest): Buffer {
  const body = r.body === undefined ? undefined : Buffer.from(r.body);
  const headers = { host: '127.0.0.1', ...r.headers, connection: 'keep-alive', ...(body ? { 'content-length': String(body.length) } : {}) };
  const head = `${r.method} ${r.path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  return body ? Buffer.concat([Buffer.from(head, 'latin1'), body]) : Buffer.from(head, 'latin1');
}

interface Answer {
  status: number;
  location: string | undefined;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection that answers one request at a time. */
class Connection {
  private socket: net.Socket | undefined;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (a: Answer) => void; reject: (e: Error) => void } | undefined;

  constructor(private readonly port: number) {}

  private open(): net.Socket {
    const socket = net.connect({ host: '127.0.0.1', port: this.port, noDelay: true });
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
      this.parse();
    });
    const fail = (e: Error) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.buffered = Buffer.alloc(0);
      const w = this.waiting;
      this.waiting = undefined;
      w?.reject(e);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
    return socket;
  }

  private parse(): void {
    const end = this.buffered.indexOf(HEAD_END);
    if (end === -1 || !this.waiting) return;
    const head = this.buffered.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!length) {
      // Every answer measured here has a length; anything else (chunked) is not expected.
      this.socket?.destroy(new Error(`no Content-Length in answer: ${head.split('\r\n')[0]}`));
      return;
    }
    const total = end + 4 + Number(length[1]);
    if (this.buffered.length < total) return;
    const location = /\r\nlocation:\s*([^\r]*)/i.exec(head)?.[1];
    this.buffered = this.buffered.subarray(total);
    const w = this.waiting;
    this.waiting = undefined;
    if (/\r\nconnection:\s*close/i.test(head)) {
      // The server ends this connection: the next request opens another.
      this.socket?.end();
      this.socket = undefined;
      this.buffered = Buffer.alloc(0);
    }
    w.resolve({ status, location });
  }

  send(request: Buffer): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket ??= this.open();
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket?.removeAllListeners('close');
    this.socket?.destroy();
  }
}

/**
 * Sends every request once (or, with `total`, request i % n until `total`), `concurrency` at a
 * time; `ok` decides whether an answer counts as a success.
 */
export async function runLoad(opts: {
  port: number;
  concurrency: number;
  requests: readonly LoadRequest[];
  total?: number;
  ok: (status: number, location: string | undefined) => boolean;
}): Promise<LoadResult> {
  const total = opts.total ?? opts.requests.length;
  // Encoded before the clock starts: the client's own work is sending and reading, not formatting.
  const encoded = opts.requests.map(encode);
  const latencies = new Float64Array(total);
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const connections: Connection[] = [];
  const started = performance.now();
  async function worker(): Promise<void> {
    const connection = new Connection(opts.port);
    connections.push(connection);
    for (;;) {
      const i = next++;
      if (i >= total) return;
      const k = i % encoded.length;
      const t0 = performance.now();
      try {
        const res = await connection.send(encoded[k]!);
        if (!opts.ok(res.status, res.location)) {
          errors++;
          firstError ??= `${opts.requests[k]!.method} ${opts.requests[k]!.path} → ${res.status} ${res.location ?? ''}`;
        }
      } catch (e) {
        errors++;
        firstError ??= `${opts.requests[k]!.method} ${opts.requests[k]!.path} → ${(e as Error).message}`;
      }
      latencies[i] = performance.now() - t0;
    }
  }
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  for (const c of connections) c.close();
  latencies.sort();
  return {
    requests: total,
    seconds,
    perSecond: total / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies[total - 1] ?? 0,
    errors,
    ...(firstError ? { firstError } : {}),
  };
}
