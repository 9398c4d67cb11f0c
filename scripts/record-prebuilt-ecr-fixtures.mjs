// Records test/fixtures/prebuilt-ecr/ from the real hashicorp/aws provider (see record-terraform.mjs):
//   node scripts/record-prebuilt-ecr-fixtures.mjs   (TF_PLUGIN_MIRROR=<mirror dir> to choose the mirror)
//
// - repository-names.json: the validator message for an unknown repository_name (it lists every name).
// - registry-paths.json: registry_path (or the error) of every accepted repository in many regions,
//   through the region argument, plus six regions through the provider's own region.
// - dns-suffixes.json: the DNS suffix the provider uses for a provider region of each partition.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchDir, requiredProviders, hclString, PROVIDER_VERSION } from './record-terraform.mjs';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'prebuilt-ecr');

const SAMPLE_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1', 'cn-north-1', 'us-gov-west-1'];

// Every region any family map of the provider source knows, and some it does not.
const REGIONS = [
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1',
  'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5',
  'ap-southeast-7', 'ca-central-1', 'ca-west-1', 'cn-north-1', 'cn-northwest-1', 'eu-central-1', 'eu-central-2',
  'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'il-central-1', 'me-central-1',
  'me-south-1', 'mx-central-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-gov-east-1', 'us-gov-west-1',
  'us-iso-east-1', 'us-iso-west-1', 'us-isob-east-1', 'us-isof-south-1', 'eu-isoe-west-1', 'eusc-de-east-1',
  'us-west-1', 'us-west-2',
];

// Provider regions whose partition DNS suffix is recorded.
const PARTITION_REGIONS = [
  'us-east-1', 'cn-north-1', 'us-gov-west-1', 'us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1',
  'us-isof-south-1', 'eusc-de-east-1', 'mx-central-1', 'ap-southeast-7', 'xx-nowhere-1',
];

function providers(regions) {
  return regions
    .map((region, i) => `provider "aws" {
  ${i === 0 ? '' : `alias = "p${i}"\n  `}region                      = ${hclString(region)}
  access_key                  = "x"
  secret_key                  = "x"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
`)
    .join('\n');
}

const providerRef = (i) => (i === 0 ? '' : `  provider = aws.p${i}\n`);

