// The endpoint's stored resources, and their optional persistence to one JSON file.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

export interface Tag {
  Key: string;
  Value: string;
}

/** What every SageMaker resource has: names are unique per account and region, regardless of case. */
export interface StoredSageMakerResource {
  account: string;
  region: string;
  name: string;
  arn: string;
  /** Epoch seconds, as SageMaker's JSON protocol carries timestamps. */
  creationTime: number;
  tags: Tag[];
}

export interface StoredModel extends StoredSageMakerResource {
  /** The CreateModel fields that DescribeModel echoes, exactly as they were sent. */
  spec: Record<string, unknown>;
  enableNetworkIsolation: boolean;
}

/** An endpoint configuration: what CreateEndpointConfig was sent, echoed by DescribeEndpointConfig. */
export interface StoredEndpointConfig extends StoredSageMakerResource {
  /** The CreateEndpointConfig fields that DescribeEndpointConfig echoes, exactly as they were sent. */
  spec: Record<string, unknown>;
}

export type EndpointStatus = 'Creating' | 'Updating' | 'Deleting' | 'InService' | 'Failed';

/** What an endpoint runs: taken from its endpoint configuration (and models) when a deployment starts. */
export interface EndpointDeployment {
  configName: string;
  /** ProductionVariantSummary objects as DescribeEndpoint returns them once deployed. */
  productionVariants: Record<string, unknown>[];
  shadowProductionVariants?: Record<string, unknown>[];
  /** Each variant's InstanceType and AcceleratorType, which PendingDeploymentSummary shows. */
  instanceTypes: Record<string, { InstanceType?: string; AcceleratorType?: string }>;
  dataCaptureConfig?: Record<string, unknown>;
  asyncInferenceConfig?: Record<string, unknown>;
  explainerConfig?: Record<string, unknown>;
}

/** A deployment under way: the endpoint's status advances when it is read after `endsAtMs`, no timer involved. */
export interface EndpointTransition {
  kind: 'create' | 'update' | 'delete';
  startedAtMs: number;
  endsAtMs: number;
  /** What create and update deploy. */
  deployment?: EndpointDeployment;
  deploymentConfig?: Record<string, unknown>;
  /** Set by an injected fault: the deployment fails with this reason... */
  failureReason?: string;
  /** ...and, for an update, rolls back to the previous deployment (InService) instead of ending Failed. */
  rollback?: boolean;
}

export interface StoredEndpoint extends StoredSageMakerResource {
  /** Epoch seconds. */
  lastModifiedTime: number;
  status: EndpointStatus;
  /** The configuration named by the last CreateEndpoint or UpdateEndpoint that took effect. */
  configName: string;
  /** What is deployed now; absent until a creation completes. */
  deployed?: EndpointDeployment;
  lastDeploymentConfig?: Record<string, unknown>;
  failureReason?: string;
  transition?: EndpointTransition;
}

export interface StoredRole {
  account: string;
  name: string;
  path: string;
  roleId: string;
  arn: string;
  createDate: string;
  createdAtMs: number;
  /** URL-encoded, as IAM returns it. */
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  permissionsBoundaryArn?: string;
  tags: Tag[];
  /** Inline policies by name (URL-encoded documents), in creation order. */
  inlinePolicies: Record<string, string>;
  attachedPolicyArns: string[];
}

/** An IAM customer managed policy; versions are kept oldest first, documents URL-encoded as IAM returns them. */
export interface StoredPolicy {
  account: string;
  name: string;
  path: string;
  policyId: string;
  arn: string;
  description?: string;
  createDate: string;
  updateDate: string;
  defaultVersionId: string;
  versions: StoredPolicyVersion[];
  /** The number the next version gets (IAM never reuses one). */
  nextVersion: number;
  tags: Tag[];
}

export interface StoredPolicyVersion {
  versionId: string;
  document: string;
  createDate: string;
}

export type ChecksumType = 'FULL_OBJECT' | 'COMPOSITE';

export interface StoredObject {
  key: string;
  body: Buffer;
  /** With its quotes, as S3 sends it: the MD5 of the body, or of the part MD5s plus `-N` for multipart uploads. */
  etag: string;
  lastModified: string;
  contentType: string;
  /** Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires, x-amz-website-redirect-location, as sent. */
  headers: Record<string, string>;
  /** x-amz-meta-* (names lower-cased, as S3 keeps them). */
  metadata: Record<string, string>;
  tags: Tag[];
  storageClass: string;
  serverSideEncryption: string;
  checksum: { algorithm: string; value: string; type: ChecksumType };
  partsCount?: number;
}

/** What an object takes from the headers of PutObject or CreateMultipartUpload. */
export type ObjectAttributes = Omit<StoredObject, 'key' | 'body' | 'etag' | 'lastModified' | 'checksum' | 'partsCount'>;

