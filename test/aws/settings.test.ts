// How the provider block and the environment resolve into settings, in hashicorp/aws's order of precedence.
import t from 'tap';
import { parseDurationSeconds, resolveSettings } from '../../src/aws/settings';
import { profileRegion } from '../../src/aws/shared-files';
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

t.test('endpoints: an empty argument is unset; AWS_ENDPOINT_URL and the legacy variables fill in, in order', async (t) => {
  t.same(resolveSettings({ endpoints: [{ sagemaker: '', iam: '', sts: '' }] }, at({ AWS_ENDPOINT_URL: 'http://all' })).endpoints, {
    sagemaker: 'http://all',
    iam: 'http://all',
    sts: 'http://all',
  });
  t.same(resolveSettings({}, at({ AWS_STS_ENDPOINT: 'http://sts-old', AWS_IAM_ENDPOINT: 'http://iam-old', TF_AWS_IAM_ENDPOINT: '' })).endpoints, {
    sagemaker: undefined,
    iam: 'http://iam-old',
    sts: 'http://sts-old',
  });
  t.same(resolveSettings({}, at({ TF_AWS_STS_ENDPOINT: 'http://sts-tf', AWS_STS_ENDPOINT: 'http://sts-old', AWS_ENDPOINT_URL_STS: 'http://sts-new' })).endpoints.sts, 'http://sts-new');
  t.same(resolveSettings({}, at({ TF_AWS_STS_ENDPOINT: 'http://sts-tf', AWS_STS_ENDPOINT: 'http://sts-old' })).endpoints.sts, 'http://sts-tf');
  t.same(resolveSettings({ endpoints: [{ sts: 'http://configured' }] }, at({ AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).endpoints.sts, 'http://configured', 'the block is not ignored');
});

t.test('retries and retry mode from the environment; the argument wins', async (t) => {
  t.equal(resolveSettings({}, at({ AWS_RETRY_MODE: 'adaptive' })).retryMode, 'adaptive');
  t.equal(resolveSettings({ retry_mode: 'standard' }, at({ AWS_RETRY_MODE: 'adaptive' })).retryMode, 'standard');
  t.equal(resolveSettings({ retry_mode: '' }, at({ AWS_RETRY_MODE: 'adaptive' })).retryMode, 'adaptive', 'an empty argument is unset');
  t.equal(resolveSettings({}, at({ AWS_RETRY_MODE: 'legacy' })).retryMode, 'standard');
  t.equal(resolveSettings({ max_retries: CtyNumber.of(0) }, at({ AWS_MAX_ATTEMPTS: '5' })).maxRetries, 0, 'max_retries = 0 wins');
});

t.test('static keys, session token, region fallbacks and flags', async (t) => {
  const settings = resolveSettings({ access_key: 'AK', secret_key: 'SK', token: 'T', profile: '', sts_region: 'eu-west-1', insecure: true }, at({ AWS_DEFAULT_PROFILE: 'p' }));
  t.same([settings.accessKey, settings.secretKey, settings.token, settings.profile, settings.stsRegion, settings.insecure], ['AK', 'SK', 'T', 'p', 'eu-west-1', true]);
  const defaults = resolveSettings({ access_key: '', region: '' }, at({ AWS_REGION: '' , AWS_DEFAULT_REGION: 'us-east-2' }));
  t.same([defaults.accessKey, defaults.region, defaults.profile, defaults.stsRegion, defaults.insecure], [undefined, 'us-east-2', undefined, undefined, false]);
  t.same(
    [defaults.skipCredentialsValidation, defaults.skipRequestingAccountId, defaults.skipMetadataApiCheck, defaults.skipRegionValidation],
    [false, false, false, false],
  );
  const skipping = resolveSettings({ skip_credentials_validation: true, skip_requesting_account_id: true, skip_region_validation: true, skip_metadata_api_check: '1' }, at());
  t.same(
    [skipping.skipCredentialsValidation, skipping.skipRequestingAccountId, skipping.skipMetadataApiCheck, skipping.skipRegionValidation],
    [true, true, true, true],
  );
  t.equal(resolveSettings({ skip_metadata_api_check: 'false' }, at({ AWS_EC2_METADATA_DISABLED: 'true' })).skipMetadataApiCheck, false, 'the argument wins');
  t.equal(resolveSettings({ skip_metadata_api_check: '' }, at({ AWS_EC2_METADATA_DISABLED: 'true' })).skipMetadataApiCheck, true, 'an empty argument is unset');
  t.equal(resolveSettings({}, at({ AWS_EC2_METADATA_DISABLED: 'yes' })).skipMetadataApiCheck, false);
  t.same(resolveSettings({ allowed_account_ids: ['1'], forbidden_account_ids: ['2'] }, at()).allowedAccountIds, ['1']);
  t.same(resolveSettings({ allowed_account_ids: ['1'], forbidden_account_ids: ['2'] }, at()).forbiddenAccountIds, ['2']);
});

t.test('custom_ca_bundle: the argument, else AWS_CA_BUNDLE, relative to the launch directory', async (t) => {
  t.equal(resolveSettings({ custom_ca_bundle: 'ca.pem' }, at({ AWS_CA_BUNDLE: 'other.pem' })).customCaBundle, '/launch/dir/ca.pem');
  t.equal(resolveSettings({ custom_ca_bundle: '' }, at({ AWS_CA_BUNDLE: '~/env.pem' })).customCaBundle, '/launch/home/env.pem');
  t.equal(resolveSettings({}, at()).customCaBundle, undefined);
});

t.test('environment credentials: keys with their companions, web identity, container, IMDSv1', async (t) => {
  const keys = resolveSettings({}, at({
    AWS_ACCESS_KEY_ID: 'AK',
    AWS_SECRET_ACCESS_KEY: 'SK',
    AWS_SESSION_TOKEN: 'T',
    AWS_CREDENTIAL_EXPIRATION: '2030-01-02T03:04:05Z',
    AWS_CREDENTIAL_SCOPE: 'scope',
    AWS_ACCOUNT_ID: '123456789012',
  })).environmentCredentials;
  t.same(keys.keys, { accessKeyId: 'AK', secretAccessKey: 'SK', sessionToken: 'T', expiration: new Date('2030-01-02T03:04:05Z'), credentialScope: 'scope', accountId: '123456789012' });
  const bare = resolveSettings({}, at({ AWS_ACCESS_KEY_ID: 'AK', AWS_SECRET_ACCESS_KEY: 'SK', AWS_SESSION_TOKEN: '', AWS_CREDENTIAL_SCOPE: '', AWS_ACCOUNT_ID: '' })).environmentCredentials;
  t.same(bare.keys, { accessKeyId: 'AK', secretAccessKey: 'SK', sessionToken: undefined, expiration: undefined, credentialScope: undefined, accountId: undefined });
  t.equal(resolveSettings({}, at({ AWS_ACCESS_KEY_ID: 'AK' })).environmentCredentials.keys, undefined, 'a key without its secret');
  t.equal(resolveSettings({}, at({ AWS_SECRET_ACCESS_KEY: 'SK' })).environmentCredentials.keys, undefined, 'a secret without its key');
  t.equal(resolveSettings({}, at({ AWS_WEB_IDENTITY_TOKEN_FILE: 't' })).environmentCredentials.webIdentity, undefined, 'a token file without a role');
  t.equal(resolveSettings({}, at({ AWS_ROLE_ARN: 'arn' })).environmentCredentials.webIdentity, undefined, 'a role without a token file');
  t.same(resolveSettings({}, at({ AWS_WEB_IDENTITY_TOKEN_FILE: '/t', AWS_ROLE_ARN: 'arn', AWS_ROLE_SESSION_NAME: 's' })).environmentCredentials.webIdentity, { tokenFile: '/t', roleArn: 'arn', sessionName: 's' });
  t.equal(resolveSettings({}, at()).environmentCredentials.container, undefined);
  t.same(resolveSettings({}, at({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/creds', AWS_CONTAINER_AUTHORIZATION_TOKEN: 'tok' })).environmentCredentials.container, {
    relativeUri: '/v2/creds',
    fullUri: undefined,
    authorizationToken: 'tok',
    authorizationTokenFile: undefined,
  });
  t.same(resolveSettings({}, at({ AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1', AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: 'tokfile' })).environmentCredentials.container, {
    relativeUri: undefined,
    fullUri: 'http://169.254.170.23/v1',
    authorizationToken: undefined,
    authorizationTokenFile: '/launch/dir/tokfile',
  });
  t.equal(resolveSettings({}, at({ AWS_EC2_METADATA_V1_DISABLED: 'True' })).environmentCredentials.imdsV1Disabled, true);
  t.equal(resolveSettings({}, at({ AWS_EC2_METADATA_V1_DISABLED: 'no' })).environmentCredentials.imdsV1Disabled, false);
  t.equal(resolveSettings({}, at()).environmentCredentials.imdsV1Disabled, false);
});

t.test('assume_role: every argument, empty ones unset', async (t) => {
  const [role] = resolveSettings({
    assume_role: [{
      role_arn: 'arn:r', duration: '', external_id: 'x', policy: 'p', policy_arns: ['arn:p'], session_name: 's', source_identity: 'i', tags: { k: 'v' }, transitive_tag_keys: ['k'],
    }],
  }, at()).assumeRoles;
  t.same(role, { roleArn: 'arn:r', durationSeconds: undefined, externalId: 'x', policy: 'p', policyArns: ['arn:p'], sessionName: 's', sourceIdentity: 'i', tags: { k: 'v' }, transitiveTagKeys: ['k'] });
  const [bare] = resolveSettings({ assume_role: [{ role_arn: 'arn:r', external_id: '', session_name: '', tags: null }] }, at()).assumeRoles;
  t.same(bare, { roleArn: 'arn:r', durationSeconds: undefined, externalId: undefined, policy: undefined, policyArns: [], sessionName: undefined, sourceIdentity: undefined, tags: undefined, transitiveTagKeys: [] });
});

t.test('default tags from TF_AWS_DEFAULT_TAGS_<key>; ignore lists split on commas', async (t) => {
  t.same(resolveSettings({}, at({ TF_AWS_DEFAULT_TAGS_: 'no key', TF_AWS_DEFAULT_TAGS_a: '', XTF_AWS_DEFAULT_TAGS_b: 'x' })).defaultTags, { a: '' });
  const ignore = resolveSettings({}, at({ TF_AWS_IGNORE_TAGS_KEYS: ' a ,, b,', TF_AWS_IGNORE_TAGS_KEY_PREFIXES: '' })).ignoreTags;
  t.same([...ignore.keys], ['a', 'b']);
  t.same(ignore.keyPrefixes, []);
});

t.test('assume_role duration: Go duration strings in whole seconds', async (t) => {
  t.equal(parseDurationSeconds('1h'), 3600);
  t.equal(parseDurationSeconds('15m30s'), 930);
  t.equal(parseDurationSeconds('1.5h'), 5400);
  t.equal(parseDurationSeconds('1500ms'), 2, 'rounded');
  t.equal(parseDurationSeconds('90s'), 90);
  t.equal(parseDurationSeconds(''), undefined);
  t.equal(parseDurationSeconds(undefined), undefined);
  t.equal(parseDurationSeconds('1h 2m'), undefined, 'nothing between the parts');
  t.equal(parseDurationSeconds('x1h'), undefined);
  t.equal(parseDurationSeconds('1h!'), undefined);
});

t.test("the profile's region: the named profile's section, else the default one; an empty region is none", async (t) => {
  const files = { configFile: { default: { region: 'us-east-2' }, dev: { region: 'eu-west-1' }, blank: { region: '' } }, credentialsFile: { dev: { region: 'ap-south-1' } } };
  t.equal(profileRegion(files, resolveSettings({}, at())), 'us-east-2');
  t.equal(profileRegion(files, resolveSettings({ profile: 'dev' }, at())), 'eu-west-1', 'from the config file only');
  t.equal(profileRegion(files, resolveSettings({ profile: 'blank' }, at())), undefined);
  t.equal(profileRegion(files, resolveSettings({ profile: 'absent' }, at())), undefined);
});
