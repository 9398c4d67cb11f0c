// ConfigureProvider of the AWS provider (src/aws/provider.ts) and the clients it builds (src/aws/clients.ts), against a
// fake STS on a loopback port: the region, proxy checks, credential validation, allowed and forbidden accounts,
// assume_role hops and the retry count.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { awsProvider } from '../../src/aws/provider';
import { AwsClients } from '../../src/aws/clients';
import { resolveSettings } from '../../src/aws/settings';
import type { Launch } from '../../src/protocol/launch';
import { Logger } from '../../src/protocol/log';
import { CtyNumber, type ObjectValue } from '../../src/values/value';
import { startFakeSts, type FakeSts } from '../support/aws-fake-sts';

/** A launch in a directory of its own with an empty home, and log lines kept in `lines`. */
function launchIn(t: Test, env: Record<string, string> = {}): Launch & { lines: string[] } {
  const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'aws-provider-')));
  t.teardown(() => rmSync(cwd, { recursive: true, force: true }));
  mkdirSync(join(cwd, 'home', '.aws'), { recursive: true });
  const lines: string[] = [];
  const log = new Logger('provider', 'debug', (line) => void lines.push(line));
  return { terraformPid: process.pid, cwd, env: { HOME: join(cwd, 'home'), ...env }, executable: '/nonexistent', log, lines };
}

const KEYS = { access_key: 'AKIASTATIC', secret_key: 's', skip_metadata_api_check: 'true' };

async function configure(t: Test, config: ObjectValue, options: { sts?: FakeSts; env?: Record<string, string>; launch?: Launch } = {}) {
  const launch = options.launch ?? launchIn(t, options.env);
  const provider = awsProvider([], [], launch);
  const endpoints: ObjectValue = options.sts ? { endpoints: [{ sts: options.sts.url }] } : {};
  return provider.configure({ ...KEYS, max_retries: CtyNumber.of(0), ...endpoints, ...config }, '1.11.4', new AbortController().signal);
}

const summaries = (diagnostics: { severity: string; summary: string; detail?: string }[]) => diagnostics.map((d) => [d.severity, d.summary, d.detail]);

t.test('the provider is SDKv2-based, with its schema and the resource types it is given', async (t) => {
  const provider = awsProvider([], [], launchIn(t));
  t.equal(provider.sdkv2, true);
  t.ok(JSON.stringify(provider.schema).includes('"skip_requesting_account_id"'), "hashicorp/aws's provider schema");
  t.ok(provider.providerMetaSchema);
  t.same(provider.resources, []);
  t.same(provider.dataSources, []);
});

t.test('more than one endpoints block is warned about', async (t) => {
  const { validateConfig } = awsProvider([], [], launchIn(t));
  t.same(validateConfig!({ endpoints: [{ sts: 'http://a' }] }), []);
  t.same(validateConfig!({ endpoints: [{ sts: 'http://a' }, { iam: 'http://b' }] }), [
    { severity: 'warning', summary: 'Multiple endpoints blocks', detail: 'Only one "endpoints" block is used; the others are ignored.', path: [{ attr: 'endpoints' }] },
  ]);
});

t.test('a region is required: the argument, the environment or the profile', async (t) => {
  const missing = await configure(t, { skip_credentials_validation: true, skip_requesting_account_id: true });
  t.same(missing.diagnostics.map((d) => [d.severity, d.summary, d.path]), [['error', 'Missing AWS region', [{ attr: 'region' }]]]);
  const fromEnvironment = await configure(t, { skip_credentials_validation: true, skip_requesting_account_id: true }, { env: { AWS_REGION: 'eu-west-1' } });
  t.equal(fromEnvironment.meta.region, 'eu-west-1');
  const launch = launchIn(t);
  writeFileSync(join(launch.env.HOME!, '.aws', 'config'), '[default]\nregion = cn-north-1\n');
  const fromProfile = await configure(t, { skip_credentials_validation: true, skip_requesting_account_id: true }, { launch });
  t.equal(fromProfile.meta.region, 'cn-north-1');
  t.equal(fromProfile.meta.partition.id, 'aws-cn');
});

t.test('without validation nor account ID, no STS call is made and the meta holds the settings', async (t) => {
  const sts = await startFakeSts(t);
  const { meta, diagnostics } = await configure(
    t,
    { region: 'us-west-2', skip_credentials_validation: true, skip_requesting_account_id: true, default_tags: [{ tags: { env: 'p' } }], ignore_tags: [{ keys: ['k'] }] },
    { sts },
  );
  t.same(diagnostics, []);
  t.same(sts.requests, []);
  t.equal(meta.accountId, undefined);
  t.equal(meta.region, 'us-west-2');
  t.equal(meta.partition.id, 'aws');
  t.same(meta.defaultTags, { env: 'p' });
  t.same([...meta.ignoreTags.keys], ['k']);
  t.equal(meta.settings.region, 'us-west-2');
  t.type(meta.clients, AwsClients);
});

