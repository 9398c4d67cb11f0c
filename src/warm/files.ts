// Where warm servers keep their files, what those files say, and how a file's server is known to be alive and the
// user's. Shared by the server (./server.ts) and the control commands (./main.ts); the launcher (./launcher.sh) reads
// and writes the same, and checks a server the same way (without Node: `-O /proc/PID`, `read </proc/PID/environ`).
//
//   <name>.server    "port pid build size", 0600: how to reach the server and which launches it can serve (its
//                    build, and the length of its environment as the launcher counts it)
//   <name>.starting  "pid", written by the launcher that started the server, until the server listens: the next
//                    launches do not start another
//   <name>.status    what --warm-status shows (JSON): build, directories served, instances
//   <name>.log       the server's own log (its instances' lines go to their launches); kept an hour after it exits
//   <hex>.launch     one launch in transit, written by its launcher (0600, exclusively, under a random name) and
//                    deleted by the server that reads it
//   refused          "until reason": the directory was refused; launchers start no server before `until`
//
// <dir> is TF_AWS_WARM_DIR, else $XDG_RUNTIME_DIR (else $TMPDIR, else /tmp)/terraform-provider-aws-ts-<uid>, 0700.
// <name> is random (96 bits). The server runs in <dir> (its working directory) and names its files relative to it.
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, rmSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';

/** The environment variable, first in a warm server's environment, that names it (`TF_AWS_WARM_SERVER=<name>`). */
export const SERVER_NAME_VARIABLE = 'TF_AWS_WARM_SERVER';
export const SERVER_NAME = /^[0-9a-f]{24}$/;
export const LAUNCH_FILE = /^[0-9a-f]{32}\.launch$/;
export const REFUSED_FILE = 'refused';

export function defaultWarmDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TF_AWS_WARM_DIR) return env.TF_AWS_WARM_DIR;
  const base = env.XDG_RUNTIME_DIR || env.TMPDIR || '/tmp';
  return join(base, `terraform-provider-aws-ts-${process.getuid?.() ?? 0}`);
}

export const serverFile = (name: string) => `${name}.server`;
export const startingFile = (name: string) => `${name}.starting`;
export const statusFile = (name: string) => `${name}.status`;
export const logFile = (name: string) => `${name}.log`;

interface ServerFile {
  name: string;
  /** Listening (a .server file) or still starting (only a .starting file). */
  state: 'listening' | 'starting';
  pid: number;
  /** 0 while starting. */
  port: number;
  build?: string;
}

/** The servers a directory names (alive or not): only files the user owns count, and a name once (.server first). */
export function serverFiles(dir: string): ServerFile[] {
  const uid = process.getuid?.();
  const found = new Map<string, ServerFile>();
  for (const file of listDir(dir).sort()) {
    const [name, kind] = splitName(file);
    if (!SERVER_NAME.test(name) || (kind !== 'server' && kind !== 'starting') || found.has(name)) continue;
    const text = readOwnFile(join(dir, file), uid);
    if (text === undefined) continue;
    const fields = text.split('\n')[0]!.trim().split(' ');
    if (kind === 'server') {
      const [port, pid, build] = fields;
      found.set(name, { name, state: 'listening', port: Number(port), pid: Number(pid), build });
    } else {
      found.set(name, { name, state: 'starting', port: 0, pid: Number(fields[0]) });
    }
  }
  return [...found.values()];
}

/**
 * Whether `pid` is the warm server `name`: alive, the user's, and carrying `TF_AWS_WARM_SERVER=<name>` first in the
 * environment it was started with, which only the user (and root) can read. A dead server's pid taken by any other
 * process fails (another user's, one of the user's own, a zombie: its environment reads empty).
 */
