// What the warm-server tests look at: the servers a directory names (bin/lib/main.js --warm-status), their own logs,
// and a private directory per test, whose servers are stopped when the test ends.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { directoryStatus, type ServerStatus } from '../support/warm';

export { directoryStatus, keylessProvider, mainJs, stopServers, warmDir, type ServerStatus } from '../support/warm';

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
