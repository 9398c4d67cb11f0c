// The terraform runner of the acceptance, differential and warm tests: the real `terraform` binary drives our
// provider (through dev_overrides) or hashicorp/aws 5.100.0 (from a filesystem mirror) against an AWS endpoint.
//
// Target, from the environment:
//   (default)                      the embedded endpoint (bin/local-aws), one per test file, reset per test
//   TF_ACC_ENDPOINT=http://...     an already-running LocalStack-compatible endpoint (e.g. LocalStack)
//   TF_ACC_ENDPOINT=aws            real AWS with the standard AWS_* credentials and region
// Tests that need the embedded endpoint's admin API (call log, faults) are skipped on other targets.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEndpoint, type EndpointAdmin, type RunningEndpoint } from './endpoint';
import { toleratedProblems, unexplained, type ToleratedProblem } from './legacy-sdk';
import { providerBinDir } from './paths';

export interface Target {
  /** Endpoint URL for the provider's `endpoints` block; undefined for real AWS. */
  url?: string;
  region: string;
  /** The embedded endpoint's admin API; undefined on other targets. */
  admin?: EndpointAdmin;
  /** Settings for AWS SDK clients in tests (check-destroy, out-of-band changes). */
  sdkConfig: { endpoint?: string; region: string; credentials?: { accessKeyId: string; secretAccessKey: string } };
  stop(): Promise<void>;
}

export const ACC_TARGET = process.env.TF_ACC_ENDPOINT ?? 'embedded';

/** `endpointArgs` are extra flags for the embedded endpoint (e.g. --moto-compat); other targets ignore them. */
export async function startTarget(endpointArgs: string[] = []): Promise<Target> {
  if (ACC_TARGET === 'aws') {
    const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-west-2';
    return { region, sdkConfig: { region }, stop: async () => undefined };
  }
  const region = 'us-west-2';
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  if (ACC_TARGET !== 'embedded') return { url: ACC_TARGET, region, sdkConfig: { endpoint: ACC_TARGET, region, credentials }, stop: async () => undefined };
  const endpoint: RunningEndpoint = await startEndpoint(endpointArgs);
  return { url: endpoint.url, region, admin: endpoint.admin, sdkConfig: { endpoint: endpoint.url, region, credentials }, stop: endpoint.stop };
}

/** The provider block every acceptance configuration starts with (LocalStack style for local targets). */
export function providerBlock(target: Target, extra = ''): string {
  if (!target.url) return `provider "aws" {\n  region = "${target.region}"\n${extra}\n}\n`;
  return `provider "aws" {
  region                      = "${target.region}"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  s3_use_path_style           = true
  endpoints {
    sagemaker = "${target.url}"
    iam       = "${target.url}"
    sts       = "${target.url}"
    s3        = "${target.url}"
  }
${extra}
}
`;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** What Terraform tolerated because the provider answered with legacy_type_system (see legacy-sdk.ts). */
  tolerated?: ToleratedProblem[];
}

export type ProviderUnderTest = 'ours' | 'hashicorp';

/**
 * A temporary Terraform working directory with its own CLI configuration. `hashicorp` runs the real 5.100.0 from
 * the filesystem mirror (after `terraform init`), or the process that `env.TF_REATTACH_PROVIDERS` names.
 */
export class Workspace {
  readonly dir: string;
  private readonly cliConfig: string;
  private initialised = false;

  /** Whether an unexplained tolerated problem fails the run (the differential tests compare them instead). */
  guard = true;

