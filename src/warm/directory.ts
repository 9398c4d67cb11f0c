// Whether the directory a warm server runs in is private to the user, and the mark a refused directory keeps.
//
// The server runs in its directory (its working directory: the launcher that started it had entered it), so its own
// files are named relative to the directory it checked. Launchers reach it by its path, so the path must be the
// user's to change: no directory on the way (as the path names it and as it really is) may be another user's, or be
// writable by others without the sticky bit (nor, sticky, hold the next step as another user's), and no symlink on
// the way may be another user's. Root counts as the user. Stats cost microseconds here, so this runs at start, once
// a second and for every launch.
import { lstatSync, realpathSync, renameSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { REFUSED_FILE } from './files';

/** How long launchers start no server after a refusal (they run cold meanwhile). */
const REFUSAL_SECONDS = 60;

/** Why this process's working directory, which launchers reach as `path`, is not private; undefined when it is. */
export function directoryProblem(path: string, uid: number): string | undefined {
  const here = statOrUndefined('.', statSync);
  if (!here?.isDirectory()) return 'the directory is gone';
  if (here.uid !== uid) return 'the directory is not the user\'s';
  if ((here.mode & 0o077) !== 0) return `its mode is ${(here.mode & 0o7777).toString(8).padStart(4, '0')}, not 0700`;
  const named = statOrUndefined(path, statSync);
  if (!named || named.dev !== here.dev || named.ino !== here.ino) return `${path} no longer names the server's directory`;
  let real: string;
  try {
    real = realpathSync.native('.');
  } catch {
    return 'its real path cannot be read';
  }
  return pathProblem(resolve(path), uid) ?? (real === resolve(path) ? undefined : pathProblem(real, uid));
}

/** The first step of an absolute path that another user could change. */
function pathProblem(path: string, uid: number): string | undefined {
  const trusted = (stat: Stats) => stat.uid === uid || stat.uid === 0;
  let current = '/';
  for (const step of path.split('/').filter(Boolean)) {
    const next = join(current, step);
    const dir = statOrUndefined(current, statSync);
    const entry = statOrUndefined(next, lstatSync);
    if (!dir || !entry) return `${next} cannot be read`;
    if (!trusted(dir)) return `${current} is another user's`;
    if ((dir.mode & 0o022) !== 0) {
      if ((dir.mode & 0o1000) === 0) return `${current} can be written by others`;
      if (!trusted(entry)) return `${next} is another user's, in ${current} which others can write to`;
    }
    if (entry.isSymbolicLink() && !trusted(entry)) return `${next} is a symlink of another user's`;
    current = next;
  }
  return undefined;
}

/**
 * Mark the directory (the working directory) refused for REFUSAL_SECONDS, with the reason: launchers then run cold
 * without starting a server that would refuse it again. Written aside exclusively (never through a planted symlink)
 * and renamed over any previous mark.
 */
export function writeRefusal(reason: string): void {
  const until = Math.floor(Date.now() / 1000) + REFUSAL_SECONDS;
  const temporary = `${REFUSED_FILE}.${randomBytes(8).toString('hex')}`;
  try {
    writeFileSync(temporary, `${until} ${reason.replace(/\s+/g, ' ')}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(temporary, REFUSED_FILE);
  } catch {
    // A directory we cannot write to: launchers will try again, as before.
  }
}

function statOrUndefined(path: string, how: typeof statSync | typeof lstatSync): Stats | undefined {
  try {
    return how(path);
  } catch {
    return undefined;
  }
}
