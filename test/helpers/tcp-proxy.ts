/**
 * A TCP proxy for fault-injection tests, between the application and PostgreSQL. It passes bytes
 * through, holds them (stops forwarding in both directions without closing anything, as a stalled
 * server or network does; new connections are accepted and left waiting), or cuts every open
 * connection (as a restart, a failover or a pooler restart does).
 */
import net from 'node:net';

interface Pair {
  client: net.Socket;
  upstream: net.Socket | undefined;
  /** Bytes that arrived while held, per direction, forwarded in order on pass(). */
  toServer: Buffer[];
  toClient: Buffer[];
}

export interface TcpProxy {
  readonly port: number;
  /** The connection string with host and port replaced by the proxy's. */
  url(databaseUrl: string): string;
  pass(): void;
  hold(): void;
  /** Destroys every open connection; new ones are accepted as the mode says. */
  cut(): void;
  readonly connections: number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let held = false;

  function connectUpstream(pair: Pair): void {
    const upstream = net.connect(target);
    pair.upstream = upstream;
    upstream.on('data', (d: Buffer) => (held ? pair.toClient.push(d) : pair.client.write(d)));
    upstream.on('error', () => pair.client.destroy());
    upstream.on('close', () => {
      pair.client.destroy();
      pairs.delete(pair);
    });
    for (const d of pair.toServer.splice(0)) upstream.write(d);
  }

  function cut(): void {
    for (const pair of pairs) {
      pair.client.destroy();
      pair.upstream?.destroy();
    }
    pairs.clear();
  }

  const server = net.createServer((client) => {
    const pair: Pair = { client, upstream: undefined, toServer: [], toClient: [] };
    pairs.add(pair);
    client.on('data', (d: Buffer) => (held || !pair.upstream ? pair.toServer.push(d) : pair.upstream.write(d)));
    client.on('error', () => pair.upstream?.destroy());
    client.on('close', () => {
      pair.upstream?.destroy();
      pairs.delete(pair);
    });
    if (!held) connectUpstream(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    url(databaseUrl) {
      const u = new URL(databaseUrl);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    pass() {
      held = false;
      for (const pair of pairs) {
        if (!pair.upstream) connectUpstream(pair);
        else for (const d of pair.toServer.splice(0)) pair.upstream.write(d);
        for (const d of pair.toClient.splice(0)) pair.client.write(d);
      }
    },
    hold() {
      held = true;
    },
    cut,
    get connections() {
      return pairs.size;
    },
    async close() {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
