// The runner of the bad-input acceptance tests (bad-input.test.ts, bad-input-iam.test.ts): each case is an invalid
// configuration whose diagnostics terraform must show, pointing at the right line, with no write reaching the API.
import t, { type Test } from 'tap';
import { providerBlock, uniqueName, Workspace } from '../support/terraform';
import { IMAGE, trustPolicyJsonencode } from '../support/fixtures';
import { useTarget, type TargetSetup } from '../support/target';

let acc: TargetSetup;

/** Runs each case as its own test of this file, against an endpoint of the file's own. */
export function runCases(cases: Record<string, Case>): void {
  acc = useTarget(t);
  for (const [title, c] of Object.entries(cases)) t.test(title, c.todo ? { todo: c.todo } : {}, (t) => rejected(t, c));
}

export interface Case {
  /** The configuration after the provider block; ROLE and NAME are replaced. */
  hcl: string;
  /** The error summaries, in terraform's order (a RegExp where the text holds a generated value). */
  errors: (string | RegExp)[];
  /** Text on the line every error points at (one per error when they differ). */
  at: string | string[];
  /** Which occurrence of `at` (default 1). */
  atOccurrence?: number;
  /** Terraform's own check (block counts): its diagnostics name no resource instance. */
  terraformCheck?: boolean;
  /** Marks a case that exposes a provider bug or missing capability. */
  todo?: string;
  /** The resource or data source every error is about (default aws_sagemaker_model.test). */
  address?: string;
  /** Extra text expected in the output, e.g. a detail line. */
  detail?: string;
  /** validate (default): static values; apply: checked at plan or apply time (validate passes). */
  via?: 'validate' | 'apply';
  /** Extra terraform arguments for apply, e.g. -var. */
  args?: string[];
  /** Provider block additions. */
  provider?: string;
}

export const CONTAINER = `  primary_container {\n    image = "${IMAGE}"\n  }\n`;
export const model = (body: string, name = '"NAME"') =>
  `resource "aws_sagemaker_model" "test" {\n  name               = ${name}\n  execution_role_arn = "ROLE"\n${body}}\n`;
export const ASSUME = trustPolicyJsonencode();
export const iamRole = (attrs: string) => `resource "aws_iam_role" "test" {\n${attrs}\n  assume_role_policy = ${ASSUME}\n}\n`;

const WRITES = /^(SageMaker|IAM|STS)\.(Create|Add|Delete|Put|Attach|Detach|Tag|Untag|Update)/;

async function rejected(t: Test, c: Case): Promise<void> {
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  const config = providerBlock(acc.target, c.provider ?? '') + c.hcl.replaceAll('ROLE', acc.role).replaceAll('NAME', uniqueName('tfacc-bad'));
  ws.config(config);
  const lines = config.split('\n');
  const lineOf = (text: string) => {
    const found = lines.flatMap((l, i) => (l.includes(text) ? [i + 1] : []))[(c.atOccurrence ?? 1) - 1];
    if (found === undefined) throw new Error(`"${text}" is not in the configuration`);
    return found;
  };
  const at = Array.isArray(c.at) ? c.at : c.errors.map(() => c.at as string);
  const address = c.address ?? 'aws_sagemaker_model.test';
  const [kind, ...rest] = address.replace(/^data\./, '').split('.');
  const where = `${address.startsWith('data.') ? 'data' : 'resource'} "${kind}" "${rest.join('.')}"`;

  if (acc.target.admin) await acc.target.admin.reset('calls');
  let result;
  if ((c.via ?? 'validate') === 'validate') {
    result = await ws.run(['validate', '-no-color']);
  } else {
    const validate = await ws.run(['validate', '-no-color']);
    t.equal(validate.code, 0, 'terraform validate cannot see the problem (the value is not known yet)');
    result = await ws.run(['apply', '-auto-approve', '-input=false', '-no-color', ...(c.args ?? [])]);
  }
  const output = result.stdout + result.stderr;
  t.equal(result.code, 1, 'terraform fails');
  const summaries = [...output.matchAll(/^Error: (.*)$/gm)].map((m) => m[1]);
  t.equal(summaries.length, c.errors.length, `${c.errors.length} error(s): ${JSON.stringify(summaries)}`);
  c.errors.forEach((expected, i) =>
    typeof expected === 'string' ? t.equal(summaries[i], expected, 'the diagnostic text') : t.match(summaries[i], expected, 'the diagnostic text'),
  );
  output
    .split(/^Error: /m)
    .slice(1)
    .forEach((block, i) => {
      if (!c.terraformCheck) t.match(block, `with ${address}`, `about ${address}`);
      const line = lineOf(at[i] ?? at[0]);
      t.match(block, `on main.tf line ${line}, in ${where}:`, `pointing at line ${line}: ${at[i] ?? at[0]}`);
    });
  if (c.detail) t.match(output.replace(/\s+/g, ' '), c.detail);
  if (acc.target.admin) {
    const writes = Object.keys((await acc.target.admin.calls()).counts).filter((op) => WRITES.test(op));
    t.same(writes, [], 'no write reached the API');
  }
}

