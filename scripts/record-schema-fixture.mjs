// Records test/fixtures/aws-5.100.0-schema.json from the real hashicorp/aws provider (see record-terraform.mjs):
//   node scripts/record-schema-fixture.mjs   (TF_PLUGIN_MIRROR=<mirror dir> to choose the mirror)
//
// `terraform providers schema -json` of hashicorp/aws 5.100.0, reduced to what the schema tests compare with:
// the provider block and the types this provider serves, without descriptions (Terraform's structure only;
// `deprecated` and `sensitive` flags are kept). Keys are sorted so a re-recording diffs cleanly.

import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchDir, requiredProviders, PROVIDER_VERSION } from './record-terraform.mjs';

const outFile = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', `aws-${PROVIDER_VERSION}-schema.json`);

const KEEP = {
  resource_schemas: ['aws_iam_role', 'aws_sagemaker_endpoint', 'aws_sagemaker_endpoint_configuration', 'aws_sagemaker_model'],
  data_source_schemas: ['aws_iam_policy_document', 'aws_sagemaker_prebuilt_ecr_image'],
};

const DESCRIPTION_KEYS = new Set(['description', 'description_kind']);

/** The object with its keys sorted, minus the description keys. */
function sortedWithoutDescriptions(object) {
  return Object.fromEntries(
    Object.keys(object)
      .filter((key) => !DESCRIPTION_KEYS.has(key))
      .sort()
      .map((key) => [key, object[key]]),
  );
}

const mapValues = (object, f) => Object.fromEntries(Object.keys(object).sort().map((key) => [key, f(object[key])]));

/** A block without the descriptions of itself and its attributes (an attribute may be named "description"). */
function withoutDescriptions(block) {
  const out = sortedWithoutDescriptions(block);
  if (out.attributes) out.attributes = mapValues(out.attributes, sortedWithoutDescriptions);
  if (out.block_types) out.block_types = mapValues(out.block_types, (nested) => ({ ...sortedWithoutDescriptions(nested), block: withoutDescriptions(nested.block) }));
  return out;
}

/** One schema entry ({version, block}) as recorded. */
const recorded = (schema) => ({ ...sortedWithoutDescriptions(schema), block: withoutDescriptions(schema.block) });

const tf = scratchDir(requiredProviders());
try {
  const shown = tf.run(['providers', 'schema', '-json']);
  if (shown.status !== 0) throw new Error('terraform providers schema -json failed:\n' + shown.stderr);
  const terraform = JSON.parse(tf.run(['version', '-json']).stdout).terraform_version;
  const all = JSON.parse(shown.stdout);
  const aws = all.provider_schemas['registry.terraform.io/hashicorp/aws'];
  const fixture = {
    format_version: all.format_version,
    recorded_from: `hashicorp/aws ${PROVIDER_VERSION}, terraform providers schema -json, Terraform ${terraform}; descriptions removed`,
    provider: recorded(aws.provider),
  };
  for (const [kind, names] of Object.entries(KEEP)) {
    fixture[kind] = Object.fromEntries(
      names.map((name) => {
        if (!aws[kind][name]) throw new Error(`${kind}.${name} is not in hashicorp/aws ${PROVIDER_VERSION}'s schema`);
        return [name, recorded(aws[kind][name])];
      }),
    );
  }
  writeFileSync(outFile, JSON.stringify(fixture, null, 1) + '\n');
  console.log('recorded into', outFile);
} finally {
  tf.remove();
}
