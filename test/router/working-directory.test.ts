// What the router reads of the Terraform run: the types a configuration declares (for the no-upstream error) and
// the schemas a command can need (for the merged schema), from fake working directories.
import t from 'tap';
import { declaredTypes, missingTypeDiagnostics } from '../../src/router/missing-types';
import { schemaScope } from '../../src/router/schema-scope';
import { configurationFiles, type RunContext } from '../../src/router/working-directory';
import { codeOnly } from '../../src/upstream/hcl';
import { workdir } from '../support/router-workdir';

const run = (cwd: string, command: string[] | undefined, env: NodeJS.ProcessEnv = {}): RunContext => ({ cwd, env, command });
const PLAN = ['terraform', 'plan'];

const MAIN = `
# resource "aws_commented_out" "x" {}
/* data "aws_block_commented" "y" {} */
resource "aws_s3_bucket" "b" {
  bucket = "has # and /* inside a string"
  policy = <<EOF
resource "aws_in_heredoc" "z" {}
EOF
  tags = { Name = "\${join("-", ["a", "b"])}" }
}
data "aws_caller_identity" "me" {}
resource "aws_iam_role" "r" {}
check "c" {
  data "aws_partition" "p" {}
}
ephemeral "aws_secretsmanager_secret_version" "s" {}
output "parts" { value = provider::aws::arn_parse(aws_iam_role.r.arn) }
output "other" { value = provider::awsalias::future_fn("x") }
`;

t.test('codeOnly blanks comments and heredoc bodies, keeps strings and line structure', async (t) => {
  const code = codeOnly(MAIN);
  t.equal(code.split('\n').length, MAIN.split('\n').length);
  t.notMatch(code, /aws_commented_out|aws_block_commented|aws_in_heredoc/);
  t.match(code, /"has # and \/\* inside a string"/);
  t.match(code, /resource "aws_s3_bucket" "b"/);
});

t.test('declared types: HCL block headers, JSON configuration, installed modules', async (t) => {
  const dir = workdir(t, {
    'main.tf': MAIN,
    'extra.tf.json': JSON.stringify({ resource: { aws_sqs_queue: { q: {} } }, data: [{ aws_region: { r: {} } }] }),
    'modules/net/vpc.tf': 'resource "aws_vpc" "v" {}\n',
    '.terraform/modules/modules.json': JSON.stringify({ Modules: [{ Key: '', Dir: '.' }, { Key: 'net', Source: './modules/net', Dir: 'modules/net' }] }),
    'notes.txt': 'resource "aws_not_config" "x" {}',
  });
  const declared = declaredTypes(configurationFiles(run(dir, PLAN)));
  t.same([...declared.resources].sort(), ['aws_iam_role', 'aws_s3_bucket', 'aws_sqs_queue', 'aws_vpc']);
  t.same([...declared.dataSources].sort(), ['aws_caller_identity', 'aws_partition', 'aws_region']);
  t.same([...declared.ephemeralResources], ['aws_secretsmanager_secret_version']);
  t.same([...declared.functions].sort(), ['arn_parse', 'future_fn']);

  const native = { resources: new Set(['aws_iam_role']), dataSources: new Set<string>(), functions: new Set(['arn_parse']) };
  const [error, ...more] = missingTypeDiagnostics(declared, native, undefined);
  t.equal(more.length, 0, 'one diagnostic');
  t.equal(error!.severity, 'ERROR');
  t.equal(
    error!.summary,
    'hashicorp/aws is needed for aws_s3_bucket, aws_sqs_queue, aws_vpc, data.aws_caller_identity, data.aws_partition, data.aws_region, ephemeral.aws_secretsmanager_secret_version, provider::aws::future_fn',
  );
  t.match(error!.detail, /TF_AWS_UPSTREAM_PROVIDER/);
  t.match(error!.detail, /plugin cache/);
  t.match(missingTypeDiagnostics(declared, native, 'TF_AWS_UPSTREAM_PROVIDER names /x, which does not exist.')[0]!.detail, /which is not available: TF_AWS_UPSTREAM_PROVIDER names \/x/);
  t.same(missingTypeDiagnostics(declaredTypes([{ path: 'n.tf', text: 'resource "aws_iam_role" "r" {}' }]), native, undefined), [], 'nothing for native types');
});

t.test('schema scope: the aws_ words of the configuration, its modules and the local state', async (t) => {
  const dir = workdir(t, {
    'main.tf': 'resource "aws_iam_role" "r" {}\noutput "x" { value = aws_s3_bucket.b.arn }\noutput "y" { value = "aws_kms_\\u006bey" }\n',
    'modules/m/m.tf': 'data "aws_region" "here" {}\n',
    '.terraform/modules/modules.json': JSON.stringify({ Modules: [{ Key: 'm', Dir: 'modules/m' }] }),
    'terraform.tfstate': JSON.stringify({ resources: [{ type: 'aws_sqs_queue', name: 'gone' }] }),
    'terraform.tfstate.d/staging/terraform.tfstate': JSON.stringify({ resources: [{ type: 'aws_sns_topic' }] }),
    'plan.tfplan': 'PK',
  });
  const scope = schemaScope(run(dir, PLAN));
  t.equal(scope.all, false);
  if (!scope.all) t.same([...scope.names].sort(), ['aws_iam_role', 'aws_kms_key', 'aws_region', 'aws_s3_bucket', 'aws_sns_topic', 'aws_sqs_queue']);
  t.equal(schemaScope(run(dir, ['/usr/local/bin/terraform', '-chdir=x', 'apply', '-auto-approve'])).all, false, 'apply without a plan file');
  t.equal(schemaScope(run(dir, ['terraform', 'state', 'show', 'aws_sqs_queue.gone'])).all, false, 'state show');

  const all = (command: string[] | undefined, env: NodeJS.ProcessEnv = {}) => schemaScope(run(dir, command, env));
  t.match(all(undefined), { all: true, reason: /command line/ }, 'unknown command line');
  t.match(all(['node', 'debug.js']), { all: true }, 'not run by Terraform');
  t.match(all(['terraform', 'providers', 'schema', '-json']), { all: true, reason: /terraform providers/ });
  t.match(all(['terraform', 'test']), { all: true });
  t.match(all(['terraform', 'apply', 'plan.tfplan']), { all: true, reason: /saved plan/ });
  t.match(all(['terraform', 'show', '-json', 'plan.tfplan']), { all: true, reason: /saved plan/ });
  t.match(all(['terraform', 'plan', '-state=other.tfstate']), { all: true, reason: /state/ });
  t.match(all(['terraform', 'plan'], { TF_CLI_ARGS_plan: '-state=other.tfstate' }), { all: true, reason: /state/ });
});

t.test('schema scope: a state Terraform keeps elsewhere means every schema', async (t) => {
  const backend = workdir(t, { 'main.tf': 'terraform {\n  backend "s3" {}\n}\n' });
  t.match(schemaScope(run(backend, PLAN)), { all: true, reason: /state/ });
  const cloud = workdir(t, { 'main.tf.json': JSON.stringify({ terraform: { cloud: { organization: 'o' } } }) });
  t.match(schemaScope(run(cloud, PLAN)), { all: true, reason: /state/ });
  const recorded = workdir(t, { 'main.tf': '', '.terraform/terraform.tfstate': JSON.stringify({ backend: { type: 'consul', config: {} } }) });
  t.match(schemaScope(run(recorded, PLAN)), { all: true, reason: /state/ });
});
