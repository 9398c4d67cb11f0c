// The warm servers a test's terraform runs use: a private directory per test whose servers are stopped when the test
// ends, and what bin/lib/main.js --warm-status says of them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { repoRoot } from './paths';
import type { Target } from './terraform';

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
  /** hashicorp/aws children parked for later launches (src/upstream/pool.ts). */
  upstream?: { parked: number; rss_mib: number };
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

