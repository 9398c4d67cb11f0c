// Where warm servers keep their files, and what those files say. Shared by the server (./server.ts) and the control
// commands (./main.ts); the launcher (./launcher.sh) reads and writes the same.
//
//   <dir>/<name>.server    "port pid proof secret build size" and the working directory on a second line, 0600: how
//                          to reach the server, prove both sides, and which launches it can serve (size: the length of
//                          the environment as the launcher counts it)
//   <dir>/<name>.starting  "pid size build" and the directory, written by the launcher that started the server, until
//                          the server is listening: the next launches do not start another
//   <dir>/<name>.log       the server's own log (its instances' lines go to their launches)
//
// <dir> is TF_AWS_WARM_DIR, else $XDG_RUNTIME_DIR (else $TMPDIR, else /tmp)/terraform-provider-aws-ts-<uid>, 0700.
// <name> is unique per server (the time and the launcher's pid).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function defaultWarmDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TF_AWS_WARM_DIR) return env.TF_AWS_WARM_DIR;
  const base = env.XDG_RUNTIME_DIR || env.TMPDIR || '/tmp';
  return join(base, `terraform-provider-aws-ts-${process.getuid?.() ?? 0}`);
}

export const serverFile = (dir: string, name: string) => join(dir, `${name}.server`);
export const startingFile = (dir: string, name: string) => join(dir, `${name}.starting`);
export const logFile = (dir: string, name: string) => join(dir, `${name}.log`);

export interface ServerRecord {
  name: string;
  port: number;
  pid: number;
}

/** The servers a directory names (alive or not): listening ones, and those still starting (port 0). */
export function listServers(dir: string): ServerRecord[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((file) => {
    if (file.endsWith('.server')) {
      const [port, pid] = firstLine(join(dir, file)).split(' ').map(Number);
      return port && pid ? [{ name: file.slice(0, -'.server'.length), port, pid }] : [];
    }
    if (file.endsWith('.starting')) {
      const [pid] = firstLine(join(dir, file)).split(' ').map(Number);
      return pid ? [{ name: file.slice(0, -'.starting'.length), port: 0, pid }] : [];
    }
    return [];
  });
}

function firstLine(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n')[0].trim();
  } catch {
    return '';
  }
}
