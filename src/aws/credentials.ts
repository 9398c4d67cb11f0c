// The default credential chain (used when the provider block sets no access_key/secret_key), walked in the order of
// the AWS SDK's defaultProvider — the environment's keys unless a profile is named, the shared files' profile, a web
// identity token file, container credentials, then the instance metadata service — but built from one launch's
// settings alone.
//
// The SDK's defaultProvider reads process.env and keeps the shared files it parsed for the life of the process. A warm
// server's process serves many launches, from other directories and over many minutes, so here every link is given
// the launch's values, reads the files anew (`ignoreCache`), and never reaches process.env where the SDK offers a way
// around it. Where it does not (see ARCHITECTURE.md, "What still reads the process"), the values are the same anyway.
import { exec } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { LaunchPlace } from '../protocol/launch';
import type { AwsSettings } from './settings';
import { httpCredentialsSdk, imdsSdk, iniCredentialsSdk, sharedConfigSdk, webIdentitySdk } from './sdk';

type Profile = Record<string, string | undefined>;

const DEFAULT_PROFILE = 'default';

/** The chain; `region` is the provider's, for the STS calls a profile or a web identity makes. */
export function defaultCredentialChain(settings: AwsSettings, region: string, launch: LaunchPlace): AwsCredentialIdentityProvider {
  const { CredentialsProviderError, chain, parseKnownFiles } = sharedConfigSdk();
  const { environmentCredentials: environment } = settings;
  const profileName = settings.profile ?? DEFAULT_PROFILE;
  // The STS client a profile's role or a web identity needs: the provider's region, profile and STS endpoint, not the
  // process's (a profile's own region still wins for its role, as in the SDK).
  const sts = {
    parentClientConfig: { region: settings.stsRegion ?? region, profile: profileName },
    clientConfig: settings.endpoints.sts ? { endpoint: settings.endpoints.sts } : {},
  };
  const files = { profile: profileName, filepath: settings.sharedCredentialsFiles[0], configFilepath: settings.sharedConfigFiles[0], ignoreCache: true };
  const next = (message: string) => new CredentialsProviderError(message, { tryNextLink: true });

  return chain(
    async () => {
      // A named profile wins over the environment's keys, as in hashicorp/aws and the SDK.
      if (settings.profile || !environment.keys) throw next('no keys in the environment, or a profile is named');
      return environment.keys;
    },
    async () => {
      const profile = (await parseKnownFiles(files))[profileName];
      if (!profile) throw next(`no profile ${profileName} in the shared files`);
      // Two kinds of profile name things relative to the working directory; the SDK would take its process's.
      if (!assumesRole(profile) && !hasKeys(profile)) {
        if (profile.web_identity_token_file && profile.role_arn) {
          return webIdentitySdk().fromTokenFile({
            webIdentityTokenFile: resolve(launch.cwd, profile.web_identity_token_file),
            roleArn: profile.role_arn,
            roleSessionName: profile.role_session_name,
            ...sts,
          })();
        }
        if (profile.credential_process !== undefined) return processCredentials(profileName, profile, launch);
      }
      return iniCredentialsSdk().fromIni({ ...files, ...sts })();
    },
    async () => {
      if (!environment.webIdentity) throw next('no web identity token file in the environment');
      const { tokenFile, roleArn, sessionName } = environment.webIdentity;
      return webIdentitySdk().fromTokenFile({ webIdentityTokenFile: tokenFile, roleArn, roleSessionName: sessionName, ...sts })();
    },
    async () => {
      if (environment.container) {
        const { relativeUri, fullUri, authorizationToken, authorizationTokenFile } = environment.container;
        // Empty strings, not undefined: the SDK falls back to process.env for an option that is undefined.
        return httpCredentialsSdk().fromHttp({
          awsContainerCredentialsRelativeUri: relativeUri ?? '',
          awsContainerCredentialsFullUri: fullUri ?? '',
          awsContainerAuthorizationToken: authorizationToken ?? '',
          awsContainerAuthorizationTokenFile: authorizationTokenFile ?? '',
        })();
      }
      // skip_metadata_api_check (or AWS_EC2_METADATA_DISABLED) leaves the instance metadata service out of the chain.
      if (settings.skipMetadataApiCheck) throw next('EC2 Instance Metadata Service access disabled');
      return imdsSdk().fromInstanceMetadata({ ec2MetadataV1Disabled: environment.imdsV1Disabled })();
    },
    async () => {
      throw new CredentialsProviderError('Could not load credentials from any providers', { tryNextLink: false });
    },
  );
}

/** A profile that assumes a role from another profile or a credential source (the SDK resolves those). */
function assumesRole(profile: Profile): boolean {
  return typeof profile.role_arn === 'string' && (profile.source_profile !== undefined) !== (profile.credential_source !== undefined);
}

function hasKeys(profile: Profile): boolean {
  return profile.aws_access_key_id !== undefined && profile.aws_secret_access_key !== undefined;
}

const execAsync = promisify(exec);

/**
 * A profile's credential_process, run as a provider process started by Terraform would run it: in the launch's working
 * directory with the launch's environment. Its output is read as the SDK reads it (the AWS CLI's format, Version 1).
 */
async function processCredentials(profileName: string, profile: Profile, launch: LaunchPlace): Promise<AwsCredentialIdentity> {
  const { CredentialsProviderError } = sharedConfigSdk();
  // The profile chose its credential source: a failure ends the chain with its reason rather than falling through to
  // the instance's and ending in "Could not load credentials from any providers". (By our reading the Go SDK under
  // hashicorp/aws also resolves such a profile alone; not compared with the 5.100.0 binary.)
  const fail = (message: string) => new CredentialsProviderError(`Profile ${profileName} credential_process ${message}`, { tryNextLink: false });
  let stdout: string;
  try {
    ({ stdout } = await execAsync(profile.credential_process!, { cwd: launch.cwd, env: { ...launch.env } }));
  } catch (error) {
    throw fail(`failed: ${(error as Error).message}`);
  }
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(stdout.trim()) as Record<string, unknown>;
  } catch {
    throw fail('returned invalid JSON.');
  }
  if (data.Version !== 1) throw fail('did not return Version 1.');
  if (typeof data.AccessKeyId !== 'string' || typeof data.SecretAccessKey !== 'string') throw fail('returned invalid credentials.');
  const expiration = typeof data.Expiration === 'string' ? new Date(data.Expiration) : undefined;
  if (expiration && expiration.getTime() < Date.now()) throw fail('returned expired credentials.');
  const accountId = typeof data.AccountId === 'string' ? data.AccountId : profile.aws_account_id;
  return {
    accessKeyId: data.AccessKeyId,
    secretAccessKey: data.SecretAccessKey,
    ...(typeof data.SessionToken === 'string' && { sessionToken: data.SessionToken }),
    ...(expiration && { expiration }),
    ...(typeof data.CredentialScope === 'string' && { credentialScope: data.CredentialScope }),
    ...(accountId && { accountId }),
  };
}
