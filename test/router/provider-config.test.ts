// The provider configuration re-encoded for the upstream's provider schema: what it knows passes (unknowns
// included), what it does not know is dropped when unset and reported, with its path, when set.
import t from 'tap';
import { impliedType, reencodeConfig } from '../../src/router/provider-config';
import type { SchemaBlock, SchemaNestedBlock } from '../../src/protocol/tfplugin6';
import { decodeMsgpack, encodeMsgpack, UNKNOWN, type Value } from '../../src/values';

const attr = (name: string, type: unknown = 'string') => ({ name, type: Buffer.from(JSON.stringify(type)), optional: true });
const nested = (type_name: string, nesting: SchemaNestedBlock['nesting'], block: SchemaBlock): SchemaNestedBlock => ({ type_name, nesting, block });

// Ours: the v6 line's provider block, with arguments 5.100.0 lacks (user_agent, endpoints.s3vectors, a new block).
const ours: SchemaBlock = {
  attributes: [attr('region'), attr('user_agent', ['list', 'string']), attr('max_retries', 'number')],
  block_types: [
    nested('endpoints', 'SET', { attributes: [attr('iam'), attr('s3vectors')] }),
    nested('assume_role', 'LIST', { attributes: [attr('role_arn'), attr('new_thing')] }),
    nested('default_tags', 'LIST', { attributes: [attr('tags', ['map', 'string'])] }),
    nested('brand_new', 'LIST', { attributes: [attr('x')] }),
  ],
};
const theirs: SchemaBlock = {
  attributes: [attr('max_retries', 'number'), attr('region'), attr('legacy_only')],
  block_types: [
    nested('assume_role', 'LIST', { attributes: [attr('role_arn')] }),
    nested('default_tags', 'LIST', { attributes: [attr('tags', ['map', 'string'])] }),
    nested('endpoints', 'SET', { attributes: [attr('iam')] }),
    nested('ignore_tags', 'LIST', { attributes: [attr('keys', ['set', 'string'])] }),
  ],
};

function config(value: Value) {
  return { msgpack: Buffer.from(encodeMsgpack(value, impliedType(ours))) };
}
const empty = { region: null, user_agent: null, max_retries: null, endpoints: [], assume_role: [], default_tags: [], brand_new: [] };

t.test('known arguments pass, unset unknown ones are dropped, missing ones are null or empty', async (t) => {
  const given = config({
    ...empty,
    region: 'us-west-2',
    max_retries: UNKNOWN,
    endpoints: [{ iam: 'http://localhost:4566', s3vectors: null }],
    assume_role: [{ role_arn: 'arn:aws:iam::1:role/x', new_thing: null }],
    default_tags: [{ tags: { team: 'ml' } }],
  });
  const { config: out, unsupported } = reencodeConfig(given, ours, theirs);
  t.same(unsupported, []);
  t.same(decodeMsgpack(out!.msgpack!, impliedType(theirs)), {
    max_retries: UNKNOWN,
    region: 'us-west-2',
    legacy_only: null,
    assume_role: [{ role_arn: 'arn:aws:iam::1:role/x' }],
    default_tags: [{ tags: { team: 'ml' } }],
    endpoints: [{ iam: 'http://localhost:4566' }],
    ignore_tags: [],
  });
});

t.test('set arguments the upstream does not know are reported with their paths', async (t) => {
  const given = config({
    ...empty,
    user_agent: ['me/1.0'],
    endpoints: [{ iam: null, s3vectors: 'http://x' }],
    assume_role: [{ role_arn: 'r', new_thing: UNKNOWN }],
    brand_new: [{ x: 'y' }],
  });
  t.same(reencodeConfig(given, ours, theirs).unsupported.sort(), ['assume_role[0].new_thing', 'brand_new', 'endpoints[0].s3vectors', 'user_agent']);
});

t.test('no configuration stays no configuration', async (t) => {
  t.same(reencodeConfig(null, ours, theirs), { config: undefined, unsupported: [] });
});