function recordRepositoryNames() {
  const tf = scratchDir(requiredProviders() + providers(['us-east-1']) + 'data "aws_sagemaker_prebuilt_ecr_image" "x" {\n  repository_name = "not-a-repository"\n}\n');
  try {
    const [diag] = tf.diagnostics(['validate', '-json', '-no-color']);
    const names = [...diag.summary.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    writeFileSync(join(outDir, 'repository-names.json'), JSON.stringify({ provider: `hashicorp/aws ${PROVIDER_VERSION}`, summary: diag.summary, names }, null, 2) + '\n');
    return names;
  } finally {
    tf.remove();
  }
}

/** Data sources for every (region, repository); region argument unless `viaProvider`. */
function lookups(names) {
  const list = [];
  REGIONS.forEach((region, r) => names.forEach((repo, n) => list.push({ key: `arg|${region}|${repo}`, name: `a_${r}_${n}`, region, repo, provider: 0, regionArg: true })));
  const providerRegions = ['us-east-1', ...SAMPLE_REGIONS.filter((r) => r !== 'us-east-1')];
  providerRegions.forEach((region, p) =>
    names.forEach((repo, n) => list.push({ key: `provider|${region}|${repo}`, name: `p_${p}_${n}`, region, repo, provider: p, regionArg: false })),
  );
  return { list, providerRegions };
}

function dataHcl(l) {
  return `data "aws_sagemaker_prebuilt_ecr_image" "${l.name}" {\n${providerRef(l.provider)}  repository_name = ${hclString(l.repo)}\n${l.regionArg ? `  region          = ${hclString(l.region)}\n` : ''}}\n`;
}

function recordRegistryPaths(names) {
  const { list, providerRegions } = lookups(names);
  const head = requiredProviders() + providers(providerRegions);
  // Pass 1: which lookups fail (all errors of one plan).
  const errors = new Map();
  {
    const tf = scratchDir(head + list.map(dataHcl).join(''));
    try {
      for (const d of tf.diagnostics(['plan', '-json', '-no-color', '-input=false'])) {
        const name = d.address?.replace('data.aws_sagemaker_prebuilt_ecr_image.', '');
        if (!name) throw new Error('diagnostic without address: ' + JSON.stringify(d));
        errors.set(name, d.summary);
      }
    } finally {
      tf.remove();
    }
  }
  // Pass 2: the paths of the others, as one output map.
  const ok = list.filter((l) => !errors.has(l.name));
  const outputs = `output "paths" {\n  value = {\n${ok.map((l) => `    ${JSON.stringify(l.key)} = data.aws_sagemaker_prebuilt_ecr_image.${l.name}.registry_path`).join('\n')}\n  }\n}\n`;
  const tf = scratchDir(head + ok.map(dataHcl).join('') + outputs);
  let paths;
  try {
    const apply = tf.run(['apply', '-auto-approve', '-no-color', '-input=false']);
    if (apply.status !== 0) throw new Error('apply failed:\n' + apply.stdout + apply.stderr);
    paths = JSON.parse(tf.run(['output', '-json']).stdout).paths.value;
  } finally {
    tf.remove();
  }
  const byRegionArgument = {};
  const byProviderRegion = {};
  for (const l of list) {
    const target = l.regionArg ? byRegionArgument : byProviderRegion;
    target[l.region] ??= {};
    target[l.region][l.repo] = errors.has(l.name) ? { error: errors.get(l.name) } : paths[l.key];
  }
  writeFileSync(
    join(outDir, 'registry-paths.json'),
    JSON.stringify({ provider: `hashicorp/aws ${PROVIDER_VERSION}`, providerRegion: 'us-east-1', byRegionArgument, byProviderRegion }, null, 1) + '\n',
  );
}

function recordDnsSuffixes() {
  const head = requiredProviders() + providers(PARTITION_REGIONS);
  const data = PARTITION_REGIONS.map(
    (_, i) => `data "aws_sagemaker_prebuilt_ecr_image" "d${i}" {\n${providerRef(i)}  repository_name = "kmeans"\n  region          = "us-west-2"\n}\n`,
  ).join('');
  const extra = `data "aws_sagemaker_prebuilt_ecr_image" "custom" {\n  repository_name = "sagemaker-xgboost"\n  image_tag       = "1.7-1"\n  dns_suffix      = "example.test"\n  region          = "eu-west-1"\n}\n`;
  const outputs = `output "suffixes" {\n  value = {\n${PARTITION_REGIONS.map((r, i) => `    ${JSON.stringify(r)} = data.aws_sagemaker_prebuilt_ecr_image.d${i}.registry_path`).join('\n')}\n  }\n}\noutput "custom" {\n  value = [data.aws_sagemaker_prebuilt_ecr_image.custom.id, data.aws_sagemaker_prebuilt_ecr_image.custom.registry_id, data.aws_sagemaker_prebuilt_ecr_image.custom.registry_path]\n}\n`;
  const tf = scratchDir(head + data + extra + outputs);
  try {
    const apply = tf.run(['apply', '-auto-approve', '-no-color', '-input=false']);
    if (apply.status !== 0) throw new Error('apply failed:\n' + apply.stdout + apply.stderr);
    const out = JSON.parse(tf.run(['output', '-json']).stdout);
    const suffixes = Object.fromEntries(
      Object.entries(out.suffixes.value).map(([region, path]) => [region, path.replace(/^174872318107\.dkr\.ecr\.us-west-2\./, '').replace(/\/kmeans:1$/, '')]),
    );
    const [id, registryId, registryPath] = out.custom.value;
    writeFileSync(
      join(outDir, 'dns-suffixes.json'),
      JSON.stringify({ provider: `hashicorp/aws ${PROVIDER_VERSION}`, byProviderRegion: suffixes, explicitArguments: { id, registryId, registryPath } }, null, 2) + '\n',
    );
  } finally {
    tf.remove();
  }
}

mkdirSync(outDir, { recursive: true });
const names = recordRepositoryNames();
recordDnsSuffixes();
recordRegistryPaths(names);
console.log('recorded into', outDir);
