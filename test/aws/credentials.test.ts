// Credentials and region resolved from an explicit launch: its environment, its working directory, its home and the
// files as they are now — never this process's environment, directory or the SDK's copy of the files. Two launches
// resolved at once in one process (provider aliases, or two launches of a warm server) each get their own.
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { AwsClients } from '../../src/aws/clients';
import { resolveSettings } from '../../src/aws/settings';
import { profileRegion, readSharedFiles } from '../../src/aws/shared-files';
import type { Launch } from '../../src/protocol/launch';
import { Logger } from '../../src/protocol/log';
import type { ObjectValue } from '../../src/values/value';

const quiet = new Logger('provider', 'off');

/** A launch in a fresh directory of its own (with a home of its own), elsewhere than this process. */
function launchIn(t: Test, env: Record<string, string> = {}): Launch {
  const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'launch-')));
  t.teardown(() => rmSync(cwd, { recursive: true, force: true }));
  mkdirSync(join(cwd, 'home', '.aws'), { recursive: true });
  return { terraformPid: process.pid, cwd, env: { HOME: join(cwd, 'home'), PATH: process.env.PATH, ...env }, executable: '/nonexistent', log: quiet };
}

async function accessKey(config: ObjectValue, launch: Launch, region = 'us-west-2'): Promise<string> {
  const settings = resolveSettings({ skip_metadata_api_check: 'true', ...config }, launch);
  return (await new AwsClients(settings, region, launch).credentials()()).accessKeyId;
}

const keys = (profile: string, key: string) => `[${profile}]\naws_access_key_id = ${key}\naws_secret_access_key = s\n`;

