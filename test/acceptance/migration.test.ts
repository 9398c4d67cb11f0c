// Migration: state written by the real hashicorp/aws 5.100.0 is taken over by this provider with no
// changes planned. The same endpoint serves both providers; the state file moves between two working
// directories with the same configuration. The reverse direction (our state read by 5.100.0) is reported
// as test comments, not asserted.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { ACC_TARGET, Workspace, hasHashicorpMirror, providerBlock, uniqueName } from './harness';
import { useTarget } from './target';

const skip = ACC_TARGET !== 'embedded' ? 'needs the embedded endpoint' : !hasHashicorpMirror() ? 'hashicorp/aws 5.100.0 mirror not found' : false;

const acc = skip ? undefined : useTarget(t);

const IMAGE = '174872318107.dkr.ecr.us-west-2.amazonaws.com/kmeans:1';
const IMAGE_2 = '174872318107.dkr.ecr.us-west-2.amazonaws.com/linear-learner:1';
const HASHICORP_AWS = 'provider["registry.terraform.io/hashicorp/aws"]';

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

/** The attribute values of every resource in state, by address. */
async function statesByAddress(ws: Workspace): Promise<Record<string, Record<string, unknown>>> {
  return Object.fromEntries(((await ws.state()).values?.root_module?.resources ?? []).map((r) => [r.address, r.values]));
}

/**
 * One migration case: a model of its own (resource `key`) with `body` inside, created through the provider
 * configuration `provider` names (the default one, or `tagged` with default_tags), and the checks of the state
 * 5.100.0 wrote against ours after the takeover and a refresh.
 */
interface MigrationCase {
  title: string;
  key: string;
  body(name: string): string;
  provider?: 'tagged';
  check(t: Test, name: string, theirs: Record<string, unknown>, ours: Record<string, unknown>): void;
}

const TAGGED_PROVIDER = `  alias = "tagged"
  default_tags {
    tags = {
      Environment = "acc"
      Owner       = "default"
    }
  }`;

