/**
 * Where the CPU went during a load run, from /proc (Linux): the CPU time of the server process,
 * of this process (the load generator), of every PostgreSQL process, and of the machine (with
 * idle and steal). On a 2-core VM the three share the cores, so a figure per request tells more
 * than a profile: a profile counts the time a process spends preempted inside a syscall as its own.
 * Elsewhere (no /proc) the snapshot is empty and the breakdown says so.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on every Linux Node supports

interface Snapshot {
  at: number;
  procs: Map<number, { comm: string; ticks: number }>;
  machine: { busy: number; idle: number; steal: number } | undefined;
}

function readProc(pid: number): { comm: string; ticks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    // Fields 14 and 15 (utime, stime) are at 11 and 12 after the state field.
    return { comm, ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return undefined;
  }
}

export function cpuSnapshot(): Snapshot {
  const procs = new Map<number, { comm: string; ticks: number }>();
  let machine: Snapshot['machine'];
  try {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const p = readProc(Number(name));
      if (p) procs.set(Number(name), p);
    }
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = cpu;
    machine = { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal };
  } catch {
    // not Linux
  }
  return { at: performance.now(), procs, machine };
}

export interface CpuBreakdown {
  /** CPU milliseconds per request, by who spent them. */
  server_ms: number;
  postgres_ms: number;
  client_ms: number;
  other_ms: number;
  /** Share of the machine's time over the run. */
  machine_busy: number;
  machine_idle: number;
  machine_steal: number;
}

export function cpuBreakdown(before: Snapshot, after: Snapshot, serverPid: number, requests: number): CpuBreakdown | undefined {
  if (!before.machine || !after.machine || requests === 0) return undefined;
  let server = 0;
  let postgres = 0;
  let client = 0;
  let other = 0;
  for (const [pid, p] of after.procs) {
    const spent = p.ticks - (before.procs.get(pid)?.comm === p.comm ? before.procs.get(pid)!.ticks : 0);
    if (spent <= 0) continue;
    if (pid === serverPid) server += spent;
    // wrk (bench:forms) is the client too.
    else if (pid === process.pid || p.comm === 'wrk') client += spent;
    else if (p.comm === 'postgres') postgres += spent;
    else other += spent;
  }
  const busy = after.machine.busy - before.machine.busy;
  const idle = after.machine.idle - before.machine.idle;
  const steal = after.machine.steal - before.machine.steal;
  const all = busy + idle + steal || 1;
  const per = (ticks: number) => +((ticks * TICK_MS) / requests).toFixed(3);
  return {
    server_ms: per(server),
    postgres_ms: per(postgres),
    client_ms: per(client),
    other_ms: per(other),
    machine_busy: +(busy / all).toFixed(3),
    machine_idle: +(idle / all).toFixed(3),
    machine_steal: +(steal / all).toFixed(3),
  };
}
