// Shared pieces of the reliability acceptance tests (faults.test.ts, bad-input.test.ts, security.test.ts):
// an embedded endpoint with a large call log, many-model configurations, terraform run in its own process
// group (so it can be interrupted like a person at the keyboard would), and the state-vs-remote check.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ListModelsCommand, type ModelSummary } from '@aws-sdk/client-sagemaker';
import type { Test } from 'tap';
import { startEndpoint } from '../support/endpoint';
import { AwsApi } from '../support/aws';
import type { RunResult, Target, Workspace } from '../support/terraform';

export const IMAGE = '174872318107.dkr.ecr.us-west-2.amazonaws.com/kmeans:1';

/** The embedded endpoint with a call log big enough to count every fault of a large apply. */
export async function startEmbeddedTarget(): Promise<Target> {
  const region = 'us-west-2';
  const endpoint = await startEndpoint(['--call-log-size', '200000']);
  return {
    url: endpoint.url,
    region,
    admin: endpoint.admin,
    sdkConfig: { endpoint: endpoint.url, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
    stop: endpoint.stop,
  };
}

export interface Suite {
  target: Target;
  aws: AwsApi;
  /** An execution role that exists (and has propagated) before the tests start. */
  role: string;
}

/**
 * The setup of a fault-injection test file: an embedded endpoint of its own, an SDK client for checks, an
 * execution role; faults cleared after each test. The returned object is filled in before the first test.
 */
export function faultSuite(t: Test): Suite {
  const suite = {} as Suite;
  t.before(async () => {
    suite.target = await startEmbeddedTarget();
    suite.aws = new AwsApi(suite.target);
    suite.role = await suite.aws.executionRole();
  });
  t.teardown(async () => {
    suite.aws?.destroy();
    await suite.target?.stop();
  });
  t.afterEach(async () => {
    await suite.target.admin!.clearFaults();
  });
  return suite;
}


/** An IAM role built from a policy document and one model that uses it (no provider block); `extra` goes in the model. */
export function roleAndModelHcl(name: string, extra = ''): string {
  return `data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}
resource "aws_iam_role" "r" {
  name               = "${name}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}
resource "aws_sagemaker_model" "m" {
  name               = "${name}"
  execution_role_arn = aws_iam_role.r.arn
  primary_container {
    image = "${IMAGE}"
  }
${extra}}
`;
}
/** `count` models named `<prefix>-<index>`, each tagged with its index. */
export function modelsConfig(prefix: string, count: number, role: string, extraTags = ''): string {
  return `
resource "aws_sagemaker_model" "m" {
  count              = ${count}
  name               = "${prefix}-\${count.index}"
  execution_role_arn = "${role}"
  primary_container {
    image = "${IMAGE}"
  }
  tags = {
    Index = tostring(count.index)
    Suite = "reliability"
${extraTags}
  }
}
`;
}

export interface StateModel {
  address: string;
  name: string;
  arn: string;
  tags_all: Record<string, string>;
  tainted: boolean;
}

/** Every aws_sagemaker_model in state (with its tainted mark), from `terraform show -json`. */
export async function stateModels(ws: Workspace): Promise<StateModel[]> {
  const state = (await ws.state()) as unknown as {
    values?: { root_module?: { resources?: { address: string; type: string; tainted?: boolean; values: Record<string, unknown> }[] } };
  };
  return (state.values?.root_module?.resources ?? [])
    .filter((r) => r.type === 'aws_sagemaker_model')
    .map((r) => ({
      address: r.address,
      name: r.values.name as string,
      arn: r.values.arn as string,
      tags_all: (r.values.tags_all ?? {}) as Record<string, string>,
      tainted: r.tainted === true,
    }));
}

/** Every model whose name starts with `prefix`, by ListModels (paginated). */
export async function remoteModels(aws: AwsApi, prefix: string): Promise<ModelSummary[]> {
  const models: ModelSummary[] = [];
  let NextToken: string | undefined;
  do {
    const page = await aws.sagemaker.send(new ListModelsCommand({ NameContains: prefix, MaxResults: 100, NextToken }));
    models.push(...(page.Models ?? []).filter((m) => m.ModelName!.startsWith(prefix)));
    NextToken = page.NextToken;
  } while (NextToken);
  return models;
}

/**
 * State and the API agree exactly: the same model names (no duplicate, no orphan, none missing), the same ARNs,
 * and each model's tags (ListTags) equal to its tags_all in state. Returns the number of models checked.
 */
/** Every model that exists remotely is in state (a model may be absent from both); returns how many exist. */
export async function noOrphans(t: Test, aws: AwsApi, ws: Workspace, prefix: string): Promise<number> {
  const remote = (await remoteModels(aws, prefix)).map((m) => m.ModelName!).sort();
  const inState = new Set((await stateModels(ws)).map((m) => m.name));
  t.same(
    remote.filter((name) => !inState.has(name)),
    [],
    `every model that exists remotely is in state (${remote.length} exist, ${inState.size} in state)`,
  );
  return remote.length;
}

export async function assertStateMatchesRemote(t: Test, ws: Workspace, aws: AwsApi, prefix: string, expected: number): Promise<number> {
  const inState = (await stateModels(ws)).filter((m) => m.name.startsWith(prefix));
  const remote = await remoteModels(aws, prefix);
  const stateNames = inState.map((m) => m.name).sort();
  const remoteNames = remote.map((m) => m.ModelName!).sort();
  t.equal(remoteNames.length, expected, `${expected} models exist remotely`);
  t.same(stateNames, remoteNames, 'the models in state are exactly the models that exist (none orphaned, none missing)');
  t.equal(new Set(remoteNames.map((n) => n.toLowerCase())).size, remoteNames.length, 'no duplicate model');
  const byName = new Map(remote.map((m) => [m.ModelName!, m]));
  const mismatches: string[] = [];
  for (const model of inState) {
    const summary = byName.get(model.name);
    if (!summary) continue;
    if (summary.ModelArn !== model.arn) mismatches.push(`${model.name}: arn ${model.arn} in state, ${summary.ModelArn} remotely`);
    const tags = await aws.tags(summary.ModelArn!);
    if (JSON.stringify(sortKeys(tags)) !== JSON.stringify(sortKeys(model.tags_all))) {
      mismatches.push(`${model.name}: tags_all ${JSON.stringify(model.tags_all)} in state, ${JSON.stringify(tags)} remotely`);
    }
  }
  t.same(mismatches, [], 'ARNs and tags agree between state and ListModels/ListTags');
  return remoteNames.length;
}

function sortKeys(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b)));
}

/** Counts of call-log records by error code (e.g. ThrottlingException, InternalFailure, DroppedConnection). */
export async function errorCounts(target: Target): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const call of (await target.admin!.calls()).recent) if (call.errorCode) counts[call.errorCode] = (counts[call.errorCode] ?? 0) + 1;
  return counts;
}

/** A terraform command in its own process group, so that a test can interrupt it as Ctrl-C does. */
export interface Background {
  child: ChildProcess;
  done: Promise<RunResult>;
}

export function terraformInBackground(ws: Workspace, args: string[], extraEnv: Record<string, string> = {}): Background {
  const child = spawn('terraform', args, {
    cwd: ws.dir,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', ...ws.env, ...extraEnv, TF_CLI_CONFIG_FILE: join(ws.dir, '.terraformrc') },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
  return { child, done };
}

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

/** Polls until `check` holds (no timing assertion: only a generous bound so a broken run ends). */
export async function waitFor(what: string, check: () => Promise<boolean>, boundMs = 600_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
