// Provider functions (`provider::aws::<name>(...)`): hashicorp/aws 5.100.0's arn_parse, arn_build and
// trim_iam_role_path, with its exact signatures and descriptions, served next to the native resources.
// `withFunctions` adds them to a ProviderHandlers: the schema's `functions`, GetFunctions, GetMetadata, CallFunction.
import { decodeMsgpack, encodeMsgpack, parseTypeJson, type CtyType, type Value } from '../values';
import type * as tf from '../protocol/tfplugin6';
import { buildArn, parseArn, trimIamRolePath } from './arn';

export interface ProviderFunction {
  definition: tf.FunctionDefinition;
  /** The return type, as in the definition. */
  returns: CtyType;
  /** Arguments are known and not null (no parameter allows otherwise); an Error is a function error. */
  call(args: string[]): Value | Error;
}

const ARN_PARTS: CtyType = ['object', { account_id: 'string', partition: 'string', region: 'string', resource: 'string', service: 'string' }];

function stringParameter(name: string, description: string): tf.FunctionParameter {
  return { name, type: Buffer.from('"string"'), allow_null_value: false, allow_unknown_values: false, description, description_kind: 'MARKDOWN' };
}

function definition(summary: string, description: string, parameters: tf.FunctionParameter[], returns: CtyType): tf.FunctionDefinition {
  return {
    parameters,
    variadic_parameter: null,
    return: { type: Buffer.from(JSON.stringify(returns)) },
    summary,
    description,
    description_kind: 'MARKDOWN',
    deprecation_message: '',
  };
}

export const awsFunctions: Record<string, ProviderFunction> = {
  arn_build: {
    definition: definition(
      'arn_build Function',
      'Builds an ARN from its constituent parts',
      [
        stringParameter('partition', 'Partition in which the resource is located'),
        stringParameter('service', 'Service namespace'),
        stringParameter('region', 'Region code'),
        stringParameter('account_id', 'AWS account identifier'),
        stringParameter('resource', 'Resource section, typically composed of a resource type and identifier'),
      ],
      'string',
    ),
    returns: 'string',
    call: ([partition, service, region, account_id, resource]) =>
      buildArn({ partition: partition!, service: service!, region: region!, account_id: account_id!, resource: resource! }),
  },
  arn_parse: {
    definition: definition('arn_parse Function', 'Parses an ARN into its constituent parts', [stringParameter('arn', 'ARN (Amazon Resource Name) to parse')], ARN_PARTS),
    returns: ARN_PARTS,
    call: ([arn]) => {
      const parts = parseArn(arn!);
      return parts instanceof Error ? parts : { ...parts };
    },
  },
  trim_iam_role_path: {
    definition: definition(
      'trim_iam_role_path Function',
      'Trims the path prefix from an IAM role Amazon Resource Name (ARN). This function can be used when services require role ARNs to be passed without a path.',
      [stringParameter('arn', 'IAM role Amazon Resource Name (ARN)')],
      'string',
    ),
    returns: 'string',
    call: ([arn]) => trimIamRolePath(arn!),
  },
};

/** The handlers with `functions` served: in the schema, GetFunctions, GetMetadata and CallFunction. */
export function withFunctions(handlers: tf.ProviderHandlers, functions: Record<string, ProviderFunction>): tf.ProviderHandlers {
  const definitions = Object.fromEntries(Object.entries(functions).map(([name, f]) => [name, f.definition]));
  const { GetProviderSchema, GetMetadata } = handlers;
  return {
    ...handlers,
    async GetProviderSchema(request, context) {
      const schema = (await GetProviderSchema.call(handlers, request, context)) as tf.GetProviderSchemaResponse;
      return { ...schema, functions: { ...schema.functions, ...definitions } };
    },
    ...(GetMetadata && {
      async GetMetadata(request, context) {
        const metadata = await GetMetadata.call(handlers, request, context);
        return { ...metadata, functions: [...(metadata.functions ?? []), ...Object.keys(functions).map((name) => ({ name }))] };
      },
    }),
    async GetFunctions() {
      return { functions: definitions };
    },
    async CallFunction(request) {
      const fn = functions[request.name];
      if (!fn) return { error: { text: `This provider has no function named ${JSON.stringify(request.name)}.` } };
      const parameters = fn.definition.parameters ?? [];
      const args = request.arguments.map((arg, i) => decodeMsgpack(arg.msgpack ?? Buffer.alloc(0), parseTypeJson(parameters[i]!.type.toString('utf8'))));
      const result = fn.call(args as string[]);
      if (result instanceof Error) return { error: { text: result.message } };
      return { result: { msgpack: Buffer.from(encodeMsgpack(result, fn.returns)) } };
    },
  };
}
