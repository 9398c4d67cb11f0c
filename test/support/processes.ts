// Processes the tests look at: the provider processes a terraform command launched, whether a pid still runs, and
// a poll for a condition that another process brings about; and a TMPDIR for the processes a test kills.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';

/** The process ids of `bin/terraform-provider-aws` processes descending from `rootPid`. */
export function providerProcesses(rootPid: number): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] }));
  const descendants = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of table) {
      if (descendants.has(p.ppid) && !descendants.has(p.pid)) {
        descendants.add(p.pid);
        grew = true;
      }
    }
  }
  // A warm server a launch started is not that launch's provider process.
  return table
    .filter((p) => p.pid !== rootPid && descendants.has(p.pid) && p.args.includes('terraform-provider-aws') && !p.args.includes('--warm-server'))
    .map((p) => p.pid);
}

// Running, and not a zombie: the provider's own check (the parent watch and the warm server use it).
export { isAlive } from '../../src/protocol/server';

/** A process's command line, arguments separated by spaces ('' once it is gone): what a test checks before it signals. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/**
 * Polls every `everyMs` until `check` holds. No timing assertion: `boundMs` is only a generous bound, so that a
 * broken run ends with the name of what never happened.
 */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, boundMs = 600_000, everyMs = 250): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Rejects after `ms` unless `promise` settles first (the timer does not keep the process alive). */
export function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gave up waiting ${ms / 1000} s for ${what}`)), ms);
    timer.unref();
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

/**
 * A TMPDIR of the test's own, removed at teardown, for the commands whose processes it kills (SIGKILL): a killed
 * provider or warm server leaves its socket directory (tfprovider-*), a killed hashicorp/aws its go-plugin socket
 * (plugin*), and `make test` fails on anything left in its temporary directory (scripts/test-tmpdir.sh).
 */
export function tmpdirForKilled(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'tfkilled-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
