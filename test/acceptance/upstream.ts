// The genuine hashicorp/aws 5.100.0 as the delegation tests' upstream, behind a wrapper script that records each
// launch (its pid, which exec keeps), so a test can count launches and find, kill or check the processes.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverUpstream } from '../../src/upstream/discovery';
import { isAlive } from '../support/processes';
import { hashicorpMirror } from '../support/terraform';

export interface CountedUpstream {
  /** TF_AWS_UPSTREAM_PROVIDER and a schema cache of its own (XDG_CACHE_HOME), for a Workspace's environment. */
  env: Record<string, string>;
  /** Pids of every launch so far, oldest first. */
  launches(): number[];
  /** Launched processes still running. */
  running(): number[];
  cleanup(): void;
}

export function countedUpstream(): CountedUpstream {
  const found = discoverUpstream({ env: { TF_AWS_UPSTREAM_PROVIDER: hashicorpMirror() }, cwd: process.cwd(), home: tmpdir(), platform: process.platform, arch: process.arch });
  if (found.kind !== 'found') throw new Error(`no hashicorp/aws binary in ${hashicorpMirror()}`);
  const dir = mkdtempSync(join(tmpdir(), 'tfacc-upstream-'));
  const log = join(dir, 'launches');
  // Named like the real binary, so its version is known from the name.
  const wrapper = join(dir, 'terraform-provider-aws_v5.100.0_x5');
  writeFileSync(wrapper, `#!/bin/sh\necho $$ >> '${log}'\nexec '${found.binary.path}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  const launches = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map(Number) : []);
  return {
    env: { TF_AWS_UPSTREAM_PROVIDER: wrapper, XDG_CACHE_HOME: join(dir, 'cache') },
    launches,
    running: () => launches().filter(isAlive),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The hashicorp/aws child that serves the apply walk: the last one the log shows a launch getting (started, or taken
 * from the pool) before the first ApplyResourceChange it forwarded.
 */
export function childServingTheApply(lines: string[]): number {
  const apply = lines.findIndex((l) => l.includes('@module=provider.upstream') && l.includes('tf_rpc=ApplyResourceChange'));
  const got = lines.slice(0, apply).filter((l) => /upstream handshake:|reusing a parked hashicorp\/aws/.test(l));
  const pid = Number(/\bpid=(\d+)/.exec(got.at(-1) ?? '')?.[1]);
  if (!pid) throw new Error('no hashicorp/aws child named before the apply');
  return pid;
}