const CASES: MigrationCase[] = [
  {
    title: 'migration from 5.100.0: basic model',
    key: 'basic',
    body: () => `  primary_container {\n    image = "${IMAGE}"\n  }`,
    check(t, _name, theirs, ours) {
      for (const key of ['id', 'name', 'arn', 'execution_role_arn', 'enable_network_isolation', 'tags', 'tags_all', 'vpc_config', 'inference_execution_config', 'container']) {
        t.same(ours[key], theirs[key], `${key} carries over unchanged`);
      }
      t.same(
        ours.primary_container,
        (theirs.primary_container as Record<string, unknown>[]).map((c) => ({ ...sdkv2Container(c), additional_model_data_source: [] })),
        'primary_container carries over (plus the v6 block; SDKv2 "" read as null)',
      );
    },
  },
  {
    title: 'migration from 5.100.0: tags and default_tags',
    key: 'tags',
    provider: 'tagged',
    body: (name) => `  primary_container {\n    image = "${IMAGE}"\n  }\n  tags = {\n    Name  = "${name}"\n    Owner = "resource"\n  }`,
    check(t, name, theirs, ours) {
      t.same(theirs.tags, { Name: name, Owner: 'resource' });
      t.same(theirs.tags_all, { Name: name, Owner: 'resource', Environment: 'acc' });
      t.same(ours.tags, theirs.tags, 'tags carry over');
      t.same(ours.tags_all, theirs.tags_all, 'tags_all carries over');
    },
  },
  {
    title: 'migration from 5.100.0: vpc_config',
    key: 'vpc',
    body: () => `  primary_container {\n    image = "${IMAGE}"\n  }
  vpc_config {
    subnets            = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
    security_group_ids = ["sg-0a1b2c3d4e5f60001"]
  }
  enable_network_isolation = true`,
    check(t, _name, theirs, ours) {
      t.same(theirs.vpc_config, [{ subnets: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'], security_group_ids: ['sg-0a1b2c3d4e5f60001'] }]);
      t.same(ours.vpc_config, theirs.vpc_config, 'vpc_config carries over');
      t.equal(ours.enable_network_isolation, true);
    },
  },
  {
    title: 'migration from 5.100.0: two containers',
    key: 'two',
    body: () => `  container {
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
    check(t, _name, theirs, ours) {
      t.equal((theirs.container as unknown[]).length, 2);
      t.same(
        ours.container,
        (theirs.container as Record<string, unknown>[]).map((c) => ({ ...sdkv2Container(c), additional_model_data_source: [] })),
        'containers carry over in order (plus the v6 block; SDKv2 "" read as null)',
      );
      t.same(ours.inference_execution_config, [{ mode: 'Serial' }]);
    },
  },
];

// Every case is its own model in one configuration, so each step is one terraform command for all of them
// (hashicorp/aws 5.100.0 costs seconds per command): 5.100.0 applies, its state goes to this provider, which must
// plan no changes, also after a refresh; then our state goes back to 5.100.0 and what it plans is reported.
t.test('migration from 5.100.0: state written by hashicorp/aws is taken over with no changes', { skip }, async (t) => {
  const { target, aws, role } = acc!;
  const models = CASES.map((c) => ({ ...c, address: `aws_sagemaker_model.${c.key}`, name: uniqueName(`tfacc-mig-${c.key}`) }));
  const hcl =
    providerBlock(target) +
    providerBlock(target, TAGGED_PROVIDER) +
    models
      .map(
        (m) => `
resource "aws_sagemaker_model" "${m.key}" {
${m.provider ? `  provider           = aws.${m.provider}\n` : ''}  name               = "${m.name}"
  execution_role_arn = "${role}"
${m.body(m.name)}
}
`,
      )
      .join('');
  const hashicorp = new Workspace('hashicorp');
  const ours = new Workspace();
  t.teardown(() => {
    hashicorp.cleanup();
    ours.cleanup();
  });
  hashicorp.config(hcl);
  ours.config(hcl);

  await hashicorp.apply();
  const theirStates = await statesByAddress(hashicorp);
  const written = JSON.parse(readFileSync(join(hashicorp.dir, 'terraform.tfstate'), 'utf8')) as { resources: { type: string; name: string; provider: string }[] };
  for (const m of models) {
    t.equal(theirStates[m.address]?.id, m.name, `${m.key}: hashicorp/aws 5.100.0 created the model`);
    t.equal(
      written.resources.find((r) => `${r.type}.${r.name}` === m.address)?.provider,
      m.provider ? `${HASHICORP_AWS}.${m.provider}` : HASHICORP_AWS,
      `${m.key}: written by hashicorp/aws`,
    );
  }

  copyState(hashicorp, ours);
  const first = await ours.planExitCode();
  t.equal(first.code, 0, `this provider plans no changes on 5.100.0's state${first.code === 0 ? '' : `\n${first.output}`}`);
  await ours.ok(['apply', '-refresh-only', '-auto-approve', '-no-color']);
  const second = await ours.planExitCode();
  t.equal(second.code, 0, `no changes after our refresh either${second.code === 0 ? '' : `\n${second.output}`}`);
  const ourStates = await statesByAddress(ours);
  for (const m of models) t.equal(ourStates[m.address]?.region, target.region, `${m.key}: our refresh fills in the v6 region`);

  // Reverse direction: report only.
  copyState(ours, hashicorp);
  const back = await hashicorp.run(['plan', '-detailed-exitcode', '-input=false', '-no-color']);
  t.comment(
    back.code === 0
      ? 'reverse: hashicorp/aws 5.100.0 plans no changes on our state'
      : `reverse: hashicorp/aws 5.100.0 on our state exits ${back.code}:\n${(back.stdout + back.stderr).split('\n').filter((l) => /[~+-] |Error|must be replaced|Plan:/.test(l)).join('\n')}`,
  );

  await ours.destroy();
  for (const m of models) t.equal(await aws.model(m.name), null, `${m.key}: our destroy removed the model`);

  for (const m of models) {
    await t.test(m.title, async (t) => m.check(t, m.name, theirStates[m.address] ?? {}, ourStates[m.address] ?? {}));
  }
});
