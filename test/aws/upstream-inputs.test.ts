// What hashicorp/aws reads when configured (src/aws/upstream-inputs.ts): the files a configured child is kept under,
// and the credentials that a fresh process would resolve anew, for which no configured child is ever reused.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { hashicorpAwsInputs } from '../../src/aws/upstream-inputs';
import { CtyNumber } from '../../src/values/value';

const home = mkdtempSync(join(tmpdir(), 'upstream-inputs-'));
t.teardown(() => rmSync(home, { recursive: true, force: true }));
const cwd = join(home, 'work');
const config = join(home, '.aws', 'config');
const credentials = join(home, '.aws', 'credentials');
/** A launch in `cwd` whose home holds the shared files written by each test. */
const launch = (env: Record<string, string> = {}) => ({ cwd, env: { HOME: home, ...env } });
const files = (sections: { config?: string; credentials?: string }) => {
  rmSync(join(home, '.aws'), { recursive: true, force: true });
  mkdirSync(join(home, '.aws'));
  if (sections.config !== undefined) writeFileSync(config, sections.config);
  if (sections.credentials !== undefined) writeFileSync(credentials, sections.credentials);
};
const STATIC = { access_key: 'AKIDCONFIG', secret_key: 'secret' };

t.test('static keys in the provider block: kept under the shared files, the CA bundle and token files, resolved as the launch resolves them', async (t) => {
  files({ config: '[default]\nregion = eu-west-1\nca_bundle = ./profile-ca.pem\n' });
  const inputs = await hashicorpAwsInputs(
    { ...STATIC, custom_ca_bundle: 'ca.pem', shared_credentials_files: ['./creds'] },
    launch({ AWS_WEB_IDENTITY_TOKEN_FILE: 'token', AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/r' }),
  );
  t.same(inputs, { files: [config, join(cwd, 'creds'), join(cwd, 'ca.pem'), join(cwd, 'token'), join(cwd, 'profile-ca.pem')] });
});

t.test("the profile's own keys, or the environment's: kept", async (t) => {
  files({ credentials: '[pool]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n' });
  t.same(await hashicorpAwsInputs({ profile: 'pool' }, launch()), { files: [config, credentials] });
  t.same(await hashicorpAwsInputs({}, launch({ AWS_PROFILE: 'pool' })), { files: [config, credentials] });
  t.same(await hashicorpAwsInputs({}, launch({ AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 's' })), { files: [config, credentials] });
});

t.test('credentials a fresh process would resolve anew: never reused', async (t) => {
  const refused = async (config: Record<string, unknown>, env: Record<string, string> = {}) => {
    const inputs = await hashicorpAwsInputs(config as never, launch(env));
    return 'refused' in inputs ? inputs.refused : undefined;
  };
  files({});
  t.match(await refused({ ...STATIC, assume_role: [{ role_arn: 'arn:aws:iam::123456789012:role/r' }] }), /assume_role/);
  t.match(await refused({ ...STATIC, assume_role_with_web_identity: [{ role_arn: 'arn:aws:iam::123456789012:role/r' }] }), /web_identity/);
  t.match(await refused({}, { AWS_WEB_IDENTITY_TOKEN_FILE: '/token', AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/r' }), /web identity/);
  t.match(await refused({}, { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials' }), /container/);
  t.match(await refused({}), /no static credentials/, 'nothing static: the instance metadata service would give them');
  for (const [setting, text] of [
    ['credential_process = /bin/get-credentials', /credential_process/],
    ['sso_session = corp', /sso_session/],
    ['sso_start_url = https://corp.awsapps.com/start', /sso_start_url/],
    ['role_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base', /role_arn|source_profile/],
    ['credential_source = Ec2InstanceMetadata', /credential_source/],
  ] as const) {
    files({ config: `[profile dev]\n${setting}\n`, credentials: '[dev]\naws_access_key_id = AKIDSTATIC\naws_secret_access_key = s\n' });
    t.match(await refused({ profile: 'dev' }), text, `a profile with ${setting.split(' ')[0]}, even beside static keys`);
  }
});

t.test('a retryer that keeps state between calls: never reused', async (t) => {
  files({ config: '[default]\nretry_mode = adaptive\n' });
  const refused = async (config: Record<string, unknown>, env: Record<string, string> = {}) => 'refused' in (await hashicorpAwsInputs({ ...STATIC, ...config } as never, launch(env)));
  t.ok(await refused({}), "the profile's adaptive retry mode");
  t.notOk(await refused({ retry_mode: 'standard' }), 'unless the provider block says otherwise');
  t.notOk(await refused({}, { AWS_RETRY_MODE: 'standard' }), 'or the environment does');
  t.ok(await refused({ retry_mode: 'adaptive' }));
  t.ok(await refused({ token_bucket_rate_limiter_capacity: CtyNumber.of(100) }));
});

t.test('every shared file is read, paired in order; a profile found in a later file counts', async (t) => {
  files({});
  writeFileSync(join(home, 'second-config'), '[profile later]\nca_bundle = /abs/ca.pem\n');
  writeFileSync(join(home, 'second-creds'), '[later]\naws_access_key_id = AKIDLATER\naws_secret_access_key = s\n');
  const inputs = await hashicorpAwsInputs(
    { profile: 'later', shared_config_files: [config, join(home, 'second-config')], shared_credentials_files: [credentials, join(home, 'second-creds')] },
    launch(),
  );
  t.same(inputs, { files: [config, join(home, 'second-config'), credentials, join(home, 'second-creds'), '/abs/ca.pem'] });
  const moreConfigs = await hashicorpAwsInputs({ profile: 'later', shared_config_files: [config, join(home, 'second-config')], shared_credentials_files: [join(home, 'second-creds')] }, launch());
  t.same(moreConfigs, { files: [config, join(home, 'second-config'), join(home, 'second-creds'), '/abs/ca.pem'] }, 'the one credentials file beside each config file');
});

t.test('a container token file is an input; a session token alone is static; a zero token bucket keeps nothing', async (t) => {
  files({});
  t.same(
    await hashicorpAwsInputs({ ...STATIC }, launch({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/creds', AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: 'tok' })),
    { files: [config, credentials, join(cwd, 'tok')] },
  );
  t.same(await hashicorpAwsInputs({ token: 'session' }, launch()), { files: [config, credentials] });
  t.same(await hashicorpAwsInputs({ ...STATIC, token_bucket_rate_limiter_capacity: CtyNumber.of(0) }, launch()), { files: [config, credentials] });
  t.same(await hashicorpAwsInputs({ ...STATIC, retry_mode: 'adaptive' }, launch()), { refused: 'the adaptive retry mode keeps a sending rate learnt from throttling' });
});
