// A scripted stand-in for IAM's role API, for aws_iam_role's unit tests: roles with their inline policies, attached
// policies, instance profiles and tags; listings in pages of PAGE_SIZE (so that every listing is followed past its
// first page); every call recorded; the errors of the next calls chosen by the test.
import { ScriptedClient, awsError } from './fake-sagemaker';

type Input = Record<string, unknown>;

/** Items per page of every listing: small, so that the tests' roles need several pages. */
const PAGE_SIZE = 2;
const ACCOUNT = '123456789012';

interface FakeRole {
  RoleName: string;
  RoleId: string;
  Arn: string;
  Path: string;
  CreateDate: Date;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  PermissionsBoundary?: { PermissionsBoundaryType: string; PermissionsBoundaryArn: string };
  Tags: { Key: string; Value: string }[];
  inline: Map<string, string>;
  attached: string[];
  profiles: string[];
}

export class FakeIam extends ScriptedClient {
  readonly roles = new Map<string, FakeRole>();

  protected answer(operation: string, input: Input): unknown {
    if (operation === 'CreateRole') {
      const name = input.RoleName as string;
      if (this.roles.has(name)) throw awsError('EntityAlreadyExists', `Role with name ${name} already exists.`);
      this.roles.set(name, {
        RoleName: name,
        RoleId: `AROA${name.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(17, 'X').slice(0, 17)}`,
        Arn: `arn:aws:iam::${ACCOUNT}:role${(input.Path as string | undefined) ?? '/'}${name}`,
        Path: (input.Path as string | undefined) ?? '/',
        CreateDate: new Date('2026-01-02T03:04:05.678Z'),
        // IAM answers the document URL-encoded, as GetRole does.
        AssumeRolePolicyDocument: encodeURIComponent(input.AssumeRolePolicyDocument as string),
        Description: input.Description as string | undefined,
        MaxSessionDuration: (input.MaxSessionDuration as number | undefined) ?? 3600,
        PermissionsBoundary: input.PermissionsBoundary ? { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: input.PermissionsBoundary as string } : undefined,
        Tags: [...((input.Tags as FakeRole['Tags'] | undefined) ?? [])],
        inline: new Map(),
        attached: [],
        profiles: [],
      });
      return { Role: this.described(name) };
    }
    const role = this.role(input.RoleName as string);
    switch (operation) {
      case 'GetRole':
        return { Role: this.described(role.RoleName) };
      case 'ListRolePolicies':
        return this.page([...role.inline.keys()], input.Marker, (PolicyNames) => ({ PolicyNames }));
      case 'GetRolePolicy': {
        const document = role.inline.get(input.PolicyName as string);
        if (document === undefined) throw awsError('NoSuchEntity', `The role policy with name ${String(input.PolicyName)} cannot be found.`);
        return { RoleName: role.RoleName, PolicyName: input.PolicyName, PolicyDocument: encodeURIComponent(document) };
      }
      case 'PutRolePolicy':
        role.inline.set(input.PolicyName as string, input.PolicyDocument as string);
        return {};
      case 'DeleteRolePolicy':
        if (!role.inline.delete(input.PolicyName as string)) throw awsError('NoSuchEntity', `The role policy with name ${String(input.PolicyName)} cannot be found.`);
        return {};
      case 'ListAttachedRolePolicies':
        return this.page(role.attached, input.Marker, (arns) => ({ AttachedPolicies: arns.map((PolicyArn) => ({ PolicyArn, PolicyName: PolicyArn.split('/').pop() })) }));
      case 'AttachRolePolicy':
        if (!role.attached.includes(input.PolicyArn as string)) role.attached.push(input.PolicyArn as string);
        return {};
      case 'DetachRolePolicy': {
        const index = role.attached.indexOf(input.PolicyArn as string);
        if (index < 0) throw awsError('NoSuchEntity', `Policy ${String(input.PolicyArn)} was not found.`);
        role.attached.splice(index, 1);
        return {};
      }
      case 'ListInstanceProfilesForRole':
        return this.page(role.profiles, input.Marker, (names) => ({ InstanceProfiles: names.map((InstanceProfileName) => ({ InstanceProfileName })) }));
      case 'RemoveRoleFromInstanceProfile':
        role.profiles = role.profiles.filter((p) => p !== input.InstanceProfileName);
        return {};
      case 'UpdateAssumeRolePolicy':
        role.AssumeRolePolicyDocument = encodeURIComponent(input.PolicyDocument as string);
        return {};
      case 'UpdateRoleDescription':
        role.Description = input.Description as string;
        return {};
      case 'UpdateRole':
        role.MaxSessionDuration = input.MaxSessionDuration as number;
        return {};
      case 'PutRolePermissionsBoundary':
        role.PermissionsBoundary = { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: input.PermissionsBoundary as string };
        return {};
      case 'DeleteRolePermissionsBoundary':
        role.PermissionsBoundary = undefined;
        return {};
      case 'TagRole':
        for (const tag of input.Tags as FakeRole['Tags']) {
          role.Tags = [...role.Tags.filter((t) => t.Key !== tag.Key), tag];
        }
        return {};
      case 'UntagRole':
        role.Tags = role.Tags.filter((t) => !(input.TagKeys as string[]).includes(t.Key));
        return {};
      case 'DeleteRole':
        if (role.inline.size > 0 || role.attached.length > 0) throw awsError('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
        if (role.profiles.length > 0) throw awsError('DeleteConflict', 'Cannot delete entity, must remove roles from instance profile first.');
        this.roles.delete(role.RoleName);
        return {};
    }
    throw new Error(`the fake has no ${operation}`);
  }

  /** GetRole's Role: what IAM returns (no policies; the description only when set). */
  private described(name: string): Input {
    const { inline: _inline, attached: _attached, profiles: _profiles, ...role } = this.roles.get(name)!;
    return structuredClone(role);
  }

  private role(name: string): FakeRole {
    const found = this.roles.get(name);
    if (!found) throw awsError('NoSuchEntity', `The role with name ${name} cannot be found.`);
    return found;
  }

  private page<T>(items: T[], marker: unknown, shape: (page: T[]) => Input): Input {
    const start = marker === undefined ? 0 : Number(marker);
    const end = start + PAGE_SIZE;
    return { ...shape(items.slice(start, end)), IsTruncated: end < items.length, Marker: end < items.length ? String(end) : undefined };
  }
}
