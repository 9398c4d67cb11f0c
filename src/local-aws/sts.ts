// STS (AWS Query protocol, XML): who is calling, and temporary credentials for a role.
import { randomBytes } from 'node:crypto';
import type { Backend, RequestContext } from './context';
import { AwsError } from './errors';
import type { QueryParams } from './query';
import { roleKey } from './state';
import { Violations } from './validation';
import type { XmlValue } from './xml';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** Credentials handed out by AssumeRole; a request signed with one acts as the assumed role. Kept in memory only. */
export interface RoleSession {
  account: string;
  roleName: string;
  roleId: string;
  sessionName: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomText(length: number, alphabet: string): string {
  let text = '';
  for (const byte of randomBytes(length)) text += alphabet[byte % alphabet.length];
  return text;
}

export function handleSts(
  backend: Backend,
  sessions: Map<string, RoleSession>,
  ctx: RequestContext,
  operation: string,
  params: QueryParams,
): Record<string, XmlValue> {
  if (operation === 'GetCallerIdentity') {
    const session = sessions.get(ctx.accessKeyId);
    if (session) {
      return {
        UserId: `${session.roleId}:${session.sessionName}`,
        Account: session.account,
        Arn: `arn:aws:sts::${session.account}:assumed-role/${session.roleName}/${session.sessionName}`,
      };
    }
    // LocalStack's answer for long-term keys: the account root.
    return { UserId: 'AKIAIOSFODNN7EXAMPLE', Account: ctx.account, Arn: `arn:aws:iam::${ctx.account}:root` };
  }
  if (operation === 'AssumeRole') return assumeRole(backend, sessions, ctx, params);
  throw new AwsError('InvalidAction', `Could not find operation ${operation} for version 2011-06-15`, 400);
}

function assumeRole(backend: Backend, sessions: Map<string, RoleSession>, ctx: RequestContext, params: QueryParams): Record<string, XmlValue> {
  const v = new Violations();
  const roleArn = params.string('RoleArn');
  if (v.required(roleArn, 'roleArn')) v.length(roleArn, 'roleArn', 20, 2048);
  const sessionName = params.string('RoleSessionName');
  if (v.required(sessionName, 'roleSessionName')) {
    v.length(sessionName, 'roleSessionName', 2, 64);
    v.pattern(sessionName, 'roleSessionName', /^[\w+=,.@-]*$/, '[\\w+=,.@-]*');
  }
  const duration = params.integer('DurationSeconds');
  v.range(duration, 'durationSeconds', 900, 43200);
  const externalId = params.string('ExternalId');
  v.length(externalId, 'externalId', 2, 1224);
  v.throwIfAny('ValidationError');

  const match = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn!);
  const role = match ? backend.state.roles.get(roleKey(match[1], match[2])) : undefined;
  if (!role) {
    const caller = sessions.get(ctx.accessKeyId);
    const who = caller
      ? `arn:aws:sts::${caller.account}:assumed-role/${caller.roleName}/${caller.sessionName}`
      : `arn:aws:iam::${ctx.account}:root`;
    throw new AwsError('AccessDenied', `User: ${who} is not authorized to perform: sts:AssumeRole on resource: ${roleArn!}`, 403);
  }
  const seconds = duration ?? 3600;
  if (seconds > role.maxSessionDuration) {
    throw new AwsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);
  }
  const accessKeyId = `ASIA${randomText(16, ALNUM)}`;
  sessions.set(accessKeyId, { account: role.account, roleName: role.name, roleId: role.roleId, sessionName: sessionName! });
  return {
    Credentials: {
      AccessKeyId: accessKeyId,
      SecretAccessKey: randomBytes(30).toString('base64'),
      SessionToken: randomBytes(96).toString('base64'),
      Expiration: new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
    AssumedRoleUser: {
      AssumedRoleId: `${role.roleId}:${sessionName!}`,
      Arn: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${sessionName!}`,
    },
    PackedPolicySize: 0,
  };
}
