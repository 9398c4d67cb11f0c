// The provider block and the launch's environment resolved into plain settings, the way hashicorp/aws resolves
// them (configuration first, then AWS_* / TF_AWS_* environment variables, then shared config files).
// Pure: no AWS call and no SDK import happens here. Everything is read from the launch, never from the process:
// variables from its environment, relative paths from its working directory, `~` from its home.
import { pathIn, type Environment, type LaunchPlace } from '../protocol/launch';
import type { ObjectValue } from '../values/value';
import { resolveProxySettings, type ProxySettings } from './proxy';
import { bool, first, nonEmpty, num, objects, str, stringMap, strings } from './values';

export interface AssumeRoleSettings {
  roleArn: string;
  durationSeconds?: number;
  externalId?: string;
  policy?: string;
  policyArns: string[];
  sessionName?: string;
  sourceIdentity?: string;
  tags?: Record<string, string>;
  transitiveTagKeys: string[];
}

export interface IgnoreTags {
  keys: Set<string>;
  keyPrefixes: string[];
}

/** What the environment offers the credential chain (src/aws/credentials.ts). */
export interface EnvironmentCredentials {
  /** AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN, ...), when both are set. */
  keys?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date; credentialScope?: string; accountId?: string };
  /** AWS_WEB_IDENTITY_TOKEN_FILE (resolved) and AWS_ROLE_ARN, when both are set. */
  webIdentity?: { tokenFile: string; roleArn: string; sessionName?: string };
  /** AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI, with the authorization token or its file (resolved). */
  container?: { relativeUri?: string; fullUri?: string; authorizationToken?: string; authorizationTokenFile?: string };
  /** AWS_EC2_METADATA_V1_DISABLED. */
  imdsV1Disabled: boolean;
}

export interface AwsSettings {
  region?: string;
  accessKey?: string;
  secretKey?: string;
  token?: string;
  /** The profile named by the configuration, else by AWS_PROFILE or AWS_DEFAULT_PROFILE; undefined when none is. */
  profile?: string;
  /** Absolute paths: the configuration's, else AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/'s. */
  sharedConfigFiles: string[];
  sharedCredentialsFiles: string[];
  environmentCredentials: EnvironmentCredentials;
  assumeRoles: AssumeRoleSettings[];
  endpoints: { sagemaker?: string; iam?: string; sts?: string };
  stsRegion?: string;
  maxRetries: number;
  retryMode: 'standard' | 'adaptive';
  customCaBundle?: string;
  insecure: boolean;
  proxy: ProxySettings;
  skipCredentialsValidation: boolean;
  skipRequestingAccountId: boolean;
  skipMetadataApiCheck: boolean;
  skipRegionValidation: boolean;
  allowedAccountIds: string[];
  forbiddenAccountIds: string[];
  defaultTags: Record<string, string>;
  ignoreTags: IgnoreTags;
}

const DEFAULT_MAX_RETRIES = 25;