/** Variables of this process that a launch must not see, set for the test and restored after it. */
function processEnvironment(t: Test, vars: Record<string, string>): void {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  t.teardown(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}

t.test('settings: relative paths are the launch directory\'s, ~ is the launch\'s home, the defaults are in that home', async (t) => {
  const launch = { cwd: '/launch/dir', env: { HOME: '/launch/home', AWS_CA_BUNDLE: 'ca.pem', AWS_WEB_IDENTITY_TOKEN_FILE: 'token', AWS_ROLE_ARN: 'arn:aws:iam::1:role/r' } };
  const settings = resolveSettings({ shared_config_files: ['./config', '~/other'], shared_credentials_files: ['../creds'] }, launch);
  t.same(settings.sharedConfigFiles, ['/launch/dir/config', '/launch/home/other']);
  t.same(settings.sharedCredentialsFiles, ['/launch/creds']);
  t.equal(settings.customCaBundle, '/launch/dir/ca.pem');
  t.same(settings.environmentCredentials.webIdentity, { tokenFile: '/launch/dir/token', roleArn: 'arn:aws:iam::1:role/r', sessionName: undefined });
  const defaults = resolveSettings({}, { cwd: '/launch/dir', env: { HOME: '/launch/home' } });
  t.same([defaults.sharedConfigFiles, defaults.sharedCredentialsFiles], [['/launch/home/.aws/config'], ['/launch/home/.aws/credentials']]);
  const fromEnv = resolveSettings({}, { cwd: '/launch/dir', env: { HOME: '/h', AWS_CONFIG_FILE: 'c', AWS_SHARED_CREDENTIALS_FILE: '/abs/k' } });
  t.same([fromEnv.sharedConfigFiles, fromEnv.sharedCredentialsFiles], [['/launch/dir/c'], ['/abs/k']]);
  t.equal(resolveSettings({}, { cwd: '/d', env: { AWS_PROFILE: 'env-profile' } }).profile, 'env-profile');
  t.equal(resolveSettings({ profile: 'configured' }, { cwd: '/d', env: { AWS_PROFILE: 'env-profile' } }).profile, 'configured');
  t.equal(resolveSettings({}, { cwd: '/d', env: { AWS_DEFAULT_PROFILE: 'legacy' } }).profile, 'legacy');
  t.match(resolveSettings({}, { cwd: '/d', env: { AWS_ACCESS_KEY: 'AKIAOLDNAME', AWS_SECRET_KEY: 's' } }).environmentCredentials.keys, { accessKeyId: 'AKIAOLDNAME' }, "the Go SDK's older names");
  t.equal(resolveSettings({}, { cwd: '/d', env: { AWS_EC2_METADATA_DISABLED: 'TRUE' } }).skipMetadataApiCheck, true);
});

t.test('two launches at once, each with its own environment and directory, each get their own credentials', async (t) => {
  processEnvironment(t, { AWS_ACCESS_KEY_ID: 'AKIAOFTHEPROCESS', AWS_SECRET_ACCESS_KEY: 's', AWS_PROFILE: 'process-profile' });
  const one = launchIn(t, { AWS_ACCESS_KEY_ID: 'AKIALAUNCHONE', AWS_SECRET_ACCESS_KEY: 's' });
  const two = launchIn(t);
  writeFileSync(join(two.cwd, 'creds'), keys('default', 'AKIALAUNCHTWOFILE'));
  const three = launchIn(t);
  writeFileSync(join(three.cwd, 'creds'), keys('default', 'AKIALAUNCHTHREEFILE'));
  const answers = await Promise.all([
    accessKey({}, one),
    accessKey({ shared_credentials_files: ['./creds'] }, two),
    accessKey({ shared_credentials_files: ['./creds'] }, three),
  ]);
  t.same(answers, ['AKIALAUNCHONE', 'AKIALAUNCHTWOFILE', 'AKIALAUNCHTHREEFILE'], "the launch's variables, its ./creds; never the process's");
  await t.rejects(accessKey({}, launchIn(t)), /Could not load credentials from any providers/, 'a launch with nothing gets nothing, whatever the process holds');
});

t.test('a named profile wins over the environment\'s keys; the files are read again by each new instance', async (t) => {
  const launch = launchIn(t, { AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT', AWS_SECRET_ACCESS_KEY: 's' });
  const file = join(launch.env.HOME!, '.aws', 'credentials');
  writeFileSync(file, keys('default', 'AKIADEFAULT') + keys('deploy', 'AKIADEPLOYBEFORE'));
  t.equal(await accessKey({}, launch), 'AKIAENVIRONMENT', 'no profile named: the environment');
  t.equal(await accessKey({ profile: 'deploy' }, launch), 'AKIADEPLOYBEFORE', 'profile named: the profile');
  const viaVariable = { ...launch, env: { ...launch.env, AWS_PROFILE: 'deploy' } };
  t.equal(await accessKey({}, viaVariable), 'AKIADEPLOYBEFORE', 'AWS_PROFILE names one too');
  writeFileSync(file, keys('default', 'AKIADEFAULT') + keys('deploy', 'AKIADEPLOYAFTER'));
  t.equal(await accessKey({ profile: 'deploy' }, launch), 'AKIADEPLOYAFTER', "the file's new content, in the same process");
});

t.test('the region of the profile in ~/.aws/config, read now, from the launch\'s home', async (t) => {
  const one = launchIn(t);
  const two = launchIn(t, { AWS_PROFILE: 'eu' });
  const configOf = (launch: Launch) => join(launch.env.HOME!, '.aws', 'config');
  writeFileSync(configOf(one), '[default]\nregion = us-east-2\n');
  writeFileSync(configOf(two), '[default]\nregion = us-east-2\n[profile eu]\nregion = eu-central-1\n');
  const regionOf = async (launch: Launch) => {
    const settings = resolveSettings({}, launch);
    return profileRegion(await readSharedFiles(settings), settings);
  };
  t.same(await Promise.all([regionOf(one), regionOf(two)]), ['us-east-2', 'eu-central-1']);
  writeFileSync(configOf(one), '[default]\nregion = ap-south-1\n');
  t.equal(await regionOf(one), 'ap-south-1', 'a changed file is read anew');
});

t.test("credential_process runs in the launch's directory with the launch's environment", async (t) => {
  const launches = ['one', 'two'].map((name) => launchIn(t, { LAUNCH_NAME: name }));
  for (const launch of launches) {
    const script = join(launch.cwd, 'creds.sh');
    writeFileSync(script, '#!/bin/sh\necho "{\\"Version\\": 1, \\"AccessKeyId\\": \\"PROC-$LAUNCH_NAME-$(basename "$PWD")\\", \\"SecretAccessKey\\": \\"s\\"}"\n');
    chmodSync(script, 0o755);
    writeFileSync(join(launch.cwd, 'creds'), '[tool]\ncredential_process = ./creds.sh\n');
  }
  const answers = await Promise.all(launches.map((launch) => accessKey({ profile: 'tool', shared_credentials_files: ['./creds'] }, launch)));
  t.same(answers, launches.map((launch, i) => `PROC-${['one', 'two'][i]}-${launch.cwd.split('/').pop()}`));
});

/** A fake STS answering AssumeRoleWithWebIdentity with a key named after the token it received. */
async function fakeSts(t: Test): Promise<string> {
  const server: Server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const token = new URLSearchParams(body).get('WebIdentityToken') ?? 'none';
      response.setHeader('content-type', 'text/xml');
      response.end(
        `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult><Credentials>` +
          `<AccessKeyId>WEB-${token}</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>` +
          `</Credentials></AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

t.test("web identity token files, from the environment or a profile, relative to the launch's directory, through the provider's STS endpoint", async (t) => {
  const sts = await fakeSts(t);
  const fromEnvironment = launchIn(t, { AWS_WEB_IDENTITY_TOKEN_FILE: 'token', AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/web' });
  writeFileSync(join(fromEnvironment.cwd, 'token'), 'ENVTOKEN');
  const fromProfile = launchIn(t);
  writeFileSync(join(fromProfile.cwd, 'token'), 'PROFILETOKEN');
  writeFileSync(join(fromProfile.env.HOME!, '.aws', 'config'), '[profile web]\nrole_arn = arn:aws:iam::123456789012:role/web\nweb_identity_token_file = token\n');
  const config = { endpoints: [{ sts }] };
  t.same(await Promise.all([accessKey(config, fromEnvironment), accessKey({ ...config, profile: 'web' }, fromProfile)]), ['WEB-ENVTOKEN', 'WEB-PROFILETOKEN']);
});

t.test('skip_metadata_api_check leaves the instance metadata service out, for its own instance only, without touching process.env', async (t) => {
  let requests = 0;
  const imds = createServer((_request, response) => {
    requests++;
    response.statusCode = 404;
    response.end();
  });
  await new Promise<void>((resolve) => imds.listen(0, '127.0.0.1', resolve));
  t.teardown(() => imds.close());
  // The SDK reads the metadata endpoint only from the process (see ARCHITECTURE.md); the test points it at ours.
  processEnvironment(t, { AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${(imds.address() as { port: number }).port}` });
  delete process.env.AWS_EC2_METADATA_DISABLED;
  const resolveWith = (skip: string) => {
    const launch = launchIn(t);
    const settings = resolveSettings({ skip_metadata_api_check: skip }, launch);
    return new AwsClients(settings, 'us-west-2', launch).credentials()().then(
      () => 'resolved',
      (error: Error) => error.message,
    );
  };
  t.same(await resolveWith('true'), 'Could not load credentials from any providers');
  t.equal(requests, 0, 'skipped: no request to the metadata service');
  // At once: the skipping instance must not switch the other's metadata service off (it used to set a process variable).
  const [skipping, asking] = await Promise.all([resolveWith('true'), resolveWith('false')]);
  t.same([skipping, asking], ['Could not load credentials from any providers', 'Could not load credentials from any providers']);
  t.ok(requests > 0, `the other instance asked the metadata service (${requests} requests)`);
  t.equal(process.env.AWS_EC2_METADATA_DISABLED, undefined, 'process.env untouched');
});
