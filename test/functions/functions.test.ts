// The native provider functions against hashicorp/aws 5.100.0's own answers (recorded by
// scripts/record-function-fixtures.mjs): the same definitions, the same results, the same error texts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { decode, encode } from '@msgpack/msgpack';
import { awsFunctions, withFunctions } from '../../src/functions';
import { log } from '../../src/protocol/log';
import type { CallContext, ProviderHandlers } from '../../src/protocol/tfplugin6';

interface RecordedCall {
  function: string;
  arguments: string[];
  result?: unknown;
  error?: { text: string; function_argument: number | null };
}
const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'functions', 'hashicorp-aws-5.100.0.json'), 'utf8')) as {
  definitions: Record<string, unknown>;
  calls: RecordedCall[];
};

const context: CallContext = { signal: new AbortController().signal, rpc: 'test', log };
const base = { GetProviderSchema: async () => ({ provider: { version: 0, block: {} } }) } as unknown as ProviderHandlers;
const handlers = withFunctions(base, awsFunctions);

/** Buffers (cty type JSON) as text, the form the fixture stores them in. */
const asText = (value: unknown) => JSON.parse(JSON.stringify(value, (_k, v) => (v?.type === 'Buffer' ? Buffer.from(v.data).toString('utf8') : v)));

t.test('definitions are 5.100.0s, in GetFunctions and in the provider schema', async (t) => {
  const { functions } = await handlers.GetFunctions!({}, context);
  t.same(asText(functions), fixture.definitions, 'GetFunctions');
  const schema = (await handlers.GetProviderSchema({}, context)) as { functions?: unknown };
  t.same(asText(schema.functions), fixture.definitions, 'GetProviderSchema.functions');
});

t.test('every recorded call gives 5.100.0s result or error', async (t) => {
  t.ok(fixture.calls.length >= 20, `${fixture.calls.length} recorded calls`);
  for (const call of fixture.calls) {
    const answer = await handlers.CallFunction!(
      { name: call.function, arguments: call.arguments.map((arg) => ({ msgpack: Buffer.from(encode(arg)) })) },
      context,
    );
    const label = `${call.function}(${call.arguments.map((a) => JSON.stringify(a)).join(', ')})`;
    if (call.error) {
      t.same({ text: answer.error?.text, function_argument: answer.error?.function_argument ?? null }, call.error, `${label} fails as 5.100.0 does`);
      t.notOk(answer.result, `${label} has no result`);
    } else {
      t.notOk(answer.error, `${label} succeeds`);
      t.same(decode(answer.result!.msgpack!), call.result, `${label} = ${JSON.stringify(call.result)}`);
    }
  }
});
