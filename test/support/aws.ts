// Direct AWS API access for acceptance tests: fixtures (execution roles), out-of-band changes and
// check-destroy, independent of the provider under test.
import { IAMClient, CreateRoleCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import {
  SageMakerClient,
  AddTagsCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ListTagsCommand,
  type DescribeEndpointConfigOutput,
  type DescribeEndpointOutput,
  type DescribeModelOutput,
} from '@aws-sdk/client-sagemaker';
import { trustPolicyJson } from './fixtures';
import type { Target } from './terraform';


export class AwsApi {
  readonly sagemaker: SageMakerClient;
  readonly iam: IAMClient;

  constructor(target: Target) {
    this.sagemaker = new SageMakerClient(target.sdkConfig);
    this.iam = new IAMClient(target.sdkConfig);
  }

  /**
   * An execution role SageMaker can use, shared by every test file on the target and never deleted. Create
   * first and read on EntityAlreadyExists: files running at once against one endpoint (LocalStack, AWS) race
   * for it, and a get-then-create lets two of them both try to create it.
   */
  async executionRole(name = 'tfacc-sagemaker-execution'): Promise<string> {
    try {
      return (await this.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustPolicyJson() }))).Role!.Arn!;
    } catch (error) {
      if ((error as Error).name !== 'EntityAlreadyExistsException') throw error;
      return (await this.iam.send(new GetRoleCommand({ RoleName: name }))).Role!.Arn!;
    }
  }

  /** The model as the API describes it, or null when it does not exist. */
  async model(name: string): Promise<DescribeModelOutput | null> {
    try {
      return await this.sagemaker.send(new DescribeModelCommand({ ModelName: name }));
    } catch (error) {
      if ((error as Error).name === 'ValidationException') return null;
      throw error;
    }
  }

  /** The endpoint configuration as the API describes it, or null when it does not exist. */
  async endpointConfig(name: string): Promise<DescribeEndpointConfigOutput | null> {
    return orNull(this.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: name })));
  }

  /** The endpoint as the API describes it, or null when it does not exist. */
  async endpoint(name: string): Promise<DescribeEndpointOutput | null> {
    return orNull(this.sagemaker.send(new DescribeEndpointCommand({ EndpointName: name })));
  }

  async deleteEndpoint(name: string): Promise<void> {
    await this.sagemaker.send(new DeleteEndpointCommand({ EndpointName: name }));
  }

  async deleteEndpointConfig(name: string): Promise<void> {
    await this.sagemaker.send(new DeleteEndpointConfigCommand({ EndpointConfigName: name }));
  }

  async tags(arn: string): Promise<Record<string, string>> {
    const tags: Record<string, string> = {};
    let NextToken: string | undefined;
    do {
      const page = await this.sagemaker.send(new ListTagsCommand({ ResourceArn: arn, NextToken }));
      for (const tag of page.Tags ?? []) tags[tag.Key!] = tag.Value ?? '';
      NextToken = page.NextToken;
    } while (NextToken);
    return tags;
  }

  async addTags(arn: string, tags: Record<string, string>): Promise<void> {
    await this.sagemaker.send(new AddTagsCommand({ ResourceArn: arn, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }));
  }

  async deleteModel(name: string): Promise<void> {
    await this.sagemaker.send(new DeleteModelCommand({ ModelName: name }));
  }

  destroy(): void {
    this.sagemaker.destroy();
    this.iam.destroy();
  }
}

/** SageMaker answers a ValidationException ("Could not find ...") for what does not exist. */
async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if ((error as Error).name === 'ValidationException') return null;
    throw error;
  }
}
