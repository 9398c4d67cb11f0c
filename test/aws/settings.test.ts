// How the provider block and the environment resolve into settings, in hashicorp/aws's order of precedence.
import t from 'tap';
import { parseDurationSeconds, resolveSettings } from '../../src/aws/settings';
import { CtyNumber } from '../../src/values/value';

/** A launch elsewhere than this process: its own directory, home and variables. */
const at = (env: Record<string, string> = {}) => ({ cwd: '/launch/dir', env: { HOME: '/launch/home', ...env } });

t.test('region: the argument, then AWS_REGION, then AWS_DEFAULT_REGION', async (t) => {
  t.equal(resolveSettings({ region: 'eu-west-1' }, at({ AWS_REGION: 'us-east-1' })).region, 'eu-west-1');
  t.equal(resolveSettings({}, at({ AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-2' })).region, 'us-east-1');
  t.equal(resolveSettings({}, at({ AWS_DEFAULT_REGION: 'us-east-2' })).region, 'us-east-2');
  t.equal(resolveSettings({}, at()).region, undefined);
});

t.test('endpoints: the block, then AWS_ENDPOINT_URL_<SERVICE>, legacy variables, then AWS_ENDPOINT_URL', async (t) => {
  const env = { AWS_ENDPOINT_URL_SAGEMAKER: 'http://sm', AWS_ENDPOINT_URL: 'http://all', TF_AWS_IAM_ENDPOINT: 'http://iam-legacy' };
  t.same(resolveSettings({ endpoints: [{ sts: 'http://sts-config' }] }, at(env)).endpoints, {
    sagemaker: 'http://sm',
    iam: 'http://iam-legacy',
    sts: 'http://sts-config',
  });
  t.same(resolveSettings({}, at({ ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).endpoints, { sagemaker: undefined, iam: undefined, sts: undefined });
});

t.test('retries: max_retries (default 25) and retry_mode', async (t) => {
  t.equal(resolveSettings({}, at()).maxRetries, 25);
  t.equal(resolveSettings({ max_retries: CtyNumber.of(3) }, at()).maxRetries, 3);
  t.equal(resolveSettings({}, at({ AWS_MAX_ATTEMPTS: '5' })).maxRetries, 4);
  t.equal(resolveSettings({ retry_mode: 'adaptive' }, at()).retryMode, 'adaptive');
  t.equal(resolveSettings({}, at()).retryMode, 'standard');
});

t.test('default_tags and ignore_tags merge their environment forms; configuration wins', async (t) => {
  const settings = resolveSettings(
    { default_tags: [{ tags: { env: 'config' } }], ignore_tags: [{ keys: ['a'], key_prefixes: ['p:'] }] },
    at({ TF_AWS_DEFAULT_TAGS_env: 'environment', TF_AWS_DEFAULT_TAGS_team: 'x', TF_AWS_IGNORE_TAGS_KEYS: 'b, c', TF_AWS_IGNORE_TAGS_KEY_PREFIXES: 'q:' }),
  );
  t.same(settings.defaultTags, { env: 'config', team: 'x' });
  t.same([...settings.ignoreTags.keys].sort(), ['a', 'b', 'c']);
  t.same(settings.ignoreTags.keyPrefixes, ['p:', 'q:']);
});

t.test('skip_metadata_api_check is a string holding a bool', async (t) => {
  t.equal(resolveSettings({ skip_metadata_api_check: 'true' }, at()).skipMetadataApiCheck, true);
  t.equal(resolveSettings({ skip_metadata_api_check: 'false' }, at()).skipMetadataApiCheck, false);
});

t.test('assume_role blocks chain in order; an empty role_arn is tolerated', async (t) => {
  const settings = resolveSettings({ assume_role: [{ role_arn: 'arn:aws:iam::1:role/a', duration: '1h30m' }, { role_arn: '' }, { role_arn: 'arn:aws:iam::1:role/b' }] }, at());
  t.same(
    settings.assumeRoles.map((r) => [r.roleArn, r.durationSeconds]),
    [
      ['arn:aws:iam::1:role/a', 5400],
      ['arn:aws:iam::1:role/b', undefined],
    ],
  );
  t.equal(parseDurationSeconds('15m'), 900);
  t.equal(parseDurationSeconds('nonsense'), undefined);
});
