// data "aws_iam_policy_document": renders an IAM policy document from blocks, byte for byte as
// hashicorp/aws does (the rendering rules live in src/aws/iam-policy/). No API call.
import { ResourceError } from '../engine/diagnostics';
import type { DataSourceType } from '../engine/resource';
import type { Schema } from '../engine/schema';
import type { ObjectValue, Value } from '../values/value';
import { renderPolicyDocument } from '../aws/iam-policy/document';
import { PolicyDocumentError, type PolicyPrincipalInput, type PolicyStatementInput } from '../aws/iam-policy/model';
import type { AwsMeta } from '../aws/meta';
import { objects, str } from '../aws/values';
import schemaJson from '../../provider-schema/data-sources/aws_iam_policy_document.json';

function stringList(v: Value | undefined): string[] | null {
  return Array.isArray(v) ? v.filter((e): e is string => typeof e === 'string') : null;
}

function principals(v: Value | undefined): PolicyPrincipalInput[] {
  return objects(v).map((p) => ({ type: str(p.type) ?? '', identifiers: stringList(p.identifiers) }));
}

function statement(block: ObjectValue): PolicyStatementInput {
  return {
    sid: str(block.sid) ?? null,
    effect: str(block.effect) ?? null,
    actions: stringList(block.actions),
    notActions: stringList(block.not_actions),
    resources: stringList(block.resources),
    notResources: stringList(block.not_resources),
    principals: principals(block.principals),
    notPrincipals: principals(block.not_principals),
    conditions: objects(block.condition).map((c) => ({ test: str(c.test) ?? '', variable: str(c.variable) ?? '', values: stringList(c.values) })),
  };
}

export const iamPolicyDocument: DataSourceType<AwsMeta> = {
  name: 'aws_iam_policy_document',
  sdkv2: true,
  schema: schemaJson as unknown as Schema,

  async read(_context, config) {
    try {
      const rendered = renderPolicyDocument({
        policyId: str(config.policy_id) ?? null,
        version: str(config.version) ?? null,
        sourcePolicyDocuments: stringList(config.source_policy_documents),
        overridePolicyDocuments: stringList(config.override_policy_documents),
        sourceJson: str(config.source_json) ?? null,
        overrideJson: str(config.override_json) ?? null,
        statements: objects(config.statement).map(statement),
      });
      return { ...config, json: rendered.json, minified_json: rendered.minifiedJson, id: rendered.id };
    } catch (error) {
      if (error instanceof PolicyDocumentError) throw new ResourceError(error.message, error.detail || undefined, undefined, error.path);
      throw error;
    }
  },
};
