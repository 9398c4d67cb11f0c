// hashicorp/aws children kept between launches by a warm server (src/warm/), so that a command does not start the
// Go binary again (~0.5 s of CPU and ~570 MiB at its peak) each time one of its 3-5 launches needs a delegated type.
//
// When a launch ends well, its child is parked here instead of being shut down, under keys that say what makes it
// equivalent to a fresh child: an unconfigured one by its binary, environment and working directory (`baseKey`); a
// configured one also by the exact ConfigureProvider request it received and the identity of every file hashicorp/aws
// read when it was configured (`configuredKey`). A later launch takes a child only when its own keys are the same;
// anything else starts a fresh child. Which children may be parked at all (not one that received StopProvider, failed
// a call, was busy or whose credentials would have been resolved anew) is decided by their owner (./upstream.ts).
//
// Parked children are bounded in number and in resident memory together (the oldest go first), each is shut down
// once it has been parked for the server's idle time, and all of them die with the server (process.ts ties a
// child's life to ours).
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import type { Environment } from '../protocol/launch';
import type { Logger } from '../protocol/log';

export interface PoolSettings {
  /** At most this many parked children (0: none is ever parked). */
  maxChildren: number;
  /** And at most this much resident memory, all parked children together. */
  maxRssBytes: number;
  /** A child parked this long without being taken is shut down. */
  idleMs: number;
  /** Where parked children's output goes (they are idle: little comes). */
  log: Logger;
}

/** What a child is, as far as reusing it goes. */
export interface ReuseKeys {
  base: string;
  /** Set once it has been configured (and may be reused as configured). */
  configured?: string;
}

/** What the pool needs of a child (an upstream Session). */
export interface Parkable {
  readonly pid: number | undefined;
  readonly alive: boolean;
  readonly keys: ReuseKeys;
  readonly exited: Promise<unknown>;
  residentBytes(): number | undefined;
  logTo(log: Logger): void;
  close(): Promise<void>;
}

interface Entry<T> {
  child: T;
  rssBytes: number;
  expiry: NodeJS.Timeout;
}

export class UpstreamPool<T extends Parkable> {
  /** Oldest first. */
  private readonly entries: Entry<T>[] = [];

  constructor(private readonly settings: PoolSettings) {}

  /**
   * A parked child for a launch: with `configured`, the child configured under that key, else one of the same base
   * that was never configured (its taker configures it); without, only an unconfigured one. Undefined when none fits.
   */
  take(base: string, configured?: string): T | undefined {
    const alive = this.entries.filter((entry) => entry.child.alive && entry.child.keys.base === base);
    const entry =
      (configured !== undefined ? alive.find((e) => e.child.keys.configured === configured) : undefined) ??
      alive.find((e) => e.child.keys.configured === undefined);
    if (!entry) return undefined;
    this.remove(entry);
    return entry.child;
  }

  /** Keep a child for a later launch; false (the child is left to its owner) when it cannot be kept. */
  park(child: T): boolean {
    const { maxChildren, maxRssBytes, idleMs, log } = this.settings;
    const rssBytes = child.residentBytes() ?? 0;
    if (!child.alive || maxChildren < 1 || rssBytes > maxRssBytes) return false;
    child.logTo(log);
    const entry: Entry<T> = { child, rssBytes, expiry: setTimeout(() => this.retire(entry, 'parked for the idle time'), idleMs).unref() };
    this.entries.push(entry);
    void child.exited.then(() => this.remove(entry));
    // The oldest make room.
    while (this.entries.length > maxChildren || this.rssBytes() > maxRssBytes) this.retire(this.entries[0]!, 'making room');
    return true;
  }

  /** Shut every parked child down (the server is retiring or exiting). */
  clear(reason: string): void {
    for (const entry of [...this.entries]) this.retire(entry, reason);
  }

  /** For the server's status: how many are parked and their resident memory together. */
  status(): { parked: number; rss_mib: number } {
    return { parked: this.entries.length, rss_mib: Math.round(this.rssBytes() / (1 << 20)) };
  }

  private rssBytes(): number {
    return this.entries.reduce((sum, entry) => sum + entry.rssBytes, 0);
  }

  private retire(entry: Entry<T>, reason: string): void {
    if (!this.remove(entry)) return;
    this.settings.log.debug('parked hashicorp/aws shut down', { pid: entry.child.pid, reason });
    void entry.child.close();
  }

  private remove(entry: Entry<T>): boolean {
    const index = this.entries.indexOf(entry);
    if (index < 0) return false;
    this.entries.splice(index, 1);
    clearTimeout(entry.expiry);
    return true;
  }
}

/**
 * What makes two unconfigured children alike: the same binary (path, size, times, inode), the environment it is given
 * (but the client certificate, which is ours and new for each child) and the working directory it runs in: the same
 * directory, not only the same path (a child keeps its directory open: one removed and made again at the same path is
 * another, in which the child would find nothing). Not the directory's times, which each command changes.
 */
export function baseKey(binary: string, env: Environment, cwd: string, ownVariables: readonly string[]): string {
  const variables = Object.entries(env)
    .filter(([name, value]) => value !== undefined && !ownVariables.includes(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return digest(['base', fileIdentity(binary), directoryIdentity(cwd), JSON.stringify(variables)]);
}

/**
 * What makes two configured children alike, besides their base: the exact (encoded) ConfigureProvider request, and
 * the identity of every file hashicorp/aws reads when it is configured, as it is now (a missing file counts too: one
 * that appears changes the key).
 */
export function configuredKey(base: string, request: Buffer, files: readonly string[]): string {
  return digest(['configured', base, request.toString('base64'), ...files.map((file) => `${file}\0${fileIdentity(file)}`)]);
}

/**
 * A file as it is now, without reading it: where it resolves to, its device, inode, size, and modification and change
 * times to the nanosecond (a rewrite, a rename over it, `touch -d` or a chmod all change the change time).
 */
export function fileIdentity(path: string): string {
  try {
    const stat = statSync(path, { bigint: true });
    return [realpathSync(path), stat.dev, stat.ino, stat.size, stat.mtimeNs, stat.ctimeNs].join(':');
  } catch (err) {
    return `unreadable:${(err as NodeJS.ErrnoException).code ?? 'error'}`;
  }
}

/** A directory as itself: its path, where it resolves to, its device and inode. */
function directoryIdentity(path: string): string {
  try {
    const stat = statSync(path, { bigint: true });
    return [path, realpathSync(path), stat.dev, stat.ino].join(':');
  } catch (err) {
    return `${path}:unreadable:${(err as NodeJS.ErrnoException).code ?? 'error'}`;
  }
}

/** A process's resident memory in bytes (Linux), or undefined. */
export function residentBytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Number(kib) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function digest(parts: string[]): string {
  return createHash('sha256').update(parts.join('\0\0')).digest('hex');
}
