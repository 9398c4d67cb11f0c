// Where warm servers keep their files, and what those files say. Shared by the server (./server.ts) and the control
// commands (./control.ts); the launcher (./launcher.sh) reads the same names.
//
//   <dir>/<key>.server   "port pid server-proof client-secret", 0600: how to reach the server and prove both sides
//   <dir>/<key>.lock     the pid of the server that owns <key> (or is starting to)
//   <dir>/<key>.log      the server's own log (its instances' lines go to their launches)
//
// <dir> is TF_AWS_WARM_DIR, else $XDG_RUNTIME_DIR (else $TMPDIR, else /tmp)/terraform-provider-aws-ts-<uid>, 0700.
// <key> is the sha256 of the build, the working directory and the launch environment (./launcher.sh).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function defaultWarmDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TF_AWS_WARM_DIR) return env.TF_AWS_WARM_DIR;
  const base = env.XDG_RUNTIME_DIR || env.TMPDIR || '/tmp';
  return join(base, `terraform-provider-aws-ts-${process.getuid?.() ?? 0}`);
}

export const serverFile = (dir: string, key: string) => join(dir, `${key}.server`);
export const lockFile = (dir: string, key: string) => join(dir, `${key}.lock`);
export const logFile = (dir: string, key: string) => join(dir, `${key}.log`);

export interface ServerRecord {
  key: string;
  port: number;
  pid: number;
}

/** The servers a directory names (alive or not). */
export function listServers(dir: string): ServerRecord[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.server'))
    .flatMap((name) => {
      const key = name.slice(0, -'.server'.length);
      const [port, pid] = readText(join(dir, name)).split(' ').map(Number);
      return port && pid ? [{ key, port, pid }] : [];
    });
}

/** The pid a lock file names, or undefined. */
export function lockHolder(path: string): number | undefined {
  const pid = Number.parseInt(readText(path), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}