export interface UploadedPart {
  data: Buffer;
  etag: string;
}

/** An incomplete multipart upload: in memory only, not persisted (AWS does not list them as objects either). */
export interface MultipartUpload {
  bucket: string;
  key: string;
  attributes: ObjectAttributes;
  /** The algorithm CreateMultipartUpload named; the object gets a CRC64NVME checksum when it named none. */
  checksumAlgorithm?: string;
  checksumType: ChecksumType;
  parts: Map<number, UploadedPart>;
}

export interface StoredBucket {
  name: string;
  account: string;
  region: string;
  creationDate: string;
  /** Undefined while the bucket has no tag set (GetBucketTagging then answers NoSuchTagSet). */
  tags?: Tag[];
  policy?: string;
  objectOwnership: string;
  objectLockEnabled: boolean;
  objects: Map<string, StoredObject>;
}

type PersistedObject = Omit<StoredObject, 'body'> & { body: string };
type PersistedBucket = Omit<StoredBucket, 'objects'> & { objects: PersistedObject[] };

interface StateFile {
  version: 1;
  models: StoredModel[];
  roles: StoredRole[];
  // Added after the first release; absent in older files.
  policies?: StoredPolicy[];
  buckets?: PersistedBucket[];
  endpointConfigs?: StoredEndpointConfig[];
  endpoints?: StoredEndpoint[];
}

// SageMaker names (models, endpoint configurations, endpoints) and IAM role names are unique regardless of case;
// names keep the case they were given.
export const sageMakerKey = (account: string, region: string, name: string) => `${account}/${region}/${name.toLowerCase()}`;
export const roleKey = (account: string, name: string) => `${account}/${name.toLowerCase()}`;
/** Managed policy names are unique per account regardless of case and path. */
export const policyKey = (account: string, name: string) => `${account}/${name.toLowerCase()}`;

export class State {
  readonly models = new Map<string, StoredModel>();
  readonly endpointConfigs = new Map<string, StoredEndpointConfig>();
  readonly endpoints = new Map<string, StoredEndpoint>();
  readonly roles = new Map<string, StoredRole>();
  readonly policies = new Map<string, StoredPolicy>();
  /** Bucket names are global, as in S3: one namespace for every account and region. */
  readonly buckets = new Map<string, StoredBucket>();
  /** Incomplete multipart uploads by upload id; never written to the state file. */
  readonly uploads = new Map<string, MultipartUpload>();

  constructor(private readonly file?: string) {
    if (file && existsSync(file)) this.load(file);
  }

  clear(): void {
    this.models.clear();
    this.endpointConfigs.clear();
    this.endpoints.clear();
    this.roles.clear();
    this.policies.clear();
    this.buckets.clear();
    this.uploads.clear();
    this.save();
  }

  /** Writes the whole state to the state file, if any: a temp file, fsync, then rename, so a crash never leaves half a file. */
  save(): void {
    if (!this.file) return;
    const content: StateFile = {
      version: 1,
      models: [...this.models.values()],
      roles: [...this.roles.values()],
      policies: [...this.policies.values()],
      endpointConfigs: [...this.endpointConfigs.values()],
      endpoints: [...this.endpoints.values()],
      buckets: [...this.buckets.values()].map((bucket) => ({
        ...bucket,
        objects: [...bucket.objects.values()].map((object) => ({ ...object, body: object.body.toString('base64') })),
      })),
    };
    const temp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, JSON.stringify(content));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.file);
  }

  private load(file: string): void {
    let content: StateFile;
    try {
      content = JSON.parse(readFileSync(file, 'utf8')) as StateFile;
    } catch (error) {
      throw new Error(`cannot read the state file ${file}: ${(error as Error).message}`);
    }
    if (content.version !== 1) throw new Error(`${file}: unsupported state file version ${String(content.version)}`);
    for (const model of content.models) this.models.set(sageMakerKey(model.account, model.region, model.name), model);
    for (const role of content.roles) this.roles.set(roleKey(role.account, role.name), role);
    for (const policy of content.policies ?? []) this.policies.set(policyKey(policy.account, policy.name), policy);
    for (const config of content.endpointConfigs ?? []) this.endpointConfigs.set(sageMakerKey(config.account, config.region, config.name), config);
    for (const endpoint of content.endpoints ?? []) this.endpoints.set(sageMakerKey(endpoint.account, endpoint.region, endpoint.name), endpoint);
    for (const bucket of content.buckets ?? []) {
      const objects = bucket.objects.map((object): StoredObject => ({ ...object, body: Buffer.from(object.body, 'base64') }));
      this.buckets.set(bucket.name, { ...bucket, objects: new Map(objects.map((object) => [object.key, object])) });
    }
  }
}
