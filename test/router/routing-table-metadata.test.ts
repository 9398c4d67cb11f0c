// How the routing table learns the native names: from the native handlers' GetMetadata, called once with a context
// of its own; names of every kind (ephemeral resources too) claimed once each; absent lists are no names; an error
// diagnostic or a missing GetMetadata refuses to build a table; the names are logged once, at debug.
import t from 'tap';
import { Logger } from '../../src/protocol/log';
import type { CallContext, GetMetadataResponse, ProviderHandlers } from '../../src/protocol/tfplugin6';
import { RoutingTable } from '../../src/router/table';

function capturingLog(): { log: Logger; lines: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  return { log: new Logger('provider', 'debug', (line) => lines.push(line)), lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

function handlersAnswering(metadata: GetMetadataResponse): { handlers: ProviderHandlers; contexts: CallContext[] } {
  const contexts: CallContext[] = [];
  return {
    contexts,
    handlers: {
      GetMetadata: async (_request, context) => {
        contexts.push(context);
        return metadata;
      },
    } as ProviderHandlers,
  };
}

t.test('names of every kind are claimed from GetMetadata, called once with its own context, and logged', async (t) => {
  const { log, lines } = capturingLog();
  const { handlers, contexts } = handlersAnswering({
    resources: [{ type_name: 'aws_iam_role' }, { type_name: 'aws_sagemaker_model' }],
    data_sources: [{ type_name: 'aws_iam_policy_document' }, { type_name: 'aws_sagemaker_prebuilt_ecr_image' }],
    ephemeral_resources: [{ type_name: 'aws_secret' }],
    functions: [{ name: 'arn_parse' }, { name: 'arn_build' }],
    diagnostics: [{ severity: 'WARNING', summary: 'only a warning' }],
  });
  const table = await RoutingTable.of(handlers, log);
  t.equal(contexts.length, 1);
  t.equal(contexts[0].rpc, 'GetMetadata');
  t.equal(contexts[0].signal.aborted, false);
  t.equal(contexts[0].log, log);
  t.equal(table.route('ephemeral_resource_schemas', 'aws_secret'), 'native', 'an ephemeral resource');
  t.equal(table.route('resource_schemas', 'aws_secret'), 'upstream', 'each name in its own kind');
  t.same(
    { resources: [...table.names().resources], dataSources: [...table.names().dataSources], functions: [...table.names().functions] },
    { resources: ['aws_iam_role', 'aws_sagemaker_model'], dataSources: ['aws_iam_policy_document', 'aws_sagemaker_prebuilt_ecr_image'], functions: ['arn_parse', 'arn_build'] },
  );
  t.match(lines().find((l) => l['@message'] === 'native types'), {
    '@level': 'debug',
    resources: 'aws_iam_role,aws_sagemaker_model',
    data_sources: 'aws_iam_policy_document,aws_sagemaker_prebuilt_ecr_image',
    functions: 'arn_parse,arn_build',
  });
});

t.test('lists left out are no names', async (t) => {
  const table = await RoutingTable.of(handlersAnswering({}).handlers, capturingLog().log);
  t.same([...table.names().resources, ...table.names().dataSources, ...table.names().functions], []);
  for (const kind of ['resource_schemas', 'data_source_schemas', 'ephemeral_resource_schemas', 'functions'] as const) {
    t.equal(table.route(kind, 'undefined'), 'upstream', `${kind}: nothing native`);
  }
});

t.test('no table without GetMetadata, with an error diagnostic, or with an ephemeral name declared twice', async (t) => {
  const log = capturingLog().log;
  await t.rejects(RoutingTable.of({} as ProviderHandlers, log), { message: 'the native handlers do not declare their names (GetMetadata)' });
  await t.rejects(
    RoutingTable.of(handlersAnswering({ diagnostics: [{ severity: 'ERROR', summary: 'one' }, { severity: 'WARNING', summary: 'no' }, { severity: 'ERROR', summary: 'two' }] }).handlers, log),
    { message: "the native handlers' names are unknown: one; two" },
  );
  await t.rejects(RoutingTable.of(handlersAnswering({ ephemeral_resources: [{ type_name: 'x' }, { type_name: 'x' }] }).handlers, log), {
    message: 'ephemeral.x is declared twice by the native handlers; one name must have one handler',
  });
});
