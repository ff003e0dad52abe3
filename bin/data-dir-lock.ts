import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';

/** The file in DATA_DIR that names who holds it: the server (with its ports) or a command. */
export const LOCK_FILE = 'lock.json';

const holderSchema = z.object({
  /** `start` for the server, else the command that opened the files itself (`backfill`, `report`…). */
  command: z.string(),
  pid: z.number(),
  startedAt: z.string(),
  port: z.optional(z.number()),
  dynamoPort: z.optional(z.number()),
});

/** Who holds a DATA_DIR, as its lock file says. */
export type DataDirHolder = z.infer<typeof holderSchema>;

export interface DataDirLock {
  readonly path: string;
  /** Records the ports the server really listens on (port 0 picks one). */
  recordPorts(ports: { port: number; dynamoPort: number }): void;
  /** Removes the lock file, if it still names this process. */
  release(): void;
}

export type LockOutcome =
  | { readonly kind: 'acquired'; readonly lock: DataDirLock; readonly tookOverFrom: DataDirHolder | null }
  | { readonly kind: 'held'; readonly holder: DataDirHolder };

/** True while a process with this id exists (EPERM: it exists, owned by someone else). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function readHolder(path: string): DataDirHolder | null {
  try {
    const parsed = holderSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Takes DATA_DIR for this process, or says who holds it. The file appears whole or not at all (written
 * aside, then hard-linked, which fails when it exists); a lock whose process is gone is taken over.
 */
export function acquireDataDirLock(
  dataDir: string,
  claim: { command: string; port?: number; dynamoPort?: number },
  nowMs: () => number = Date.now,
): LockOutcome {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  let holder: DataDirHolder = {
    command: claim.command,
    pid: process.pid,
    startedAt: new Date(nowMs()).toISOString(),
    ...(claim.port === undefined ? {} : { port: claim.port }),
    ...(claim.dynamoPort === undefined ? {} : { dynamoPort: claim.dynamoPort }),
  };
  const aside = `${path}.${process.pid}`;
  const write = (target: string) => writeFileSync(target, `${JSON.stringify(holder, null, 2)}\n`);
  let tookOverFrom: DataDirHolder | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    write(aside);
    try {
      linkSync(aside, path);
      unlinkSync(aside);
      const lock: DataDirLock = {
        path,
        recordPorts(ports) {
          holder = { ...holder, ...ports };
          write(aside);
          // Replaced whole, so that a reader never sees half a file and takes it for a stale lock.
          renameSync(aside, path);
        },
        release() {
          process.removeListener('exit', lock.release);
          if (readHolder(path)?.pid === process.pid) unlinkSync(path);
        },
      };
      // process.exit() (Ctrl-C in a command) still releases it; a kill -9 leaves a stale lock.
      process.once('exit', lock.release);
      return { kind: 'acquired', lock, tookOverFrom };
    } catch (error) {
      unlinkSync(aside);
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = readHolder(path);
    if (current !== null && isAlive(current.pid)) return { kind: 'held', holder: current };
    tookOverFrom = current ?? tookOverFrom;
    removeIfPresent(path);
  }
  throw new Error(`could not take ${path}: other processes keep replacing it`);
}

/** The live process holding DATA_DIR, as its lock file names it; null when none does. */
export function holderOf(dataDir: string): DataDirHolder | null {
  const holder = readHolder(join(dataDir, LOCK_FILE));
  return holder !== null && isAlive(holder.pid) ? holder : null;
}

/** One line naming a holder: `incident-flow start (pid 4242, port 3000, DynamoDB port 8000, since …)`. */
export function describeHolder(holder: DataDirHolder): string {
  const ports = [
    holder.port === undefined ? null : `port ${holder.port}`,
    holder.dynamoPort === undefined ? null : `DynamoDB port ${holder.dynamoPort}`,
  ].filter((part) => part !== null);
  return `\`incident-flow ${holder.command}\` (pid ${holder.pid}${ports.map((part) => `, ${part}`).join('')}, since ${holder.startedAt})`;
}

/** The one line a command or a second server prints when DATA_DIR is taken. */
export function heldMessage(dataDir: string, holder: DataDirHolder): string {
  return holder.command === 'start'
    ? `${dataDir} is held by another incident-flow server, ${describeHolder(holder)}; stop it, or set DATA_DIR to another directory`
    : `${dataDir} is in use by ${describeHolder(holder)}; try again when it is done`;
}

/** A server refused DATA_DIR: another process holds it. */
export class DataDirHeldError extends Error {
  readonly holder: DataDirHolder;
  constructor(dataDir: string, holder: DataDirHolder) {
    super(heldMessage(dataDir, holder));
    this.holder = holder;
    this.name = 'DataDirHeldError';
  }
}
