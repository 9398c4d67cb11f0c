// The AWS provider: its configuration block, and what ConfigureProvider builds from it.
import { errorDiagnostic, warningDiagnostic, type Diagnostic } from '../engine/diagnostics';
import type { DataSourceType, ProviderDefinition, ResourceType } from '../engine/resource';
import type { Schema } from '../engine/schema';
import type { Launch } from '../protocol/launch';
import type { ObjectValue } from '../values/value';
import { AwsClients } from './clients';
import { describeAwsError } from './errors';
import { registerAwsExtensions } from './extensions';
import type { AwsMeta } from './meta';
import { partitionOfRegion } from './partitions';
import { parseProxyUrl, type ProxySettings } from './proxy';
import { stsSdk } from './sdk';
import { resolveSettings, type AwsSettings } from './settings';
import { profileRegion, readSharedFiles } from './shared-files';
import { objects } from './values';
import providerSchema from '../../provider-schema/provider.json';
import providerMetaSchema from '../../provider-schema/provider_meta.json';

/** The provider of one launch: its configuration resolves against the launch's environment, directory and files. */
export function awsProvider(resources: ResourceType<AwsMeta>[], dataSources: DataSourceType<AwsMeta>[], launch: Launch): ProviderDefinition<AwsMeta> {
  registerAwsExtensions();
  return {
    schema: providerSchema as unknown as Schema,
    sdkv2: true,
    providerMetaSchema: providerMetaSchema as unknown as Schema,
    resources,
    dataSources,
    validateConfig,
    configure: (config, terraformVersion, signal) => configure(config, terraformVersion, signal, launch),
  };
}

function validateConfig(config: ObjectValue): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  if (objects(config.endpoints).length > 1) {
    diagnostics.push(warningDiagnostic('Multiple endpoints blocks', 'Only one "endpoints" block is used; the others are ignored.', [{ attr: 'endpoints' }]));
  }
  return diagnostics;
}

async function configure(config: ObjectValue, _terraformVersion: string, signal: AbortSignal, launch: Launch): Promise<{ meta: AwsMeta; diagnostics: Diagnostic[] }> {
  const settings = resolveSettings(config, launch);
  const proxyProblems = proxyDiagnostics(settings.proxy);
  if (proxyProblems.some((d) => d.severity === 'error')) return { meta: undefined as unknown as AwsMeta, diagnostics: proxyProblems };
  const sharedFiles = await readSharedFiles(settings);
  const region = settings.region ?? profileRegion(sharedFiles, settings);
  if (!region) {
    const meta = undefined as unknown as AwsMeta;
    return {
      meta,
      diagnostics: [
        errorDiagnostic(
          'Missing AWS region',
          'Set "region" in the provider block, or the AWS_REGION / AWS_DEFAULT_REGION environment variable, or a region in the shared config profile.',
          [{ attr: 'region' }],
        ),
      ],
    };
  }
  const clients = new AwsClients(settings, region, launch);
  const meta: AwsMeta = {
    settings,
    region,
    partition: partitionOfRegion(region),
    defaultTags: settings.defaultTags,
    ignoreTags: settings.ignoreTags,
    clients,
  };
  const diagnostics: Diagnostic[] = [...proxyProblems];
  if (!settings.skipCredentialsValidation || !settings.skipRequestingAccountId) {
    try {
      const sts = await clients.sts();
      const { GetCallerIdentityCommand } = stsSdk();
      const identity = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
      if (!settings.skipRequestingAccountId) meta.accountId = identity.Account;
    } catch (error) {
      diagnostics.push(
        errorDiagnostic('configuring Terraform AWS Provider', `validating provider credentials: retrieving caller identity from STS: ${describeAwsError('STS', 'GetCallerIdentity', error)}`),
      );
      return { meta, diagnostics };
    }
  }
  diagnostics.push(...checkAccount(settings, meta.accountId));
  return { meta, diagnostics };
}

/** A proxy URL that is not one is refused before any call; HTTPS borrowing the HTTP proxy is warned about, as hashicorp/aws does. */
function proxyDiagnostics(proxy: ProxySettings): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const [attr, value] of [['http_proxy', proxy.http], ['https_proxy', proxy.https]] as const) {
    if (!value) continue;
    try {
      parseProxyUrl(value);
    } catch (error) {
      diagnostics.push(errorDiagnostic('configuring Terraform AWS Provider', `invalid proxy address ${JSON.stringify(redactedProxy(value))}: ${(error as Error).message}`, [{ attr }]));
    }
  }
  if (proxy.httpsFromHttp && diagnostics.length === 0) {
    diagnostics.push(
      warningDiagnostic(
        'Missing HTTPS Proxy',
        `An HTTP proxy was set but no HTTPS proxy was. Using HTTP proxy ${JSON.stringify(redactedProxy(proxy.http))} for HTTPS requests. This behavior may change in future versions.\n\n` +
          'To specify no proxy for HTTPS, set the HTTPS to an empty string',
      ),
    );
  }
  return diagnostics;
}

/** The proxy URL as written, with any password replaced (Go's url.Redacted). */
function redactedProxy(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):[^@/]*@/i, '$1:xxxxx@');
}

function checkAccount(settings: AwsSettings, accountId: string | undefined): Diagnostic[] {
  if (!accountId) return [];
  if (settings.allowedAccountIds.length > 0 && !settings.allowedAccountIds.includes(accountId)) {
    return [errorDiagnostic('configuring Terraform AWS Provider', `AWS account ID not allowed: ${accountId}`)];
  }
  if (settings.forbiddenAccountIds.includes(accountId)) {
    return [errorDiagnostic('configuring Terraform AWS Provider', `AWS account ID not allowed: ${accountId}`)];
  }
  return [];
}
