// aws_sagemaker_prebuilt_ecr_image against paths recorded once from hashicorp/aws 5.100.0
// (scripts/record-prebuilt-ecr-fixtures.mjs).
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dnsSuffixForRegion, partitionOfRegion as partitionForRegion } from '../../src/aws/partitions';
import {
  prebuiltImage,
  prebuiltRegistryId,
  repositoryNameError,
  PREBUILT_ECR_REPOSITORY_NAMES,
  PrebuiltEcrImageError,
} from '../../src/aws/sagemaker-prebuilt-ecr';

const dir = join(__dirname, '..', 'fixtures', 'prebuilt-ecr');
const load = <T>(name: string): T => JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;

const names = load<{ summary: string; names: string[] }>('repository-names.json');
type Recorded = Record<string, Record<string, string | { error: string }>>;
const paths = load<{ providerRegion: string; byRegionArgument: Recorded; byProviderRegion: Recorded }>('registry-paths.json');
const suffixes = load<{ byProviderRegion: Record<string, string>; explicitArguments: { id: string; registryId: string; registryPath: string } }>(
  'dns-suffixes.json',
);

function ours(repositoryName: string, region: string, dnsSuffix: string): string | { error: string } {
  try {
    return prebuiltImage({ repositoryName, region, dnsSuffix }).registryPath;
  } catch (e) {
    if (e instanceof PrebuiltEcrImageError) return { error: e.message };
    throw e;
  }
}

t.test('the accepted repository names are those of 5.100.0, in its order', async (t) => {
  t.same(PREBUILT_ECR_REPOSITORY_NAMES, names.names);
  t.equal(repositoryNameError('not-a-repository'), names.summary, 'validator message');
  for (const n of names.names) t.equal(repositoryNameError(n), undefined);
});

t.test('every repository in every recorded region, through the region argument', async (t) => {
  const suffix = dnsSuffixForRegion(paths.providerRegion);
  let compared = 0;
  for (const [region, byRepo] of Object.entries(paths.byRegionArgument)) {
    t.same(Object.keys(byRepo).sort(), [...names.names].sort(), `${region}: every accepted repository recorded`);
    for (const [repo, recorded] of Object.entries(byRepo)) {
      t.same(ours(repo, region, suffix), recorded, `${region} ${repo}`);
      compared++;
    }
  }
  t.ok(compared >= names.names.length * 6);
});

t.test('the six sample regions through the provider region and partition', async (t) => {
  const regions = Object.keys(paths.byProviderRegion);
  t.same(regions.sort(), ['ap-northeast-1', 'cn-north-1', 'eu-west-1', 'us-east-1', 'us-gov-west-1', 'us-west-2']);
  for (const [region, byRepo] of Object.entries(paths.byProviderRegion)) {
    for (const [repo, recorded] of Object.entries(byRepo)) {
      t.same(ours(repo, region, dnsSuffixForRegion(region)), recorded, `${region} ${repo}`);
    }
  }
});

t.test('DNS suffix of the provider partition', async (t) => {
  for (const [region, suffix] of Object.entries(suffixes.byProviderRegion)) {
    t.equal(dnsSuffixForRegion(region), suffix, region);
  }
  t.equal(partitionForRegion('cn-northwest-1').id, 'aws-cn');
  t.equal(partitionForRegion('us-gov-east-1').id, 'aws-us-gov');
  t.equal(partitionForRegion('eusc-de-east-1').id, 'aws-eusc');
});

t.test('explicit image_tag and dns_suffix', async (t) => {
  const out = prebuiltImage({ repositoryName: 'sagemaker-xgboost', imageTag: '1.7-1', region: 'eu-west-1', dnsSuffix: 'example.test' });
  t.equal(out.registryId, suffixes.explicitArguments.registryId);
  t.equal(out.registryId, suffixes.explicitArguments.id, 'id = registry_id');
  t.equal(out.registryPath, suffixes.explicitArguments.registryPath);
});

t.test('documented examples', async (t) => {
  t.equal(prebuiltImage({ repositoryName: 'kmeans', region: 'us-west-2', dnsSuffix: 'amazonaws.com' }).registryPath, '174872318107.dkr.ecr.us-west-2.amazonaws.com/kmeans:1');
  t.equal(prebuiltImage({ repositoryName: 'kmeans', imageTag: null, region: 'us-west-2', dnsSuffix: 'amazonaws.com' }).registryId, '174872318107');
  t.equal(prebuiltRegistryId('sagemaker-geospatial-v1-0', 'us-east-1'), undefined);
  t.throws(() => prebuiltImage({ repositoryName: 'sagemaker-geospatial-v1-0', region: 'us-east-1', dnsSuffix: 'amazonaws.com' }), {
    message: 'no registry ID available for region (us-east-1) and repository (sagemaker-geospatial-v1-0)',
  });
  t.equal(prebuiltRegistryId('kmeans', 'toString'), undefined, 'no prototype keys');
});
