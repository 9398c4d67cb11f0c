// What the genuine hashicorp/aws reads when it is configured with a provider block, so that a warm server may keep a
// configured hashicorp/aws child for later launches (src/upstream/pool.ts) only while it is what a fresh one would be.
//
// A configured hashicorp/aws holds what it read then: the shared config and credentials files (profiles, region,
// endpoints, retry settings, ca_bundle), the CA bundle, the web identity and container token files — a reused child is
// keyed by each file's identity, so any change to one starts a fresh child. It also holds credentials, and those are
// the same in a fresh process only when they are static: keys in the provider block, the environment (a warm server
// serves one environment) or the profile's own keys. Credentials that expire and that the child would renew by itself
// — assume_role, web identity, credential_process, SSO, a profile's role or credential_source, the container or
// instance metadata endpoints — would be resolved anew by a fresh process (a revoked session, a changed role, an
// `aws sso logout` would show), so a child configured with them is never reused. Neither is one whose retryer keeps
// state between calls (adaptive retry mode, a token bucket capacity).
import { pathIn, type LaunchPlace } from '../protocol/launch';
import type { ObjectValue } from '../values/value';
import { sharedConfigSdk } from './sdk';
import { resolveSettings } from './settings';
import { nonEmpty, num, objects } from './values';

/** A profile's settings that make its credentials resolved anew by each process (and expire). */
const RENEWED = /^(role_arn|source_profile|credential_source|credential_process|web_identity_token_file|login_session|sso_.*)$/;

/** The files whose identity a configured child is kept under, or why it may not be kept. */
export async function hashicorpAwsInputs(config: ObjectValue, launch: LaunchPlace): Promise<{ files: string[] } | { refused: string }> {
  const settings = resolveSettings(config, launch);
  const { env } = launch;
  const files = [...settings.sharedConfigFiles, ...settings.sharedCredentialsFiles];
  const environment = settings.environmentCredentials;
  for (const file of [settings.customCaBundle, environment.webIdentity?.tokenFile, environment.container?.authorizationTokenFile]) {
    if (file) files.push(file);
  }
  if (settings.assumeRoles.length > 0) return { refused: 'assume_role: its credentials expire and the process that assumed the role renews them' };
  if (objects(config.assume_role_with_web_identity).length > 0) return { refused: 'assume_role_with_web_identity: its credentials expire and are renewed' };
  if (settings.retryMode === 'adaptive') return { refused: 'the adaptive retry mode keeps a sending rate learnt from throttling' };
  if ((num(config.token_bucket_rate_limiter_capacity) ?? 0) > 0) return { refused: 'token_bucket_rate_limiter_capacity: its token bucket carries over' };

  const profile = profileSettings(await readProfiles(settings.sharedConfigFiles, settings.sharedCredentialsFiles), settings.profile ?? 'default');
  if (profile.ca_bundle) files.push(pathIn(launch, profile.ca_bundle));
  if (profile.retry_mode === 'adaptive' && !nonEmpty(config.retry_mode) && !env.AWS_RETRY_MODE) {
    return { refused: "the profile's adaptive retry mode keeps a sending rate learnt from throttling" };
  }
  if (settings.accessKey || settings.secretKey || settings.token) return { files };
  const renewed = Object.keys(profile).find((name) => RENEWED.test(name));
  if (renewed) return { refused: `the profile's ${renewed}: its credentials expire and are renewed` };
  if (environment.webIdentity || environment.container) return { refused: 'web identity or container credentials expire and are renewed' };
  if (environment.keys || profile.aws_access_key_id) return { files };
  return { refused: 'no static credentials: they would come from an endpoint, expire and be renewed' };
}

type Profile = Record<string, string | undefined>;

/** Every shared file's profiles, read now (as hashicorp/aws reads all the files it is given). */
async function readProfiles(configFiles: string[], credentialsFiles: string[]): Promise<Record<string, Profile | undefined>[]> {
  const { loadSharedConfigFiles } = sharedConfigSdk();
  const pairs = Array.from({ length: Math.max(configFiles.length, credentialsFiles.length) }, (_, i) => ({
    configFilepath: configFiles[i] ?? configFiles[0],
    filepath: credentialsFiles[i] ?? credentialsFiles[0],
  }));
  const loaded = await Promise.all(pairs.map((pair) => loadSharedConfigFiles({ ...pair, ignoreCache: true })));
  return loaded.flatMap((files) => [files.configFile, files.credentialsFile]);
}

/** The profile's settings from every file (the credentials files' last): a superset of what the child uses. */
function profileSettings(files: Record<string, Profile | undefined>[], name: string): Profile {
  return Object.assign({}, ...files.map((sections) => sections[name] ?? {})) as Profile;
}
