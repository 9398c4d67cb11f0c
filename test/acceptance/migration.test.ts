// Migration: state written by the real hashicorp/aws 5.100.0 is taken over by this provider with no
// changes planned. The same endpoint serves both providers; the state file moves between two working
// directories with the same configuration. The reverse direction (our state read by 5.100.0) is reported
// as test comments, not asserted.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { AwsApi } from './aws';
import { ACC_TARGET, Workspace, hasHashicorpMirror, providerBlock, startTarget, uniqueName, type Target } from './harness';

const skip = ACC_TARGET !== 'embedded' ? 'needs the embedded endpoint' : !hasHashicorpMirror() ? 'hashicorp/aws 5.100.0 mirror not found' : false;

let target: Target;
let aws: AwsApi;
let role: string;
if (!skip) {
  t.before(async () => {
    target = await startTarget();
    aws = new AwsApi(target);
    role = await aws.executionRole();
  });
  t.teardown(async () => {
    aws.destroy();
    await target.stop();
  });
}

const ADDRESS = 'aws_sagemaker_model.test';
const IMAGE = '174872318107.dkr.ecr.us-west-2.amazonaws.com/kmeans:1';
const IMAGE_2 = '174872318107.dkr.ecr.us-west-2.amazonaws.com/linear-learner:1';

function config(name: string, body: string, providerExtra = ''): string {
  return `${providerBlock(target, providerExtra)}
resource "aws_sagemaker_model" "test" {
  name               = "${name}"
  execution_role_arn = "${role}"
${body}
}
`;
}

/**
 * SDKv2 writes "" for unset strings; this provider writes null. Both mean "not set" to Terraform and plan
 * no changes against a configuration that leaves them out, so compare containers with "" read as null.
 */
function sdkv2Container(container: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(container).map(([key, value]) => [key, value === '' ? null : value]));
}

function copyState(from: Workspace, to: Workspace): void {
  copyFileSync(join(from.dir, 'terraform.tfstate'), join(to.dir, 'terraform.tfstate'));
}

/**
 * Applies `hcl` with hashicorp/aws 5.100.0, hands the state to this provider and asserts no changes,
 * also after a refresh. Then hands our state back to 5.100.0 and reports what it plans. Returns both
 * states (5.100.0's and ours after refresh) for further checks.
 */
async function migrate(t: Test, name: string, hcl: string): Promise<{ theirs: Record<string, unknown>; ours: Record<string, unknown> }> {
  const hashicorp = new Workspace('hashicorp');
  const ours = new Workspace();
  t.teardown(() => {
    hashicorp.cleanup();
    ours.cleanup();
  });
  hashicorp.config(hcl);
  ours.config(hcl);

  await hashicorp.apply();
  const theirs = await hashicorp.resource(ADDRESS);
  t.equal(theirs.id, name, 'hashicorp/aws 5.100.0 created the model');
  const written = JSON.parse(readFileSync(join(hashicorp.dir, 'terraform.tfstate'), 'utf8'));
  t.equal(written.resources[0].provider, 'provider["registry.terraform.io/hashicorp/aws"]');

  copyState(hashicorp, ours);
  const first = await ours.planExitCode();
  t.equal(first.code, 0, `this provider plans no changes on 5.100.0's state${first.code === 0 ? '' : `\n${first.output}`}`);
  await ours.ok(['apply', '-refresh-only', '-auto-approve', '-no-color']);
  const second = await ours.planExitCode();
  t.equal(second.code, 0, `no changes after our refresh either${second.code === 0 ? '' : `\n${second.output}`}`);
  const state = await ours.resource(ADDRESS);
  t.equal(state.region, target.region, 'our refresh fills in the v6 region');

  // Reverse direction: report only.
  copyState(ours, hashicorp);
  const back = await hashicorp.run(['plan', '-detailed-exitcode', '-input=false', '-no-color']);
  t.comment(
    back.code === 0
      ? 'reverse: hashicorp/aws 5.100.0 plans no changes on our state'
      : `reverse: hashicorp/aws 5.100.0 on our state exits ${back.code}:\n${(back.stdout + back.stderr).split('\n').filter((l) => /[~+-] |Error|must be replaced|Plan:/.test(l)).join('\n')}`,
  );

  await ours.destroy();
  t.equal(await aws.model(name), null, 'our destroy removed the model');
  return { theirs, ours: state };
}