  constructor(
    readonly provider: ProviderUnderTest = 'ours',
    readonly env: Record<string, string> = {},
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'tfacc-'));
    this.cliConfig = join(this.dir, '.terraformrc');
    const installation =
      provider === 'ours'
        ? `dev_overrides {\n    "hashicorp/aws" = "${providerBinDir}"\n  }\n  direct {}`
        : `filesystem_mirror {\n    path    = "${hashicorpMirror()}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }`;
    writeFileSync(this.cliConfig, `provider_installation {\n  ${installation}\n}\n`);
  }

  write(files: Record<string, string>): this {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(this.dir, name), content);
    return this;
  }

  /** Writes main.tf (replacing the previous one). */
  config(hcl: string): this {
    return this.write({ 'main.tf': hcl });
  }

  /**
   * Runs terraform. Unless the caller logs to a file of its own, Terraform's warnings are read (TF_LOG=WARN) and a
   * problem tolerated for our provider that the emulated SDKv2 semantics do not explain fails the run.
   */
  async run(args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
    const reattached = 'TF_REATTACH_PROVIDERS' in this.env;
    if (this.provider === 'hashicorp' && !reattached && !this.initialised && args[0] !== 'init') {
      this.initialised = true;
      await this.ok(['init', '-input=false', '-no-color']);
    }
    const env: Record<string, string> = { ...this.env, ...extraEnv, TF_CLI_CONFIG_FILE: this.cliConfig };
    // One name per workspace, so that its runs share one environment and so one warm server (src/warm/).
    const logFile = env.TF_LOG ? undefined : join(this.dir, '.terraform-warnings.log');
    if (logFile) Object.assign(env, { TF_LOG: 'WARN', TF_LOG_PATH: logFile });
    const result = await runTerraform(args, this.dir, env, this.provider === 'hashicorp');
    const log = logFile ? readAndRemove(logFile) : env.TF_LOG_PATH ? '' : result.stderr;
    const tolerated = toleratedProblems(log);
    result.tolerated = tolerated;
    const unexpected = this.provider === 'ours' && this.guard ? unexplained(tolerated) : [];
    if (unexpected.length > 0) {
      throw new Error(
        `terraform ${args.join(' ')}: Terraform tolerated problems that the emulated SDKv2 semantics do not explain ` +
          `(test/support/legacy-sdk.ts):\n${unexpected.map((p) => `  ${p.phase} ${p.address} ${p.path}: ${p.problem}`).join('\n')}`,
      );
    }
    return result;
  }

  /** Runs and fails with terraform's own output when the exit code is not 0. */
  async ok(args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
    const result = await this.run(args, extraEnv);
    if (result.code !== 0) throw new Error(`terraform ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    return result;
  }

  apply(...extra: string[]): Promise<RunResult> {
    return this.ok(['apply', '-auto-approve', '-input=false', '-no-color', ...extra]);
  }

  destroy(...extra: string[]): Promise<RunResult> {
    return this.ok(['destroy', '-auto-approve', '-input=false', '-no-color', ...extra]);
  }

  /** `terraform plan -detailed-exitcode`: 0 = no changes, 2 = changes (1 = error, thrown). */
  async planExitCode(...extra: string[]): Promise<{ code: 0 | 2; output: string }> {
    const result = await this.run(['plan', '-detailed-exitcode', '-input=false', '-no-color', ...extra]);
    if (result.code !== 0 && result.code !== 2) throw new Error(`terraform plan failed (${result.code})\n${result.stdout}\n${result.stderr}`);
    return { code: result.code, output: result.stdout };
  }

  /** The plan as `terraform show -json` renders it. */
  async planJson(...extra: string[]): Promise<PlanJson> {
    await this.ok(['plan', '-out=tfplan', '-input=false', '-no-color', ...extra]);
    return JSON.parse((await this.ok(['show', '-json', 'tfplan'])).stdout) as PlanJson;
  }

  /** The state as `terraform show -json` renders it. */
  async state(): Promise<StateJson> {
    return JSON.parse((await this.ok(['show', '-json'])).stdout) as StateJson;
  }

  /** The attribute values of one resource in state. */
  async resource(address: string): Promise<Record<string, unknown>> {
    const state = await this.state();
    const found = (state.values?.root_module?.resources ?? []).find((r) => r.address === address);
    if (!found) throw new Error(`${address} is not in state`);
    return found.values;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface PlanJson {
  resource_changes?: { address: string; change: { actions: string[]; before: unknown; after: unknown; after_unknown: unknown; replace_paths?: unknown[] } }[];
}

export interface StateJson {
  values?: { root_module?: { resources?: { address: string; values: Record<string, unknown> }[] } };
}

function readAndRemove(file: string): string {
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8');
  rmSync(file, { force: true });
  return text;
}

/**
 * Runs terraform in `cwd`. `forHashicorp`: hashicorp/aws 5.100.0 fails to configure at all when AWS_CA_BUNDLE is
 * set ("unable to add custom RootCAs HTTPClient"), so it is left out of that provider's environment.
 */
function runTerraform(args: string[], cwd: string, env: Record<string, string>, forHashicorp = false): Promise<RunResult> {
  return spawnTerraform(args, cwd, env, { forHashicorp }).done;
}

/** A terraform command in its own process group, so that a test can interrupt it as Ctrl-C does. */
export interface Background {
  child: ChildProcess;
  done: Promise<RunResult>;
}

export function terraformInBackground(ws: Workspace, args: string[], extraEnv: Record<string, string> = {}): Background {
  return spawnTerraform(args, ws.dir, { ...ws.env, ...extraEnv, TF_CLI_CONFIG_FILE: join(ws.dir, '.terraformrc') }, { detached: true });
}

function spawnTerraform(args: string[], cwd: string, env: Record<string, string>, options: { forHashicorp?: boolean; detached?: boolean }): Background {
  const fullEnv: Record<string, string | undefined> = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', ...env };
  if (options.forHashicorp && !('AWS_CA_BUNDLE' in env)) delete fullEnv.AWS_CA_BUNDLE;
  const child = spawn('terraform', args, { cwd, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached ?? false });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // A bound, not a timing assertion: a command that hangs fails its test with its output instead of holding the
  // file until tap's own limit. Terraform stops its providers on SIGTERM; SIGKILL follows if it does not exit.
  let timedOut = false;
  const bound = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  }, TERRAFORM_BOUND_MS);
  const done = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(bound);
      if (timedOut) reject(new Error(`terraform ${args.join(' ')} did not finish within ${TERRAFORM_BOUND_MS / 60_000} minutes\n${stdout}\n${stderr}`));
      else resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
  return { child, done };
}

/** How long one terraform command of a test may run (the slowest, with hashicorp/aws, take about a minute). */
const TERRAFORM_BOUND_MS = 10 * 60_000;

/** The planned actions per resource address, e.g. {"aws_sagemaker_model.test": ["delete","create"]}. */
export function actionsOf(plan: PlanJson): Record<string, string[]> {
  return Object.fromEntries((plan.resource_changes ?? []).map((c) => [c.address, c.change.actions]));
}

let mirrorRoot: string | undefined;

/**
 * The Terraform filesystem mirror that holds hashicorp/aws 5.100.0: TF_ACC_HASHICORP_AWS_MIRROR, or the
 * first mirror found in Terraform's implied local mirror directories or directly under /opt.
 */
export function hashicorpMirror(): string {
  if (mirrorRoot) return mirrorRoot;
  const holds = (root: string) => existsSync(join(root, 'registry.terraform.io/hashicorp/aws/5.100.0'));
  const candidates = [
    process.env.TF_ACC_HASHICORP_AWS_MIRROR,
    join(process.env.HOME ?? '', '.terraform.d/plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
    ...safeList('/opt').map((name) => join('/opt', name)),
  ].filter((c): c is string => Boolean(c));
  mirrorRoot = candidates.find(holds);
  if (!mirrorRoot) throw new Error('hashicorp/aws 5.100.0 filesystem mirror not found; set TF_ACC_HASHICORP_AWS_MIRROR');
  return mirrorRoot;
}

export function hasHashicorpMirror(): boolean {
  try {
    hashicorpMirror();
    return true;
  } catch {
    return false;
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** A unique resource name for this test run (tests in parallel files never share names). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid.toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}
