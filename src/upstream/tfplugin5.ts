// The tfplugin5 side of delegation: which protocol-5 RPC answers each protocol-6 RPC, and the message codec.
//
// hashicorp/aws speaks protocol 5; Terraform speaks 6 to us. Messages are decoded into plain objects keyed by the
// .proto field names (PROTO_LOADER_OPTIONS), and the two protocols name their fields alike: every request the
// router forwards has, field for field, the same names and types in both versions (test/upstream/tfplugin5.test.ts
// checks this against the descriptors), so a decoded tfplugin6 request *is* the tfplugin5 request, and a decoded
// tfplugin5 answer re-encodes as the tfplugin6 answer. The differences are only in wire numbers (which the codecs
// handle) and in the few fields listed in ANSWER_FIELDS_DROPPED. DynamicValue bytes pass through untouched.
import { Descriptors } from '../protocol/definitions';
import type { ProviderRpc } from '../protocol/tfplugin6';
import descriptors from './tfplugin5.generated.json';

export const tfplugin5 = new Descriptors(descriptors);

/** The tfplugin5.Provider RPC that serves each tfplugin6.Provider RPC. */
export const V5_RPC = {
  GetMetadata: 'GetMetadata',
  GetProviderSchema: 'GetSchema',
  ValidateProviderConfig: 'PrepareProviderConfig',
  ValidateResourceConfig: 'ValidateResourceTypeConfig',
  ValidateDataResourceConfig: 'ValidateDataSourceConfig',
  UpgradeResourceState: 'UpgradeResourceState',
  ConfigureProvider: 'Configure',
  ReadResource: 'ReadResource',
  PlanResourceChange: 'PlanResourceChange',
  ApplyResourceChange: 'ApplyResourceChange',
  ImportResourceState: 'ImportResourceState',
  MoveResourceState: 'MoveResourceState',
  ReadDataSource: 'ReadDataSource',
  ValidateEphemeralResourceConfig: 'ValidateEphemeralResourceConfig',
  OpenEphemeralResource: 'OpenEphemeralResource',
  RenewEphemeralResource: 'RenewEphemeralResource',
  CloseEphemeralResource: 'CloseEphemeralResource',
  GetFunctions: 'GetFunctions',
  CallFunction: 'CallFunction',
  StopProvider: 'Stop',
} as const satisfies Record<ProviderRpc | 'StopProvider', string>;

export type ForwardedRpc = keyof typeof V5_RPC;

/**
 * Fields of a tfplugin5 answer that the tfplugin6 answer does not have. PrepareProviderConfig returns the
 * configuration with defaults applied; Terraform 1.x ignores it, and the tfplugin6 answer has no such field.
 */
export const ANSWER_FIELDS_DROPPED: Partial<Record<ForwardedRpc, string[]>> = {
  ValidateProviderConfig: ['prepared_config'],
};
