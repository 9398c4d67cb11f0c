// A scripted stand-in for SageMaker's model, endpoint configuration and endpoint API, for the resources' unit tests: it
// keeps what was created, answers Describe/List calls, records every call, and lets a test choose each endpoint's
// status sequence and the errors of the next calls. (Terraform-level tests run against the embedded endpoint, bin/local-aws, instead.)
import { ProviderEngine } from '../../src/engine/lifecycle';
import type { ProviderDefinition } from '../../src/engine/resource';
import type { AwsMeta } from '../../src/aws/meta';
import { partitionOfRegion } from '../../src/aws/partitions';
import { dataSources, resources } from '../../src/resources';
import { registerAwsExtensions } from '../../src/aws/extensions';
import providerSchema from '../../provider-schema/provider.json';
import { completeObject, type Schema, type SchemaBlock } from '../../src/engine/schema';
import { isUnknown, type ObjectValue, type Value } from '../../src/values/value';
import { onFastClock } from '../support/resources-clock';

const ACCOUNT = '123456789012';
const REGION = 'us-west-2';

type Input = Record<string, unknown>;

export interface Call {
  operation: string;
  input: Input;
  /** The signal the call can be cancelled with (Terraform's Ctrl-C), when one was passed. */
  abortSignal?: AbortSignal;
}

interface Endpoint {
  EndpointName: string;
  EndpointArn: string;
  EndpointConfigName: string;
  EndpointStatus: string;
  FailureReason?: string;
  LastDeploymentConfig?: unknown;
  /** Statuses the next DescribeEndpoint calls report, before the endpoint settles on `settle`. */
  upcoming: string[];
  settle: string;
}

/** An AWS error as the SDK raises it (code, message, HTTP status). */
export function awsError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: code, $fault: 'client', $metadata: { httpStatusCode: 400, requestId: 'req-1', attempts: 1 } });
}

/**
 * What every scripted client shares: each call recorded, the test's scripted errors answered first (next call first),
 * then the fake's own answer.
 */
export abstract class ScriptedClient {
  readonly calls: Call[] = [];
  /** Errors to answer for an operation, next call first. */
  readonly failures = new Map<string, Error[]>();

  operations(): string[] {
    return this.calls.map((c) => c.operation);
  }

  async send(command: { constructor: { name: string }; input: Input }, options?: { abortSignal?: AbortSignal }): Promise<unknown> {
    const operation = command.constructor.name.replace(/Command$/, '');
    this.calls.push({ operation, input: command.input, abortSignal: options?.abortSignal });
    const failure = this.failures.get(operation)?.shift();
    if (failure) throw failure;
    return this.answer(operation, command.input);
  }

  protected abstract answer(operation: string, input: Input): unknown;
}

export class FakeSageMaker extends ScriptedClient {
  readonly models = new Map<string, Input>();
  readonly configs = new Map<string, Input>();
  /** What DescribeModel answers instead of the stored model (a test's own shape of the API's answer). */
  readonly described = new Map<string, Input>();
  readonly endpoints = new Map<string, Endpoint>();
  readonly tags = new Map<string, Record<string, string>>();
  /** How each next created (or updated) endpoint behaves: the statuses it goes through, where it settles, why. */
  script: { through: string[]; settle: string; failureReason?: string }[] = [];

