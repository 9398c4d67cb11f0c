// AWS SDK clients for one configured provider: built once, on first use, and shared by every operation
// of the provider instance (one keep-alive connection pool). The SDK modules are loaded lazily, after the
// handshake, and only by the operations that need them. Everything a client is given comes from the launch's
// settings: region, profile, endpoints, retries, credentials (./credentials.ts), CA bundle and proxies.
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { readFileSync } from 'node:fs';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { Launch } from '../protocol/launch';
import type { Logger } from '../protocol/log';
import { defaultCredentialChain } from './credentials';
import { displayProxy, proxyFor, type ProxySettings } from './proxy';
import type { AwsSettings } from './settings';
import { httpHandlerSdk, iamSdk, sagemakerSdk, stsSdk } from './sdk';

interface ClientConfig {
  region: string;
  /** The SDK reads a few settings of its own from the shared config file (use_fips_endpoint, ...): this profile's. */
  profile: string;
  endpoint?: string;
  credentials: AwsCredentialIdentityProvider;
  maxAttempts: number;
  retryMode: string;
  requestHandler: NodeHttpHandler;
}

export class AwsClients {
  private readonly sagemakerClients = new Map<string, Promise<SageMakerClient>>();
  private iamClient?: Promise<IAMClient>;
  private stsClient?: Promise<STSClient>;
  private credentialsProvider?: AwsCredentialIdentityProvider;
  private requestHandler?: Promise<NodeHttpHandler>;
  private readonly log: Logger;

  constructor(
    readonly settings: AwsSettings,
    readonly region: string,
    private readonly launch: Pick<Launch, 'cwd' | 'env' | 'log'>,
  ) {
    this.log = launch.log.child('aws');
  }

  sagemaker(region = this.region): Promise<SageMakerClient> {
    let client = this.sagemakerClients.get(region);
    if (!client) {
      client = this.clientConfig(region, this.settings.endpoints.sagemaker).then(async (config) => {
        const { SageMakerClient } = sagemakerSdk();
        return withCallLog(new SageMakerClient(config), this.log);
      });
      this.sagemakerClients.set(region, client);
    }
    return client;
  }

  iam(): Promise<IAMClient> {
    this.iamClient ??= this.clientConfig(this.region, this.settings.endpoints.iam).then(async (config) => {
      const { IAMClient } = iamSdk();
      return withCallLog(new IAMClient(config), this.log);
    });
    return this.iamClient;
  }

  sts(): Promise<STSClient> {
    this.stsClient ??= this.clientConfig(this.settings.stsRegion ?? this.region, this.settings.endpoints.sts).then(async (config) => {
      const { STSClient } = stsSdk();
      return withCallLog(new STSClient(config), this.log);
    });
    return this.stsClient;
  }

  private async clientConfig(region: string, endpoint: string | undefined): Promise<ClientConfig> {
    return {
      region,
      profile: this.settings.profile ?? 'default',
      endpoint,
      credentials: this.credentials(),
      // max_retries counts retries; the SDK counts attempts.
      maxAttempts: this.settings.maxRetries + 1,
      retryMode: this.settings.retryMode,
      requestHandler: await this.httpHandler(),
    };
  }

  private httpHandler(): Promise<NodeHttpHandler> {
    this.requestHandler ??= (async () => {
      const { NodeHttpHandler } = httpHandlerSdk();
      const https = await import('node:https');
      const http = await import('node:http');
      const ca = this.settings.customCaBundle ? readFileSync(this.settings.customCaBundle) : undefined;
      const tls = { ca, rejectUnauthorized: !this.settings.insecure };
      const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
      const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64, ...tls });
      const { proxy } = this.settings;
      if (!proxy.http && !proxy.https) return new NodeHttpHandler({ httpAgent, httpsAgent });
      const router = proxyRouter(proxy, { http: httpAgent, https: httpsAgent }, tls, this.log);
      return new NodeHttpHandler({ httpAgent: router, httpsAgent: router });
    })();
    return this.requestHandler;
  }

  /** The credential chain of hashicorp/aws: static, else the default chain (./credentials.ts), then assume_role hops. */
  credentials(): AwsCredentialIdentityProvider {
    if (this.credentialsProvider) return this.credentialsProvider;
    const { settings } = this;
    let base: AwsCredentialIdentityProvider;
    if (settings.accessKey && settings.secretKey) {
      const identity: AwsCredentialIdentity = { accessKeyId: settings.accessKey, secretAccessKey: settings.secretKey, sessionToken: settings.token };
      base = async () => identity;
    } else {
      base = defaultCredentialChain(settings, this.region, this.launch);
    }
    const provider = settings.assumeRoles.length === 0 ? base : this.assumeRoleChain(base);
    this.credentialsProvider = memoize(provider);
    return this.credentialsProvider;
  }

  private assumeRoleChain(base: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
    return async () => {
      const { STSClient, AssumeRoleCommand } = stsSdk();
      let credentials = await base();
      for (const role of this.settings.assumeRoles) {
        const sts = new STSClient({
          ...(await this.clientConfig(this.settings.stsRegion ?? this.region, this.settings.endpoints.sts)),
          credentials,
        });
        const response = await sts.send(
          new AssumeRoleCommand({
            RoleArn: role.roleArn,
            RoleSessionName: role.sessionName ?? `terraform-${Date.now()}`,
            DurationSeconds: role.durationSeconds,
            ExternalId: role.externalId,
            Policy: role.policy,
            PolicyArns: role.policyArns.length ? role.policyArns.map((arn) => ({ arn })) : undefined,
            SourceIdentity: role.sourceIdentity,
            Tags: role.tags ? Object.entries(role.tags).map(([Key, Value]) => ({ Key, Value })) : undefined,
            TransitiveTagKeys: role.transitiveTagKeys.length ? role.transitiveTagKeys : undefined,
          }),
        );
        const c = response.Credentials!;
        credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken, expiration: c.Expiration };
      }
      return credentials;
    };
  }
}