t.test('the account ID comes from GetCallerIdentity, unless skip_requesting_account_id', async (t) => {
  const sts = await startFakeSts(t);
  sts.accounts.AKIASTATIC = '111122223333';
  const { meta, diagnostics } = await configure(t, { region: 'us-east-1' }, { sts });
  t.same(diagnostics, []);
  t.equal(meta.accountId, '111122223333');
  t.same(sts.requests.map((r) => [r.action, r.accessKeyId]), [['GetCallerIdentity', 'AKIASTATIC']]);
  const skipped = await configure(t, { region: 'us-east-1', skip_requesting_account_id: true }, { sts });
  t.equal(skipped.meta.accountId, undefined);
  t.equal(sts.requests.length, 2, 'the credentials are still validated');
  const validationSkipped = await configure(t, { region: 'us-east-1', skip_credentials_validation: true }, { sts });
  t.equal(validationSkipped.meta.accountId, '111122223333', 'the account ID is still requested');
});

t.test('invalid credentials fail configuration with the STS error', async (t) => {
  const sts = await startFakeSts(t);
  sts.failWith = { status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' };
  const { diagnostics } = await configure(t, { region: 'us-east-1' }, { sts });
  t.same(summaries(diagnostics), [
    [
      'error',
      'configuring Terraform AWS Provider',
      'validating provider credentials: retrieving caller identity from STS: operation error STS: GetCallerIdentity, https response error StatusCode: 403, RequestID: req-failed, api error InvalidClientTokenId: The security token included in the request is invalid.',
    ],
  ]);
});

t.test('allowed_account_ids and forbidden_account_ids', async (t) => {
  const sts = await startFakeSts(t);
  const notAllowed = ['error', 'configuring Terraform AWS Provider', 'AWS account ID not allowed: 123456789012'];
  t.same(summaries((await configure(t, { region: 'us-east-1', allowed_account_ids: ['123456789012'] }, { sts })).diagnostics), []);
  t.same(summaries((await configure(t, { region: 'us-east-1', allowed_account_ids: ['999999999999'] }, { sts })).diagnostics), [notAllowed]);
  t.same(summaries((await configure(t, { region: 'us-east-1', forbidden_account_ids: ['123456789012'] }, { sts })).diagnostics), [notAllowed]);
  t.same(summaries((await configure(t, { region: 'us-east-1', forbidden_account_ids: ['999999999999'] }, { sts })).diagnostics), []);
  t.same(
    summaries((await configure(t, { region: 'us-east-1', skip_requesting_account_id: true, allowed_account_ids: ['999999999999'] }, { sts })).diagnostics),
    [],
    'no account ID, nothing to check',
  );
});

t.test('a proxy address that is not one is refused before any call, its password hidden', async (t) => {
  const sts = await startFakeSts(t);
  const { diagnostics } = await configure(t, { region: 'us-east-1', http_proxy: 'socks5://user:secret@proxy:1080', https_proxy: 'ftp://p' }, { sts });
  t.same(diagnostics.map((d) => [d.severity, d.detail, d.path]), [
    ['error', 'invalid proxy address "socks5://user:xxxxx@proxy:1080": unsupported proxy scheme "socks5" (use http or https)', [{ attr: 'http_proxy' }]],
    ['error', 'invalid proxy address "ftp://p": unsupported proxy scheme "ftp" (use http or https)', [{ attr: 'https_proxy' }]],
  ]);
  t.same(sts.requests, []);
});

t.test('an HTTP proxy used for HTTPS too is warned about, its password hidden', async (t) => {
  const { diagnostics } = await configure(t, { region: 'us-east-1', skip_credentials_validation: true, skip_requesting_account_id: true, http_proxy: 'http://u:pw@proxy:3128' });
  t.same(summaries(diagnostics), [
    [
      'warning',
      'Missing HTTPS Proxy',
      'An HTTP proxy was set but no HTTPS proxy was. Using HTTP proxy "http://u:xxxxx@proxy:3128" for HTTPS requests. This behavior may change in future versions.\n\nTo specify no proxy for HTTPS, set the HTTPS to an empty string',
    ],
  ]);
  const both = await configure(t, { region: 'us-east-1', skip_credentials_validation: true, skip_requesting_account_id: true, http_proxy: 'http://proxy:3128', https_proxy: '' });
  t.same(both.diagnostics, []);
});

t.test('assume_role hops: each assumed with the previous credentials and every argument, through the STS endpoint', async (t) => {
  const sts = await startFakeSts(t);
  const launch = launchIn(t);
  const config: ObjectValue = {
    ...KEYS,
    endpoints: [{ sts: sts.url }],
    assume_role: [
      {
        role_arn: 'arn:aws:iam::123456789012:role/first',
        session_name: 'sess',
        duration: '1h',
        external_id: 'ext',
        policy: '{"Version":"2012-10-17"}',
        policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
        source_identity: 'me',
        tags: { team: 'x' },
        transitive_tag_keys: ['team'],
      },
      { role_arn: 'arn:aws:iam::123456789012:role/second' },
    ],
  };
  const clients = new AwsClients(resolveSettings(config, launch), 'us-east-1', launch);
  const identity = await clients.credentials()();
  t.match(identity, { accessKeyId: 'ASSUMED-second', secretAccessKey: 's', sessionToken: 'token-second' });
  t.same(sts.requests.map((r) => [r.action, r.accessKeyId]), [
    ['AssumeRole', 'AKIASTATIC'],
    ['AssumeRole', 'ASSUMED-first'],
  ]);
  const [first, second] = sts.requests.map((r) => r.params);
  t.match(first, {
    RoleArn: 'arn:aws:iam::123456789012:role/first',
    RoleSessionName: 'sess',
    DurationSeconds: '3600',
    ExternalId: 'ext',
    Policy: '{"Version":"2012-10-17"}',
    'PolicyArns.member.1.arn': 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    SourceIdentity: 'me',
    'Tags.member.1.Key': 'team',
    'Tags.member.1.Value': 'x',
    'TransitiveTagKeys.member.1': 'team',
  });
  t.match(second!.RoleSessionName, /^terraform-\d+$/, 'a session name of its own when none is given');
  t.same(
    Object.keys(second!).filter((k) => !['Action', 'Version', 'RoleArn', 'RoleSessionName'].includes(k)),
    [],
    'no empty arguments sent',
  );
  await clients.credentials()();
  t.equal(sts.requests.length, 2, 'credentials that do not expire soon are reused');
});

t.test('static keys from the provider block win over the environment', async (t) => {
  const launch = launchIn(t, { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'e' });
  const clients = new AwsClients(resolveSettings({ access_key: 'AKIABLOCK', secret_key: 'b', token: 'tok' }, launch), 'us-east-1', launch);
  t.same(await clients.credentials()(), { accessKeyId: 'AKIABLOCK', secretAccessKey: 'b', sessionToken: 'tok' });
  t.equal(clients.credentials(), clients.credentials(), 'one provider per client set');
  const onlyAccessKey = new AwsClients(resolveSettings({ access_key: 'AKIABLOCK', skip_metadata_api_check: 'true' }, launch), 'us-east-1', launch);
  t.equal((await onlyAccessKey.credentials()()).accessKeyId, 'AKIAENV', 'an access key without a secret is not a pair');
});

t.test('max_retries counts retries: a failing call is tried once more than it says', async (t) => {
  const sts = await startFakeSts(t);
  sts.failWith = { status: 500, code: 'InternalFailure', message: 'try again' };
  const launch = launchIn(t);
  const clients = new AwsClients(resolveSettings({ ...KEYS, max_retries: CtyNumber.of(1), endpoints: [{ sts: sts.url }] }, launch), 'us-east-1', launch);
  const client = await clients.sts();
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  await t.rejects(client.send(new GetCallerIdentityCommand({})), { name: 'InternalFailure' });
  t.equal(sts.requests.length, 2);
});

t.test('clients: one per service (SageMaker per Region), configured from the settings, every call logged without secrets', async (t) => {
  const sts = await startFakeSts(t);
  const launch = launchIn(t);
  const settings = resolveSettings({ ...KEYS, profile: 'p', sts_region: 'eu-west-1', endpoints: [{ sts: sts.url, sagemaker: 'http://127.0.0.1:1', iam: 'http://127.0.0.1:2' }] }, launch);
  const clients = new AwsClients(settings, 'us-east-1', launch);
  t.equal(clients.sagemaker(), clients.sagemaker('us-east-1'));
  t.not(clients.sagemaker('eu-west-1'), clients.sagemaker());
  t.equal(clients.iam(), clients.iam());
  t.equal(clients.sts(), clients.sts());
  const sagemaker = await clients.sagemaker('eu-west-1');
  t.equal(await sagemaker.config.region(), 'eu-west-1');
  t.equal((await sagemaker.config.endpoint!()).port, 1);
  t.equal(sagemaker.config.profile, 'p');
  const iam = await clients.iam();
  t.equal(await iam.config.region(), 'us-east-1');
  t.equal((await iam.config.endpoint!()).port, 2);
  const stsClient = await clients.sts();
  t.equal(await stsClient.config.region(), 'eu-west-1', 'sts_region');
  t.equal(await stsClient.config.maxAttempts(), 26, '25 retries by default');
  t.equal(stsClient.config.requestHandler, iam.config.requestHandler, 'one connection pool');

  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  await stsClient.send(new GetCallerIdentityCommand({}));
  sts.failWith = { status: 403, code: 'AccessDenied', message: 'no' };
  await stsClient.send(new GetCallerIdentityCommand({})).catch(() => undefined);
  const calls = launch.lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((r) => String(r['@message']).startsWith('AWS call'));
  t.match(calls, [
    { '@message': 'AWS call', '@module': 'provider.aws', service: 'STS', operation: 'GetCallerIdentity', status: 200, request_id: 'r', ms: Number },
    { '@message': 'AWS call failed', '@module': 'provider.aws', service: 'STS', operation: 'GetCallerIdentity', error_code: 'AccessDenied', status: 403, request_id: 'req-failed', ms: Number },
  ]);
  t.notMatch(launch.lines.join('\n'), /AKIASTATIC|Credential=/, 'no credentials in the log');
});

t.test('an http:// endpoint is reached through http_proxy, which the log names without its password', async (t) => {
  const proxy = await startFakeSts(t);
  const launch = launchIn(t);
  const proxyUrl = proxy.url.replace('http://', 'http://user:secret@');
  const settings = resolveSettings({ ...KEYS, http_proxy: proxyUrl, https_proxy: '', endpoints: [{ sts: 'http://sts.example.test' }] }, launch);
  const client = await new AwsClients(settings, 'us-east-1', launch).sts();
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  t.equal((await client.send(new GetCallerIdentityCommand({}))).Account, '123456789012');
  await client.send(new GetCallerIdentityCommand({}));
  t.same(proxy.requests.map((r) => r.target), ['http://sts.example.test/', 'http://sts.example.test/'], 'the whole URL, as to a proxy');
  const using = launch.lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((r) => r['@message'] === 'using a proxy for AWS API calls');
  t.match(using, [{ scheme: 'http', proxy: proxy.url }], 'once per proxy');
  t.notMatch(launch.lines.join('\n'), /secret/);
});

t.test('assumed credentials are reused until a minute before they expire; a failure is not kept', async (t) => {
  const sts = await startFakeSts(t);
  const launch = launchIn(t);
  const config: ObjectValue = { ...KEYS, max_retries: CtyNumber.of(0), endpoints: [{ sts: sts.url }], assume_role: [{ role_arn: 'arn:aws:iam::123456789012:role/r' }] };
  const assumeRoles = () => sts.requests.filter((r) => r.action === 'AssumeRole').length;
  sts.assumedExpiration = new Date(Date.now() + 50_000);
  const soon = new AwsClients(resolveSettings(config, launch), 'us-east-1', launch).credentials();
  await soon();
  await soon();
  t.equal(assumeRoles(), 2, 'expiring within a minute: assumed again');
  sts.assumedExpiration = new Date(Date.now() + 120_000);
  const later = new AwsClients(resolveSettings(config, launch), 'us-east-1', launch).credentials();
  await later();
  await later();
  t.equal(assumeRoles(), 3, 'two minutes left: reused');
  sts.refuseAssumeRole = true;
  const refused = new AwsClients(resolveSettings(config, launch), 'us-east-1', launch).credentials();
  await t.rejects(refused(), { name: 'AccessDenied' });
  sts.refuseAssumeRole = false;
  t.match(await refused(), { accessKeyId: 'ASSUMED-r' }, 'asked again after a failure');
});

t.test('calls of one provider share keep-alive connections', async (t) => {
  const sts = await startFakeSts(t);
  const launch = launchIn(t);
  const clients = new AwsClients(resolveSettings({ ...KEYS, endpoints: [{ sts: sts.url }] }, launch), 'us-east-1', launch);
  const client = await clients.sts();
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  for (let i = 0; i < 3; i++) await client.send(new GetCallerIdentityCommand({}));
  t.equal(sts.requests.length, 3);
  t.equal(sts.connections, 1);
});