t.test('migration from 5.100.0: basic model', { skip }, async (t) => {
  const name = uniqueName('tfacc-mig-basic');
  const { theirs, ours } = await migrate(t, name, config(name, `  primary_container {\n    image = "${IMAGE}"\n  }`));
  for (const key of ['id', 'name', 'arn', 'execution_role_arn', 'enable_network_isolation', 'tags', 'tags_all', 'vpc_config', 'inference_execution_config', 'container']) {
    t.same(ours[key], theirs[key], `${key} carries over unchanged`);
  }
  t.same(
    ours.primary_container,
    (theirs.primary_container as Record<string, unknown>[]).map((c) => ({ ...sdkv2Container(c), additional_model_data_source: [] })),
    'primary_container carries over (plus the v6 block; SDKv2 "" read as null)',
  );
});

t.test('migration from 5.100.0: tags and default_tags', { skip }, async (t) => {
  const name = uniqueName('tfacc-mig-tags');
  const { theirs, ours } = await migrate(
    t,
    name,
    config(
      name,
      `  primary_container {\n    image = "${IMAGE}"\n  }\n  tags = {\n    Name  = "${name}"\n    Owner = "resource"\n  }`,
      `  default_tags {\n    tags = {\n      Environment = "acc"\n      Owner       = "default"\n    }\n  }`,
    ),
  );
  t.same(theirs.tags, { Name: name, Owner: 'resource' });
  t.same(theirs.tags_all, { Name: name, Owner: 'resource', Environment: 'acc' });
  t.same(ours.tags, theirs.tags, 'tags carry over');
  t.same(ours.tags_all, theirs.tags_all, 'tags_all carries over');
});

t.test('migration from 5.100.0: vpc_config', { skip }, async (t) => {
  const name = uniqueName('tfacc-mig-vpc');
  const { theirs, ours } = await migrate(
    t,
    name,
    config(
      name,
      `  primary_container {\n    image = "${IMAGE}"\n  }
  vpc_config {
    subnets            = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
    security_group_ids = ["sg-0a1b2c3d4e5f60001"]
  }
  enable_network_isolation = true`,
    ),
  );
  t.same(theirs.vpc_config, [{ subnets: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'], security_group_ids: ['sg-0a1b2c3d4e5f60001'] }]);
  t.same(ours.vpc_config, theirs.vpc_config, 'vpc_config carries over');
  t.equal(ours.enable_network_isolation, true);
});

t.test('migration from 5.100.0: two containers', { skip }, async (t) => {
  const name = uniqueName('tfacc-mig-two');
  const { theirs, ours } = await migrate(
    t,
    name,
    config(
      name,
      `  container {
    image              = "${IMAGE}"
    container_hostname = "first"
    environment = {
      A = "1"
    }
    image_config {
      repository_access_mode = "Platform"
    }
  }
  container {
    image          = "${IMAGE_2}"
    mode           = "MultiModel"
    model_data_url = "s3://tfacc-bucket/models/"
    model_data_source {
      s3_data_source {
        s3_uri           = "s3://tfacc-bucket/models/"
        s3_data_type     = "S3Prefix"
        compression_type = "None"
        model_access_config {
          accept_eula = true
        }
      }
    }
    multi_model_config {
      model_cache_setting = "Enabled"
    }
  }
  inference_execution_config {
    mode = "Serial"
  }`,
    ),
  );
  t.equal((theirs.container as unknown[]).length, 2);
  t.same(
    ours.container,
    (theirs.container as Record<string, unknown>[]).map((c) => ({ ...sdkv2Container(c), additional_model_data_source: [] })),
    'containers carry over in order (plus the v6 block; SDKv2 "" read as null)',
  );
  t.same(ours.inference_execution_config, [{ mode: 'Serial' }]);
});
