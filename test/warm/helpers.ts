// What the warm-server tests look at: the servers a directory names (bin/lib/main.js --warm-status), their own logs,
// and a private directory per test, whose servers are stopped when the test ends.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { repoRoot } from '../support/paths';
import type { Target } from '../support/terraform';

export const mainJs = join(repoRoot, 'bin', 'lib', 'main.js');

/** A provider block for the endpoint that names no keys (they come from the environment or the shared files); `settings` are more arguments. */
export function keylessProvider(target: Target, settings: string[] = []): string {
  return `provider "aws" {
${settings.map((setting) => `  ${setting}\n`).join('')}  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
    sagemaker = "${target.url}"
    iam       = "${target.url}"
    sts       = "${target.url}"
  }
}
`;
}

export interface ServerStatus {
  name: string;
  /** 0 while it starts. */
  port: number;
  pid: number;
  /** Verified a live warm server of this user (else its files are stale). */
  alive: boolean;
  state: 'listening' | 'starting' | 'retiring' | 'stale';
  build?: string;
  rssMiB?: number;
  instances?: number;
  launches?: number;
  directories?: string[];
}

export interface DirectoryStatus {
  dir: string;
  refused: { until: string; reason: string } | null;
  servers: ServerStatus[];
}

/** A fresh warm-server directory for this test; every server in it is stopped at teardown. */
export function warmDir(t: Test): string {
  const parent = mkdtempSync(join(tmpdir(), 'tfwarm-'));
  const dir = join(parent, 'servers');
  t.teardown(() => {
    stopServers(dir);
    rmSync(parent, { recursive: true, force: true });
  });
  return dir;
}

export function stopServers(dir: string): void {
  execFileSync(process.execPath, [mainJs, '--warm-stop', dir], { stdio: 'ignore', timeout: 30_000 });
}

export function directoryStatus(dir: string): DirectoryStatus {
  return JSON.parse(execFileSync(process.execPath, [mainJs, '--warm-status', dir], { encoding: 'utf8', timeout: 30_000 })) as DirectoryStatus;
}

export function servers(dir: string): ServerStatus[] {
  return directoryStatus(dir).servers;
}

/** Servers that run and listen. */
export function liveServers(dir: string): ServerStatus[] {
  return servers(dir).filter((s) => s.alive && s.state === 'listening');
}

export interface ServerLogLine {
  '@message': string;
  '@module': string;
  /** The server's. */
  pid?: number;
  launch?: number;
  terraform_pid?: number;
  cwd?: string;
  running?: number;
  reason?: string;
}

/** Every line the servers of `dir` logged (their own log files: instances log to their launches). */
export function serverLog(dir: string): ServerLogLine[] {
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.log'));
  } catch {
    return [];
  }
  return names.flatMap((name) =>
    readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as ServerLogLine),
  );
}

export const instancesStarted = (dir: string) => serverLog(dir).filter((l) => l['@message'] === 'instance started');

/** The pid of the server that serves (or served) a launch of this terraform process. */
export const serverOf = (dir: string, terraformPid: number) => instancesStarted(dir).find((l) => l.terraform_pid === terraformPid)?.pid;

// Running, and not a zombie (a killed server whose new parent does not reap it): the provider's own check.
export { isAlive } from '../../src/protocol/server';