  protected answer(operation: string, input: Input): unknown {
    switch (operation) {
      case 'CreateModel': {
        const name = input.ModelName as string;
        if (this.models.has(name)) throw awsError('ValidationException', `Cannot create already existing model "arn:aws:sagemaker:${REGION}:${ACCOUNT}:model/${name.toLowerCase()}".`);
        const arn = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:model/${name.toLowerCase()}`;
        const { Tags, ...stored } = input;
        this.models.set(name, { ...stored, ModelArn: arn });
        this.tags.set(arn, Object.fromEntries(((Tags as { Key: string; Value: string }[]) ?? []).map((t) => [t.Key, t.Value])));
        return { ModelArn: arn };
      }
      case 'DescribeModel': {
        const found = this.models.get(input.ModelName as string);
        if (!found) throw awsError('ValidationException', `Could not find model "arn:aws:sagemaker:${REGION}:${ACCOUNT}:model/${String(input.ModelName).toLowerCase()}".`);
        return structuredClone(this.described.get(input.ModelName as string) ?? found);
      }
      case 'DeleteModel': {
        if (!this.models.delete(input.ModelName as string)) throw awsError('ValidationException', `Could not find model "${String(input.ModelName)}".`);
        return {};
      }
      case 'CreateEndpointConfig': {
        const name = input.EndpointConfigName as string;
        const arn = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint-config/${name.toLowerCase()}`;
        const { Tags, ...stored } = input;
        this.configs.set(name, { ...stored, EndpointConfigArn: arn });
        this.tags.set(arn, Object.fromEntries(((Tags as { Key: string; Value: string }[]) ?? []).map((t) => [t.Key, t.Value])));
        return {};
      }
      case 'DescribeEndpointConfig': {
        const found = this.configs.get(input.EndpointConfigName as string);
        if (!found) throw awsError('ValidationException', `Could not find endpoint configuration "${String(input.EndpointConfigName)}".`);
        return structuredClone(found);
      }
      case 'DeleteEndpointConfig': {
        if (!this.configs.delete(input.EndpointConfigName as string)) {
          throw awsError('ValidationException', `Could not find endpoint configuration "${String(input.EndpointConfigName)}".`);
        }
        return {};
      }
      case 'CreateEndpoint': {
        const name = input.EndpointName as string;
        const arn = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/${name.toLowerCase()}`;
        const next = this.script.shift() ?? { through: ['Creating'], settle: 'InService' };
        this.endpoints.set(name, {
          EndpointName: name,
          EndpointArn: arn,
          EndpointConfigName: input.EndpointConfigName as string,
          EndpointStatus: 'Creating',
          LastDeploymentConfig: input.DeploymentConfig,
          upcoming: [...next.through],
          settle: next.settle,
          FailureReason: next.failureReason,
        });
        this.tags.set(arn, Object.fromEntries(((input.Tags as { Key: string; Value: string }[]) ?? []).map((t) => [t.Key, t.Value])));
        return { EndpointArn: arn };
      }
      case 'UpdateEndpoint': {
        const endpoint = this.endpoint(input.EndpointName as string);
        const next = this.script.shift() ?? { through: ['Updating'], settle: 'InService' };
        // A failed update leaves the endpoint on its previous configuration, as SageMaker rolls it back.
        if (next.failureReason === undefined) endpoint.EndpointConfigName = input.EndpointConfigName as string;
        endpoint.LastDeploymentConfig = input.DeploymentConfig;
        Object.assign(endpoint, { upcoming: [...next.through], settle: next.settle, FailureReason: next.failureReason, EndpointStatus: 'Updating' });
        return {};
      }
      case 'DescribeEndpoint': {
        const endpoint = this.endpoint(input.EndpointName as string);
        endpoint.EndpointStatus = endpoint.upcoming.shift() ?? endpoint.settle;
        if (endpoint.EndpointStatus === 'Gone') {
          this.endpoints.delete(endpoint.EndpointName);
          throw awsError('ValidationException', `Could not find endpoint "${endpoint.EndpointArn}".`);
        }
        const { upcoming: _upcoming, settle: _settle, ...described } = endpoint;
        return structuredClone(described);
      }
      case 'DeleteEndpoint': {
        const endpoint = this.endpoint(input.EndpointName as string);
        Object.assign(endpoint, { upcoming: ['Deleting', 'Deleting'], settle: 'Gone' });
        return {};
      }
      case 'ListTags':
        return { Tags: Object.entries(this.tags.get(input.ResourceArn as string) ?? {}).map(([Key, Value]) => ({ Key, Value })) };
      case 'AddTags': {
        const tags = this.tags.get(input.ResourceArn as string)!;
        for (const tag of input.Tags as { Key: string; Value: string }[]) tags[tag.Key] = tag.Value;
        return {};
      }
      case 'DeleteTags': {
        const tags = this.tags.get(input.ResourceArn as string)!;
        for (const key of input.TagKeys as string[]) delete tags[key];
        return {};
      }
    }
    throw new Error(`the fake has no ${operation}`);
  }

  private endpoint(name: string): Endpoint {
    const found = this.endpoints.get(name);
    if (!found) throw awsError('ValidationException', `Could not find endpoint "${name}".`);
    return found;
  }
}

/**
 * The provider engine with the native resources, configured with the fake as every Region's SageMaker client (and
 * `iam`, a scripted IAM, as its IAM client), in `region`; the data sources too. Its applies run on the fast clock: retries and waits take no real time.
 */
export async function engineWith(fake: FakeSageMaker, defaultTags: Record<string, string> = {}, iam?: unknown, region = REGION): Promise<ProviderEngine<AwsMeta>> {
  registerAwsExtensions();
  const meta = {
    region,
    partition: partitionOfRegion(region),
    defaultTags,
    ignoreTags: { keys: new Set<string>(), keyPrefixes: [] },
    clients: { sagemaker: async () => fake, iam: async () => iam },
  } as unknown as AwsMeta;
  const definition: ProviderDefinition<AwsMeta> = {
    schema: providerSchema as unknown as Schema,
    resources,
    dataSources,
    configure: async () => ({ meta, diagnostics: [] }),
  };
  const engine = new ProviderEngine(definition);
  await engine.configure({}, '1.11.4', new AbortController().signal);
  const apply = engine.applyResourceChange.bind(engine);
  engine.applyResourceChange = async (...args) => (await onFastClock(() => apply(...args))).value;
  return engine;
}

/** A configuration with every nested block completed (unset attributes null), as Terraform sends it; unknown blocks stay unknown. */
export function completed(block: SchemaBlock, values: ObjectValue): ObjectValue {
  const withBlocks: ObjectValue = { ...values };
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    if (Array.isArray(values[name])) withBlocks[name] = (values[name] as Value[]).map((v) => (isUnknown(v) ? v : completed(nested.block, v as ObjectValue)));
  }
  return completeObject(block, withBlocks);
}
