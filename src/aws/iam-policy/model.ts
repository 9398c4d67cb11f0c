// aws_iam_policy_document's arguments and errors, and hashicorp/aws's Go model of a policy document (IAMPolicyDoc
// and friends), which the rendering builds from the arguments and from source and override documents.

import type { GoJson } from '../../values/go-json';

export interface PolicyPrincipalInput {
  type: string;
  identifiers: string[] | null;
}

export interface PolicyConditionInput {
  test: string;
  variable: string;
  values: string[] | null;
}

export interface PolicyStatementInput {
  sid?: string | null;
  effect?: string | null;
  actions?: string[] | null;
  notActions?: string[] | null;
  resources?: string[] | null;
  notResources?: string[] | null;
  principals?: PolicyPrincipalInput[] | null;
  notPrincipals?: PolicyPrincipalInput[] | null;
  conditions?: PolicyConditionInput[] | null;
}

export interface PolicyDocumentInput {
  policyId?: string | null;
  version?: string | null;
  sourcePolicyDocuments?: Array<string | null> | null;
  overridePolicyDocuments?: Array<string | null> | null;
  /** Deprecated arguments that hashicorp/aws only accepts empty. */
  sourceJson?: string | null;
  overrideJson?: string | null;
  statements?: PolicyStatementInput[] | null;
}

export type AttributePathStep = { attr: string } | { index: number };

/**
 * An error diagnostic of the data source. `message` is hashicorp/aws's summary text; `path` is the
 * attribute path hashicorp/aws attaches (validation errors carry one, errors raised while reading
 * carry none and get an empty path).
 */
export class PolicyDocumentError extends Error {
  constructor(message: string, readonly path: AttributePathStep[] = [], readonly detail = '') {
    super(message);
    this.name = 'PolicyDocumentError';
  }
}

export interface RenderedPolicyDocument {
  json: string;
  minifiedJson: string;
  id: string;
}

export const POLICY_VERSIONS = ['2008-10-17', '2012-10-17'] as const;

export const DEFAULT_POLICY_VERSION = '2012-10-17';

// The Go model of the provider (IAMPolicyDoc and friends), with identifiers/values either a single
// string or a list, as in Go's `any` fields.
export type StringOrList = string | string[];

export interface PolicyPrincipal {
  type: string;
  identifiers: StringOrList;
}

export interface PolicyCondition {
  test: string;
  variable: string;
  values: StringOrList;
}

export interface PolicyStatement {
  sid: string;
  effect: string;
  actions?: GoJson;
  notActions?: GoJson;
  resources?: GoJson;
  notResources?: GoJson;
  principals?: PolicyPrincipal[];
  notPrincipals?: PolicyPrincipal[];
  conditions?: PolicyCondition[];
}

export interface PolicyDoc {
  version: string;
  id: string;
  statements: PolicyStatement[];
}