export function isWarmServer(pid: number, name: string): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 1 || !SERVER_NAME.test(name)) return false;
  const expected = Buffer.from(`${SERVER_NAME_VARIABLE}=${name}\0`);
  let fd: number | undefined;
  try {
    if (statSync(`/proc/${pid}`).uid !== process.getuid?.()) return false;
    fd = openSync(`/proc/${pid}/environ`, 'r');
    const head = Buffer.alloc(expected.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(expected);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** What a server says of itself in <name>.status, for --warm-status. */
export interface ServerStatus {
  pid: number;
  port: number;
  build: string;
  started: string;
  /** Launches served since it started, and instances running now. */
  launches: number;
  instances: number;
  /** The working directories of its launches, the most recent last (at most 16). */
  directories: string[];
  /** hashicorp/aws children parked for later launches, and their resident memory together. */
  upstream?: { parked: number; rss_mib: number };
  /** Why it takes no more launches, once it does not. */
  retiring?: string;
}

export function readServerStatus(dir: string, name: string): ServerStatus | undefined {
  const text = readOwnFile(join(dir, statusFile(name)), process.getuid?.());
  try {
    return text ? (JSON.parse(text) as ServerStatus) : undefined;
  } catch {
    return undefined;
  }
}

interface Refusal {
  until: number;
  reason: string;
}

/** The directory's refusal, if one was written (expired or not). */
export function readRefusal(dir: string): Refusal | undefined {
  const text = readOwnFile(join(dir, REFUSED_FILE), process.getuid?.());
  const match = text && /^(\d+) (.*)$/.exec(text.split('\n')[0]!);
  return match ? { until: Number(match[1]), reason: match[2]! } : undefined;
}

const STARTING_GRACE_MS = 10_000;
const LAUNCH_FILE_MAX_AGE_MS = 60_000;
const LOG_MAX_AGE_MS = 3_600_000;

/**
 * Remove what no live server accounts for: files of servers that are gone (a .starting file only once its
 * launcher has had time to start the server, `startingGraceMs`), launch files no server read within a minute (their
 * launcher was killed), and logs of servers gone for an hour. Only in a directory of the user's, only the user's files.
 */
export function sweep(dir: string, keep: ReadonlySet<string> = new Set(), startingGraceMs = STARTING_GRACE_MS): string[] {
  const uid = process.getuid?.();
  if (!isOwnDirectory(dir, uid)) return [];
  const now = Date.now();
  const alive = new Set(serverFiles(dir).filter((s) => keep.has(s.name) || isWarmServer(s.pid, s.name)).map((s) => s.name));
  const removed: string[] = [];
  for (const file of listDir(dir)) {
    const [name, kind] = splitName(file);
    const path = join(dir, file);
    const stat = lstatOrUndefined(path);
    if (!stat || stat.uid !== uid) continue;
    const age = now - stat.mtimeMs;
    const stale =
      LAUNCH_FILE.test(file) ? age > LAUNCH_FILE_MAX_AGE_MS
      : !SERVER_NAME.test(name) || alive.has(name) ? false
      : kind === 'server' || kind === 'status' ? true
      : kind === 'starting' ? age >= startingGraceMs
      : kind === 'log' ? age > LOG_MAX_AGE_MS
      : false;
    if (!stale) continue;
    rmSync(path, { force: true });
    removed.push(file);
  }
  return removed;
}

function isOwnDirectory(dir: string, uid = process.getuid?.()): boolean {
  const stat = lstatOrUndefined(dir);
  return !!stat?.isDirectory() && stat.uid === uid;
}

function splitName(file: string): [string, string] {
  const dot = file.indexOf('.');
  return dot < 0 ? [file, ''] : [file.slice(0, dot), file.slice(dot + 1)];
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** A regular file the user owns, read without following a symlink or blocking on a FIFO; else undefined. */
function readOwnFile(path: string, uid: number | undefined): string | undefined {
  const file = openOwnFile(path, uid, 64 * 1024);
  return file && file.content.toString('utf8');
}

interface OwnFile {
  content: Buffer;
  stat: Stats;
}

/**
 * Open `path` without following a symlink (O_NOFOLLOW) or waiting for a FIFO's writer (O_NONBLOCK) and read it whole,
 * if it is a regular file of the user's no larger than `maxBytes`; undefined otherwise. The checks are made on the
 * open file (fstat), so a file swapped in between cannot pass them.
 */
export function openOwnFile(path: string, uid: number | undefined, maxBytes: number): OwnFile | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.uid !== uid || stat.size > maxBytes) return undefined;
    const content = Buffer.alloc(stat.size);
    let read = 0;
    while (read < content.length) {
      const n = readSync(fd, content, read, content.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return { content: content.subarray(0, read), stat };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
