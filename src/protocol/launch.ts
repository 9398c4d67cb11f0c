// One launch of the provider, as a value: what Terraform started the plugin with. A provider instance reads its
// environment, working directory and Terraform's pid from here and never from the process, because one process may
// serve many launches (a warm server, src/warm/) whose directories differ from its own. Only the entry points build a
// Launch from `process.*`: src/main.ts (a process per launch) and the warm server (one per launch it serves).
import { userInfo } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { Logger } from './log';

/** Environment variables, as a process would see them. */
export type Environment = Readonly<Record<string, string | undefined>>;

export interface Launch {
  /** Terraform's process, which started this launch. */
  terraformPid: number;
  /** Terraform's working directory (after -chdir): where the user's relative paths start. */
  cwd: string;
  env: Environment;
  /** The executable Terraform started (bin/terraform-provider-aws): never taken for hashicorp/aws. */
  executable: string;
  /** Where the launch's log lines go (a process's stderr, or a warm instance's launcher). */
  log: Logger;
}

/** What a path of the launch is relative to. */
export type LaunchPlace = Pick<Launch, 'cwd' | 'env'>;

/** The user's home directory as a process of this launch sees it: $HOME, else the account's. */
export function homeOf({ env }: LaunchPlace): string {
  // os.homedir() would consult the process's own HOME; the account database does not.
  return env.HOME || env.USERPROFILE || userInfo().homedir;
}

/**
 * A path as the user wrote it (in the provider block, a variable, a config file), resolved as a process started in the
 * launch's directory would: `~` and `~/…` from the launch's home (as hashicorp/aws expands them), anything relative
 * from the launch's working directory.
 */
export function pathIn(launch: LaunchPlace, path: string): string {
  if (path === '~') return homeOf(launch);
  if (path.startsWith('~/')) return join(homeOf(launch), path.slice(2));
  return isAbsolute(path) ? path : resolve(launch.cwd, path);
}
