/**
 * Load from wrk (C, one event loop; `apt-get install -y wrk` if missing), one wrk per server at
 * once, each thread sending its share of a request list in turn (bench/lib/wrk-requests.lua). Used
 * by bench:forms and bench:floor, so the two measure the same way.
 */
import { execFileSync, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { combine, parseWrk, wrkRequestFile, type WrkRequest, type WrkResult } from './forms-plan.ts';
import type { RunningServer } from './servers.ts';

const LUA = path.join(path.dirname(fileURLToPath(import.meta.url)), 'wrk-requests.lua');

/** wrk's version line; throws with how to install it when it is missing. */
export function wrkVersion(): string {
  try {
    return execFileSync('wrk', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0]!.trim();
  } catch (e) {
    // wrk --version exits 1 after printing its version.
    const out = String((e as { stdout?: string }).stdout ?? '');
    if (out.startsWith('wrk')) return out.split('\n')[0]!.trim();
    throw new Error('wrk is not installed: apt-get install -y wrk (Debian), or build it from github.com/wg/wrk');
  }
}

export interface WrkLoad {
  duration: number;
  connections: number;
  threads: number;
  /** Where the request files are written. */
  dir: string;
  status: (line: string) => void;
}

/** One wrk per server, at once, each with its share of the requests; their results combined. */
export async function measureWithWrk(label: string, servers: RunningServer[], requests: WrkRequest[], load: WrkLoad): Promise<WrkResult> {
  load.status(`  ${label}: ${load.duration} s, ${servers.length} × ${load.connections} connections`);
  const runs = servers.map(async (server, n) => {
    const file = path.join(load.dir, `${label}-${n}.tsv`);
    // Sessions are shared out among the servers; a list shorter than that (the bare route's one request) goes to each.
    const share = requests.length >= servers.length * load.threads ? requests.filter((_, i) => i % servers.length === n) : requests;
    await writeFile(file, wrkRequestFile(share));
    const wrkArgs = ['-t', String(load.threads), '-c', String(load.connections), '-d', `${load.duration}s`, '--timeout', '10s', '-s', LUA, `http://127.0.0.1:${server.port}`, '--', file, String(load.threads)];
    return new Promise<WrkResult>((resolve, reject) => {
      const child = spawn('wrk', wrkArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(parseWrk(out)) : reject(new Error(`wrk exited ${code}:\n${out}`))));
    });
  });
  return combine(await Promise.all(runs));
}
