// What the provider can read of the Terraform run it serves: Terraform starts it in its own working directory
// (after -chdir), so the configuration Terraform loaded, its local state and its command line are all at hand.
// Used only to say things about the run (which schemas it can need, which types are missing), never to change
// what an RPC does.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import type { Environment, Launch } from '../protocol/launch';

export interface TextFile {
  path: string;
  text: string;
}

export interface RunContext {
  cwd: string;
  env: Environment;
  /** Terraform's command line (argv), or undefined when it cannot be read or the parent is not Terraform. */
  command: string[] | undefined;
}

/** The run a launch serves: its Terraform's directory, environment and command line. */
export function runOf(launch: Pick<Launch, 'terraformPid' | 'cwd' | 'env'>): RunContext {
  return { cwd: launch.cwd, env: launch.env, command: parentCommand(launch.terraformPid) };
}

/**
 * The configuration files Terraform loads: the root module's *.tf and *.tf.json (overrides included), and those
 * of every module `terraform init` installed (.terraform/modules/modules.json lists them, local ones too).
 */
export function configurationFiles({ cwd, env }: RunContext): TextFile[] {
  const dirs = [cwd, ...installedModuleDirs(cwd, env)];
  return [...new Set(dirs.map((d) => resolve(cwd, d)))].flatMap((dir) =>
    listDir(dir)
      .filter((name) => name.endsWith('.tf') || name.endsWith('.tf.json'))
      .flatMap((name) => readText(join(dir, name))),
  );
}

function installedModuleDirs(cwd: string, env: Environment): string[] {
  const manifest = readText(join(resolve(cwd, env.TF_DATA_DIR || '.terraform'), 'modules', 'modules.json'))[0];
  if (!manifest) return [];
  try {
    const modules = (JSON.parse(manifest.text) as { Modules?: { Dir?: unknown }[] }).Modules ?? [];
    return modules.map((m) => m.Dir).filter((dir): dir is string => typeof dir === 'string');
  } catch {
    return [];
  }
}

/**
 * The state files Terraform may read, when the state is local in its default place: terraform.tfstate and every
 * workspace's terraform.tfstate.d/<name>/terraform.tfstate. Undefined when the state lives elsewhere or cannot be
 * located for certain: a backend or cloud block in the configuration (even a local backend, which may move it),
 * a backend recorded by `terraform init`, or state-path flags on Terraform's command line.
 */
export function localStateFiles(run: RunContext, configuration: TextFile[]): TextFile[] | undefined {
  if (configuration.some((file) => declaresBackend(file))) return undefined;
  const recorded = readText(join(resolve(run.cwd, run.env.TF_DATA_DIR || '.terraform'), 'terraform.tfstate'))[0];
  if (recorded && /"backend"\s*:\s*\{/.test(recorded.text)) return undefined;
  if (commandWords(run).some((word) => /^--?(state|state-out|backup)(=|$)/.test(word))) return undefined;
  const workspaces = join(run.cwd, 'terraform.tfstate.d');
  return [
    ...readText(join(run.cwd, 'terraform.tfstate')),
    ...listDir(workspaces).flatMap((name) => readText(join(workspaces, name, 'terraform.tfstate'))),
  ];
}

/** A backend or cloud block anywhere in the file (in a comment too: reading too much only costs speed). */
function declaresBackend(file: TextFile): boolean {
  if (file.path.endsWith('.json')) return /"(backend|cloud)"\s*:/.test(file.text);
  return /\bbackend\s*"/.test(file.text) || /\bcloud\s*\{/.test(file.text);
}

/** The subcommand (e.g. ["state", "show"] gives "state"), or undefined. */
export function subcommand(run: RunContext): string | undefined {
  return terraformArgs(run)?.find((arg) => !arg.startsWith('-'));
}

/** Terraform's arguments after the global options and the subcommand's words, with TF_CLI_ARGS* added. */
export function commandWords(run: RunContext): string[] {
  const args = terraformArgs(run) ?? [];
  const command = subcommand(run);
  const extra = [run.env.TF_CLI_ARGS, command ? run.env[`TF_CLI_ARGS_${command}`] : undefined]
    .filter((v): v is string => !!v)
    .flatMap((v) => v.split(/\s+/));
  return [...args, ...extra];
}

function terraformArgs(run: RunContext): string[] | undefined {
  if (!run.command) return undefined;
  const [program, ...args] = run.command;
  if (!program || !/^(terraform|tofu)/i.test(basename(program, extname(program)))) return undefined;
  return args;
}

/** The parent's argv from /proc (Linux); undefined elsewhere or when it cannot be read. */
function parentCommand(ppid: number): string[] | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const raw = readFileSync(`/proc/${ppid}/cmdline`, 'utf8');
    return raw.split('\0').filter((arg, i, all) => arg !== '' || i < all.length - 1);
  } catch {
    return undefined;
  }
}

function readText(path: string): TextFile[] {
  try {
    return [{ path, text: readFileSync(path, 'utf8') }];
  } catch {
    return [];
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
