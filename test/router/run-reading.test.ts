// The details of reading a Terraform run: which blocks declare hashicorp/aws types (HCL and JSON, odd JSON
// included), the error that names the missing ones, the commands whose schemas are scoped, the flags that move the
// state or the configuration, and the module manifest and backends in the forms Terraform accepts.
import t from 'tap';
import { declaredTypes, missingTypeDiagnostics } from '../../src/router/missing-types';
import { schemaScope } from '../../src/router/schema-scope';
import { configurationFiles, localStateFiles, type RunContext } from '../../src/router/working-directory';
import { workdir } from '../support/router-workdir';

const run = (cwd: string, command: string[] | undefined, env: NodeJS.ProcessEnv = {}): RunContext => ({ cwd, env, command });
const declared = (path: string, text: string) => declaredTypes([{ path, text }]);
const sorted = (set: Set<string>) => [...set].sort();

t.test('only hashicorp/aws types are declared types, in HCL and JSON', async (t) => {
  const hcl = declared('main.tf', 'resource "random_id" "r" {}\ndata "http" "h" {}\nresource "aws_vpc" "v" {}\n');
  t.same([sorted(hcl.resources), sorted(hcl.dataSources)], [['aws_vpc'], []]);
  const json = declared('main.tf.json', JSON.stringify({ resource: { random_id: { r: {} }, aws_vpc: { v: {} } }, data: { http: { h: {} } } }));
  t.same([sorted(json.resources), sorted(json.dataSources)], [['aws_vpc'], []]);
});

t.test('JSON configuration: functions called in expressions; odd shapes are skipped, not fatal', async (t) => {
  const calls = declared('main.tf.json', JSON.stringify({ output: { o: { value: '${provider::awsalias::trim_iam_role_path(x)}' } } }));
  t.same(sorted(calls.functions), ['trim_iam_role_path']);
  for (const text of ['{ not json', 'null', '42', '"text"', JSON.stringify({ resource: null, data: 'x' })]) {
    t.same(declared('main.tf.json', text), { resources: new Set(), dataSources: new Set(), ephemeralResources: new Set(), functions: new Set() }, text);
  }
  const listed = declared('main.tf.json', JSON.stringify({ resource: [null, 'x', { aws_vpc: { v: {} } }] }));
  t.same(sorted(listed.resources), ['aws_vpc'], 'a list of blocks: its objects');
});

t.test('the missing-type error: what is native is not missing, and the whole text says how to fix it', async (t) => {
  const types = declared('main.tf', 'data "aws_iam_policy_document" "d" {}\ndata "aws_region" "r" {}\nresource "aws_vpc" "v" {}\n');
  const native = { resources: new Set(['aws_sagemaker_model', 'aws_iam_role']), dataSources: new Set(['aws_iam_policy_document']), functions: new Set<string>() };
  const [error] = missingTypeDiagnostics(types, native, 'TF_AWS_UPSTREAM_PROVIDER is set to none.');
  t.equal(error!.summary, 'hashicorp/aws is needed for aws_vpc, data.aws_region');
  t.equal(
    error!.detail,
    'This provider implements aws_iam_role, aws_sagemaker_model, data.aws_iam_policy_document itself and hands every other hashicorp/aws type to the genuine ' +
      'hashicorp/aws provider, which is not available: TF_AWS_UPSTREAM_PROVIDER is set to none.\n\n' +
      'Make hashicorp/aws (a protocol 5 release, such as 5.100.0) available in one of these ways:\n' +
      '- set TF_AWS_UPSTREAM_PROVIDER to its terraform-provider-aws_v*_x5 executable, or to a directory holding it;\n' +
      '- put it in the plugin cache (TF_PLUGIN_CACHE_DIR, or plugin_cache_dir in the CLI configuration), as a terraform init run with that cache does;\n' +
      '- put it in an unpacked filesystem mirror: a filesystem_mirror of the CLI configuration, or one of ' +
      "Terraform's implied local mirror directories such as ~/.terraform.d/plugins, as " +
      'registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/terraform-provider-aws_v<version>_x5.',
  );
});

t.test('every command whose types come from the configuration and state is scoped', async (t) => {
  const dir = workdir(t, { 'main.tf': 'resource "aws_vpc" "v" {}\n', 'empty.tf': '# nothing here\n' });
  for (const command of ['plan', 'apply', 'destroy', 'refresh', 'validate', 'import', 'console', 'graph', 'show', 'state', 'taint', 'untaint', 'output']) {
    t.same(schemaScope(run(dir, ['terraform', command])), { all: false, names: new Set(['aws_vpc']) }, command);
  }
  t.same(schemaScope(run(dir, ['tofu', 'plan'])), { all: false, names: new Set(['aws_vpc']) }, 'OpenTofu too');
  t.match(schemaScope(run(dir, ['/usr/bin/run-terraform', 'plan'])), { all: true, reason: /command line/ }, 'a program named otherwise is not Terraform');
  t.match(schemaScope(run(dir, [])), { all: true, reason: /command line/ }, 'an empty command line');
});