/**
 * An agent that sends each request through the proxy the proxy settings choose for its endpoint, or through the
 * direct keep-alive agents. The proxy libraries load only when a proxy is configured.
 */
function proxyRouter(proxy: ProxySettings, direct: { http: HttpAgent; https: HttpsAgent }, tls: { ca?: Buffer; rejectUnauthorized: boolean }, awsLog: Logger): HttpAgent {
  const { Agent } = require('agent-base') as typeof import('agent-base');
  const { HttpProxyAgent } = require('http-proxy-agent') as typeof import('http-proxy-agent');
  const { HttpsProxyAgent } = require('https-proxy-agent') as typeof import('https-proxy-agent');
  const viaProxy = new Map<string, HttpAgent>();
  class ProxyRouter extends Agent {
    connect(_request: unknown, options: { secureEndpoint: boolean; host?: string; port: number }): HttpAgent {
      const protocol = options.secureEndpoint ? 'https:' : 'http:';
      const url = proxyFor(proxy, protocol, options.host ?? 'localhost', options.port);
      if (!url) return options.secureEndpoint ? direct.https : direct.http;
      const key = `${protocol}${url.href}`;
      let agent = viaProxy.get(key);
      if (!agent) {
        awsLog.debug('using a proxy for AWS API calls', { scheme: protocol.slice(0, -1), proxy: displayProxy(url) });
        // https:// endpoints tunnel through CONNECT; http:// ones send the full URL to the proxy. The latter gets no
        // keep-alive: on a reused socket http-proxy-agent would send the request with a relative path.
        agent = options.secureEndpoint ? new HttpsProxyAgent(url, { keepAlive: true, ...tls }) : new HttpProxyAgent(url);
        viaProxy.set(key, agent);
      }
      return agent;
    }
  }
  return new ProxyRouter({ keepAlive: true });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type MiddlewareClient = { middlewareStack: { add: (...args: any[]) => unknown } };

/**
 * Logs every AWS call at debug level: service, operation, HTTP status, request id and duration. Never
 * request or response bodies, nor headers: they may carry secrets (container environments, signatures).
 */
function withCallLog<T extends MiddlewareClient>(client: T, awsLog: Logger): T {
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<{ output: { $metadata?: { httpStatusCode?: number; requestId?: string } } }>, context: { clientName?: string; commandName?: string }) =>
      async (args: unknown) => {
        const started = performance.now();
        const fields = { service: context.clientName?.replace(/Client$/, ''), operation: context.commandName?.replace(/Command$/, '') };
        try {
          const result = await next(args);
          awsLog.debug('AWS call', { ...fields, status: result.output.$metadata?.httpStatusCode, request_id: result.output.$metadata?.requestId, ms: Math.round(performance.now() - started) });
          return result;
        } catch (error) {
          const e = error as { name?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
          awsLog.debug('AWS call failed', { ...fields, error_code: e.name, status: e.$metadata?.httpStatusCode, request_id: e.$metadata?.requestId, ms: Math.round(performance.now() - started) });
          throw error;
        }
      },
    { step: 'initialize', name: 'terraformCallLog' },
  );
  return client;
}

/** Resolves credentials once and reuses them until shortly before they expire. */
function memoize(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let cached: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    if (cached) {
      const identity = await cached.catch(() => undefined);
      if (identity && (!identity.expiration || identity.expiration.getTime() - Date.now() > 60_000)) return identity;
    }
    cached = provider();
    return cached;
  };
}
