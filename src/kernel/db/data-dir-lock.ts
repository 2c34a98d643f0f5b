/**
 * An exclusive lock on the embedded database's folder. PGlite is a database inside one process:
 * two processes on the same folder each keep their own buffers with nothing between them, so one
 * does not see what the other writes (`medborg staff create` next to a running `serve --demo`
 * "succeeds" unseen) and together they damage the files. A second opener is refused instead.
 *
 * The lock is a file beside the data folder (`<dataDir>.lock`, i.e. `.medborg/pgdata.lock`)
 * created with O_EXCL, holding the owner's pid and host name. A lock whose owner is gone (killed,
 * crashed, or a zombie: exited but not yet reaped by its parent) is taken over; it is removed on close and, failing that, when the process exits.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

export class DatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly lockFile: string,
    readonly pid: number | undefined,
  ) {
    const who = pid === undefined ? 'another process' : pid === process.pid ? `process ${pid} (this process)` : `process ${pid}`;
    super(
      `The embedded database ${dataDir} is in use by ${who}: stop it, or use PostgreSQL (DATABASE_URL) ` +
        `to run several processes on one database. If no such process is running, delete ${lockFile}.`,
    );
    this.name = 'DatabaseInUseError';
  }
}

export interface DataDirLock {
  readonly file: string;
  /** Removes the lock file; safe to call more than once. */
  release(): void;
}

/** Lock files this process holds, removed at exit when nobody closed the database. */
const held = new Set<string>();
let exitHook = false;

interface Owner {
  pid: number | undefined;
  host: string | undefined;
}

function ownerOf(content: string): Owner {
  const [pid, host] = content.split('\n').map((s) => s.trim());
  return { pid: pid && /^\d+$/.test(pid) ? Number(pid) : undefined, host: host || undefined };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A signal reaches a zombie too: a process killed (or exited) whose parent has not reaped it yet
  // still has its pid, but it runs no code and holds no files. Linux tells through /proc.
  return !isZombie(pid);
}

/** Whether /proc says the process has exited and awaits its parent (state Z, or X: being reaped). */
function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false; // no /proc (not Linux): the signal alone decides
  }
  // "pid (comm) state …": comm may itself hold spaces and parentheses, so read after the last ')'.
  const state = stat.slice(stat.lastIndexOf(')') + 1).trim()[0];
  return state === 'Z' || state === 'X';
}

/**
 * Whether the owner is certainly gone. Only a pid on this host can be checked; a lock with our own
 * pid that this process does not hold is left by an earlier process that had the same pid (a
 * container's pid 1 before a restart). Unreadable content may be an owner still writing it.
 */
function isStale(owner: Owner, file: string): boolean {
  if (owner.pid === undefined || owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return !held.has(file);
  return !isAlive(owner.pid);
}

function readLock(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function removeIfOurs(file: string): void {
  try {
    if (ownerOf(readLock(file) ?? '').pid === process.pid) rmSync(file, { force: true });
  } catch {
    // At exit there is nobody to tell; a lock left behind is stale and taken over next time.
  }
}

/** Takes the lock on dataDir, or throws DatabaseInUseError naming the process that holds it. */
export function lockDataDir(dataDir: string): DataDirLock {
  const dir = path.resolve(dataDir);
  const file = `${dir}.lock`;
  mkdirSync(path.dirname(file), { recursive: true });
  // A few rounds: a stale lock is removed and the create retried; another process may win that race.
  for (let round = 0; ; round++) {
    try {
      writeFileSync(file, `${process.pid}\n${hostname()}\n`, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const content = readLock(file);
    if (content === undefined && round < 3) continue; // released in between
    const owner = ownerOf(content ?? '');
    if (round >= 3 || !isStale(owner, file)) throw new DatabaseInUseError(dir, file, owner.pid);
    // Removed only if still the stale owner's: a process that took it over meanwhile keeps it.
    if (readLock(file) === content) rmSync(file, { force: true });
  }
  held.add(file);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const f of held) removeIfOurs(f);
    });
  }
  return {
    file,
    release() {
      if (held.delete(file)) removeIfOurs(file);
    },
  };
}