t.test('a configuration directory on the command line means every schema', async (t) => {
  const dir = workdir(t, { 'main.tf': 'resource "aws_vpc" "v" {}\n' });
  for (const words of [['-config=modules'], ['--config', 'modules'], ['-config']]) {
    t.same(schemaScope(run(dir, ['terraform', 'plan', ...words])), { all: true, reason: 'a configuration directory is given on the command line' }, words.join(' '));
  }
  t.equal(schemaScope(run(dir, ['terraform', 'plan', '-var=name-config=x'])).all, false, 'a word that only contains -config');
});

t.test('only apply and show read a saved plan or state file, named after the subcommand', async (t) => {
  const dir = workdir(t, { 'main.tf': '', 'plan.tfplan': 'PK', apply: '', '-json': '' });
  t.equal(schemaScope(run(dir, ['terraform', 'import', 'aws_vpc.v', 'plan.tfplan'])).all, false, 'import does not read it');
  t.equal(schemaScope(run(dir, ['terraform', '-chdir=.', 'apply', '-auto-approve'])).all, false, 'the subcommand itself is no file');
  t.equal(schemaScope(run(dir, ['terraform', 'show', 'missing.tfplan'])).all, false, 'a file that does not exist');
  t.equal(schemaScope(run(dir, ['terraform', 'show', '-json'])).all, false, 'a flag, even one a file is named after');
  t.match(schemaScope(run(dir, ['terraform', 'show', '-json', 'plan.tfplan'])), { all: true, reason: 'terraform show reads a saved plan or state file' });
  t.equal(schemaScope(run(dir, ['terraform', 'apply'], { TF_CLI_ARGS_apply: '-auto-approve  -lock=false' })).all, false, 'extra arguments with two spaces between them');
});

t.test('state flags, module manifests and backends in every form Terraform accepts', async (t) => {
  const dir = workdir(t, { 'main.tf': '' });
  const configuration = configurationFiles(run(dir, ['terraform', 'plan']));
  t.equal(localStateFiles(run(dir, ['terraform', 'plan', '-state', 'other.tfstate']), configuration), undefined, '-state with its value apart');
  t.same(localStateFiles(run(dir, ['terraform', 'plan', '-var=my-state=x']), configuration), [], 'a word that only contains -state=');

  const backends = {
    'two spaces': 'terraform {\n  backend  "s3" {}\n}\n',
    'no space': 'terraform {\n  backend"s3" {}\n}\n',
    cloud: 'terraform {\n  cloud {\n    organization = "o"\n  }\n}\n',
    'cloud{': 'terraform {\n  cloud{\n  }\n}\n',
  };
  for (const [name, text] of Object.entries(backends)) {
    t.equal(localStateFiles(run(dir, ['terraform', 'plan']), [{ path: 'a.tf', text: '' }, { path: 'main.tf', text }]), undefined, name);
  }
  t.equal(localStateFiles(run(dir, ['terraform', 'plan']), [{ path: 'main.tf.json', text: '{"terraform": {"backend" : {"s3": {}}}}' }]), undefined, 'JSON, spaced');

  const recorded = workdir(t, { '.terraform/terraform.tfstate': JSON.stringify({ version: 3, backend: { type: 's3', config: {} } }, null, 2) });
  t.equal(localStateFiles(run(recorded, ['terraform', 'plan']), []), undefined, 'a backend recorded by terraform init, pretty-printed');
  const spaced = workdir(t, { '.terraform/terraform.tfstate': '{"backend" : {"type": "s3"}}' });
  t.equal(localStateFiles(run(spaced, ['terraform', 'plan']), []), undefined, 'spaces before the colon too');

  const modules = workdir(t, {
    'main.tf': 'module "m" {}\n',
    'b.tf': '',
    'a.tf': '',
    'modules/m/m.tf': 'resource "aws_vpc" "v" {}\n',
    '.terraform/modules/modules.json': JSON.stringify({ Modules: [{ Key: '' }, { Key: 'odd', Dir: 42 }, { Key: 'm', Dir: 'modules/m' }] }),
  });
  t.same(
    configurationFiles(run(modules, ['terraform', 'plan'])).map((file) => file.path.slice(modules.length + 1)),
    ['a.tf', 'b.tf', 'main.tf', 'modules/m/m.tf'],
    'entries without a directory are skipped; files in lexical order',
  );
  const broken = workdir(t, { 'main.tf': '', '.terraform/modules/modules.json': '{ not json' });
  t.same(configurationFiles(run(broken, ['terraform', 'plan'])).map((file) => file.path.slice(broken.length + 1)), ['main.tf'], 'an unreadable manifest: the root module');
});
