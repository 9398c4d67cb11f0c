// The endpoint's stored resources, and their optional persistence to one JSON file.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

export interface Tag {
  Key: string;
  Value: string;
}

export interface StoredModel {
  account: string;
  region: string;
  name: string;
  arn: string;
  /** Epoch seconds, as SageMaker's JSON protocol carries timestamps. */
  creationTime: number;
  /** The CreateModel fields that DescribeModel echoes, exactly as they were sent. */
  spec: Record<string, unknown>;
  enableNetworkIsolation: boolean;
  tags: Tag[];
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

interface StateFile {
  version: 1;
  models: StoredModel[];
  roles: StoredRole[];
}

// SageMaker model names and IAM role names are unique regardless of case; names keep the case they were given.
export const modelKey = (account: string, region: string, name: string) => `${account}/${region}/${name.toLowerCase()}`;
export const roleKey = (account: string, name: string) => `${account}/${name.toLowerCase()}`;

export class State {
  readonly models = new Map<string, StoredModel>();
  readonly roles = new Map<string, StoredRole>();

  constructor(private readonly file?: string) {
    if (file && existsSync(file)) this.load(file);
  }

  clear(): void {
    this.models.clear();
    this.roles.clear();
    this.save();
  }

  /** Writes the whole state to the state file, if any: a temp file, fsync, then rename, so a crash never leaves half a file. */
  save(): void {
    if (!this.file) return;
    const content: StateFile = { version: 1, models: [...this.models.values()], roles: [...this.roles.values()] };
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
    for (const model of content.models) this.models.set(modelKey(model.account, model.region, model.name), model);
    for (const role of content.roles) this.roles.set(roleKey(role.account, role.name), role);
  }
}