export function resolveSettings(config: ObjectValue, launch: LaunchPlace): AwsSettings {
  const { env } = launch;
  const path = (value: string | undefined) => (value ? pathIn(launch, value) : undefined);
  const files = (configured: string[], variable: string | undefined, name: string) =>
    configured.length > 0 ? configured.map((file) => pathIn(launch, file)) : [path(variable) ?? pathIn(launch, `~/.aws/${name}`)];
  const endpointsBlock = first(config.endpoints) ?? {};
  const endpoint = (key: string, ...legacyEnv: string[]) => {
    const configured = nonEmpty(endpointsBlock[key]);
    if (configured) return configured;
    if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) return undefined;
    return (
      env[`AWS_ENDPOINT_URL_${key.toUpperCase()}`] || legacyEnv.map((name) => env[name]).find(Boolean) || env.AWS_ENDPOINT_URL || undefined
    );
  };
  const ignoreBlock = first(config.ignore_tags);
  const retryMode = nonEmpty(config.retry_mode) ?? env.AWS_RETRY_MODE;
  const maxAttempts = env.AWS_MAX_ATTEMPTS ? Number(env.AWS_MAX_ATTEMPTS) - 1 : undefined;
  return {
    region: nonEmpty(config.region) ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined),
    accessKey: nonEmpty(config.access_key),
    secretKey: nonEmpty(config.secret_key),
    token: nonEmpty(config.token),
    profile: nonEmpty(config.profile) ?? (env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || undefined),
    sharedConfigFiles: files(strings(config.shared_config_files), env.AWS_CONFIG_FILE, 'config'),
    sharedCredentialsFiles: files(strings(config.shared_credentials_files), env.AWS_SHARED_CREDENTIALS_FILE, 'credentials'),
    environmentCredentials: environmentCredentials(env, path),
    assumeRoles: objects(config.assume_role)
      .filter((block) => nonEmpty(block.role_arn))
      .map((block) => ({
        roleArn: nonEmpty(block.role_arn)!,
        durationSeconds: parseDurationSeconds(nonEmpty(block.duration)),
        externalId: nonEmpty(block.external_id),
        policy: nonEmpty(block.policy),
        policyArns: strings(block.policy_arns),
        sessionName: nonEmpty(block.session_name),
        sourceIdentity: nonEmpty(block.source_identity),
        tags: stringMap(block.tags),
        transitiveTagKeys: strings(block.transitive_tag_keys),
      })),
    endpoints: {
      sagemaker: endpoint('sagemaker'),
      iam: endpoint('iam', 'TF_AWS_IAM_ENDPOINT', 'AWS_IAM_ENDPOINT'),
      sts: endpoint('sts', 'TF_AWS_STS_ENDPOINT', 'AWS_STS_ENDPOINT'),
    },
    stsRegion: nonEmpty(config.sts_region),
    maxRetries: num(config.max_retries) ?? maxAttempts ?? DEFAULT_MAX_RETRIES,
    retryMode: retryMode === 'adaptive' ? 'adaptive' : 'standard',
    customCaBundle: path(nonEmpty(config.custom_ca_bundle) ?? env.AWS_CA_BUNDLE),
    insecure: bool(config.insecure) ?? false,
    // An empty argument is set (to "no proxy") and wins over the environment.
    proxy: resolveProxySettings({ http: str(config.http_proxy) ?? null, https: str(config.https_proxy) ?? null, noProxy: str(config.no_proxy) ?? null }, env),
    skipCredentialsValidation: bool(config.skip_credentials_validation) ?? false,
    skipRequestingAccountId: bool(config.skip_requesting_account_id) ?? false,
    skipMetadataApiCheck: parseNullableBool(nonEmpty(config.skip_metadata_api_check)) ?? (env.AWS_EC2_METADATA_DISABLED ?? '').toLowerCase() === 'true',
    skipRegionValidation: bool(config.skip_region_validation) ?? false,
    allowedAccountIds: strings(config.allowed_account_ids),
    forbiddenAccountIds: strings(config.forbidden_account_ids),
    defaultTags: { ...defaultTagsFromEnv(env), ...(stringMap(first(config.default_tags)?.tags) ?? {}) },
    ignoreTags: {
      keys: new Set([...strings(ignoreBlock?.keys), ...splitList(env.TF_AWS_IGNORE_TAGS_KEYS)]),
      keyPrefixes: [...strings(ignoreBlock?.key_prefixes), ...splitList(env.TF_AWS_IGNORE_TAGS_KEY_PREFIXES)],
    },
  };
}

function environmentCredentials(env: Environment, path: (value: string | undefined) => string | undefined): EnvironmentCredentials {
  // AWS_ACCESS_KEY and AWS_SECRET_KEY are older names hashicorp/aws (the Go SDK) still reads.
  const accessKeyId = env.AWS_ACCESS_KEY_ID || env.AWS_ACCESS_KEY;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY || env.AWS_SECRET_KEY;
  const expiration = env.AWS_CREDENTIAL_EXPIRATION;
  const tokenFile = path(env.AWS_WEB_IDENTITY_TOKEN_FILE);
  const roleArn = env.AWS_ROLE_ARN;
  const relativeUri = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || undefined;
  const fullUri = env.AWS_CONTAINER_CREDENTIALS_FULL_URI || undefined;
  return {
    keys:
      accessKeyId && secretAccessKey
        ? {
            accessKeyId,
            secretAccessKey,
            sessionToken: env.AWS_SESSION_TOKEN || undefined,
            expiration: expiration ? new Date(expiration) : undefined,
            credentialScope: env.AWS_CREDENTIAL_SCOPE || undefined,
            accountId: env.AWS_ACCOUNT_ID || undefined,
          }
        : undefined,
    webIdentity: tokenFile && roleArn ? { tokenFile, roleArn, sessionName: env.AWS_ROLE_SESSION_NAME || undefined } : undefined,
    container:
      relativeUri || fullUri
        ? { relativeUri, fullUri, authorizationToken: env.AWS_CONTAINER_AUTHORIZATION_TOKEN || undefined, authorizationTokenFile: path(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) }
        : undefined,
    imdsV1Disabled: (env.AWS_EC2_METADATA_V1_DISABLED ?? '').toLowerCase() === 'true',
  };
}

const DEFAULT_TAG_ENV_PREFIX = 'TF_AWS_DEFAULT_TAGS_';

function defaultTagsFromEnv(env: Environment): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith(DEFAULT_TAG_ENV_PREFIX) && name.length > DEFAULT_TAG_ENV_PREFIX.length && value !== undefined) {
      tags[name.slice(DEFAULT_TAG_ENV_PREFIX.length)] = value;
    }
  }
  return tags;
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `skip_metadata_api_check` is a string holding a bool ("true"/"false"), as in hashicorp/aws. */
function parseNullableBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return value === 'true' || value === '1';
}

const DURATION_UNITS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };

/** Go duration strings as used by `assume_role.duration` ("1h", "15m30s"). */
export function parseDurationSeconds(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) return undefined;
  return Math.round(parts.reduce((sum, [, n, unit]) => sum + Number(n) * DURATION_UNITS[unit], 0));
}
