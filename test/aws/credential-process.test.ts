// A profile's credential_process and the other links of the default credential chain (src/aws/credentials.ts): what
// the process's output must hold, what is taken from it, and which link answers when several could.
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { defaultCredentialChain } from '../../src/aws/credentials';
import { resolveSettings } from '../../src/aws/settings';
import type { ObjectValue } from '../../src/values/value';

function launchIn(t: Test, env: Record<string, string> = {}) {
  const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'aws-credentials-')));
  t.teardown(() => rmSync(cwd, { recursive: true, force: true }));
  mkdirSync(join(cwd, 'home', '.aws'), { recursive: true });
  return { cwd, env: { HOME: join(cwd, 'home'), PATH: process.env.PATH ?? '', ...env } };
}

function resolveWith(launch: ReturnType<typeof launchIn>, config: ObjectValue = {}) {
  const settings = resolveSettings({ skip_metadata_api_check: 'true', ...config }, launch);
  return defaultCredentialChain(settings, 'us-east-1', launch)();
}

/** A launch whose default profile's credential_process prints `output`. */
function processPrinting(t: Test, output: unknown, profileExtra = '') {
  const launch = launchIn(t);
  writeFileSync(join(launch.cwd, 'out.json'), typeof output === 'string' ? output : JSON.stringify(output));
  writeFileSync(join(launch.env.HOME, '.aws', 'config'), `[default]\ncredential_process = cat out.json\n${profileExtra}`);
  return launch;
}

const message = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: Error) => error.message);

t.test('credential_process: the keys, and the token, expiration, scope and account when given', async (t) => {
  const full = { Version: 1, AccessKeyId: 'AK', SecretAccessKey: 'SK', SessionToken: 'T', Expiration: '2099-01-01T00:00:00Z', CredentialScope: 'scope', AccountId: '111122223333' };
  t.same(await resolveWith(processPrinting(t, full)), {
    accessKeyId: 'AK',
    secretAccessKey: 'SK',
    sessionToken: 'T',
    expiration: new Date('2099-01-01T00:00:00Z'),
    credentialScope: 'scope',
    accountId: '111122223333',
  });
  t.same(await resolveWith(processPrinting(t, { Version: 1, AccessKeyId: 'AK', SecretAccessKey: 'SK' })), { accessKeyId: 'AK', secretAccessKey: 'SK' });
  t.same(
    await resolveWith(processPrinting(t, { Version: 1, AccessKeyId: 'AK', SecretAccessKey: 'SK' }, 'aws_account_id = 444455556666\n')),
    { accessKeyId: 'AK', secretAccessKey: 'SK', accountId: '444455556666' },
    "the profile's account when the process gives none",
  );
  t.same(
    await resolveWith(processPrinting(t, { Version: 1, AccessKeyId: 'AK', SecretAccessKey: 'SK', AccountId: '111122223333' }, 'aws_account_id = 444455556666\n')),
    { accessKeyId: 'AK', secretAccessKey: 'SK', accountId: '111122223333' },
    "the process's account wins",
  );
  t.same(await resolveWith(processPrinting(t, '  {"Version":1,"AccessKeyId":"AK","SecretAccessKey":"SK"}\n\n')), { accessKeyId: 'AK', secretAccessKey: 'SK' }, 'surrounding white space');
});

t.test('credential_process: output that is not usable credentials fails with the reason', async (t) => {
  const cases: Array<[output: unknown, reason: string]> = [
    ['not json', 'returned invalid JSON.'],
    [{ Version: 2, AccessKeyId: 'AK', SecretAccessKey: 'SK' }, 'did not return Version 1.'],
    [{ Version: '1', AccessKeyId: 'AK', SecretAccessKey: 'SK' }, 'did not return Version 1.'],
    [{ Version: 1, SecretAccessKey: 'SK' }, 'returned invalid credentials.'],
    [{ Version: 1, AccessKeyId: 'AK' }, 'returned invalid credentials.'],
    [{ Version: 1, AccessKeyId: 'AK', SecretAccessKey: 'SK', Expiration: '2000-01-01T00:00:00Z' }, 'returned expired credentials.'],
  ];
  for (const [output, reason] of cases) {
    t.equal(await message(resolveWith(processPrinting(t, output))), `Profile default credential_process ${reason}`, reason);
  }
  const failing = launchIn(t);
  writeFileSync(join(failing.env.HOME, '.aws', 'config'), '[profile tool]\ncredential_process = exit 3\n');
  t.match(await message(resolveWith(failing, { profile: 'tool' })), /^Profile tool credential_process failed: Command failed: exit 3/);
});

t.test("a profile with keys of its own is read by the SDK's ini provider, even with a credential_process", async (t) => {
  const launch = processPrinting(t, { Version: 1, AccessKeyId: 'FROM-PROCESS', SecretAccessKey: 'SK' }, 'aws_access_key_id = FROM-FILE\naws_secret_access_key = s\n');
  t.equal((await resolveWith(launch)).accessKeyId, 'FROM-FILE');
});

t.test('the environment keys answer first when no profile is named; a missing profile passes to the next link', async (t) => {
  const launch = launchIn(t, { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'e', AWS_SESSION_TOKEN: 'tok' });
  writeFileSync(join(launch.env.HOME, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = f\n');
  t.match(await resolveWith(launch), { accessKeyId: 'AKIAENV', secretAccessKey: 'e', sessionToken: 'tok' });
  t.equal(await message(resolveWith(launch, { profile: 'absent' })), 'Could not load credentials from any providers', 'a named profile that does not exist: no fallback to the keys');
  const fileOnly = launchIn(t);
  writeFileSync(join(fileOnly.env.HOME, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = f\n');
  t.equal((await resolveWith(fileOnly)).accessKeyId, 'AKIAFILE');
});

t.test('a failed credential_process ends the chain: no fallback to container credentials from the environment', async (t) => {
  const launch = processPrinting(t, { Version: 1, AccessKeyId: 'AK' });
  const withContainer = { ...launch, env: { ...launch.env, AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1/creds' } };
  t.equal(await message(resolveWith(withContainer)), 'Profile default credential_process returned invalid credentials.');
});
