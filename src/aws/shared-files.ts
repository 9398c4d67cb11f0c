// The shared config and credentials files (~/.aws/config and ~/.aws/credentials, or those the provider block or the
// environment names), read anew by every configured provider: a change between two commands (`aws configure`, `aws sso
// login`, a rotated key) takes effect on the next command, as with a process per command, even when one warm server
// process serves both.
import type { AwsSettings } from './settings';
import { sharedConfigSdk } from './sdk';

export interface SharedFiles {
  /** Profiles of the config file, by name ("profile x" sections under "x"). */
  configFile: Record<string, Record<string, string | undefined> | undefined>;
  credentialsFile: Record<string, Record<string, string | undefined> | undefined>;
}

/**
 * The launch's shared files, read from disk now. The SDK's own copies of the files at its default paths — which its
 * clients read for settings such as use_fips_endpoint, and its SSO provider for sso-session sections — are read anew
 * too: the SDK keeps them for the life of the process otherwise.
 */
export async function readSharedFiles(settings: AwsSettings): Promise<SharedFiles> {
  const { loadSharedConfigFiles } = sharedConfigSdk();
  const [files] = await Promise.all([
    loadSharedConfigFiles({ filepath: settings.sharedCredentialsFiles[0], configFilepath: settings.sharedConfigFiles[0], ignoreCache: true }),
    loadSharedConfigFiles({ ignoreCache: true }),
  ]);
  return files;
}

/** The region the profile's section of the config file names. */
export function profileRegion(files: SharedFiles, settings: AwsSettings): string | undefined {
  return files.configFile[settings.profile ?? 'default']?.region || undefined;
}
