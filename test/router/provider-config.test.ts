// The provider configuration re-encoded for the upstream's provider schema: what it knows passes (unknowns
// included), what it does not know is dropped when unset and reported, with its path, when set.
import t from 'tap';
import { impliedType, reencodeConfig } from '../../src/router/provider-config';
import type { SchemaBlock, SchemaNestedBlock } from '../../src/protocol/tfplugin6';
import { CtyNumber, decodeMsgpack, encodeMsgpack, UNKNOWN, type Value } from '../../src/values';

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

t.test('a null or unknown configuration, or an empty one, passes as it is', async (t) => {
  const emptyConfig = { msgpack: Buffer.alloc(0) };
  t.same(reencodeConfig(emptyConfig, ours, theirs), { config: emptyConfig, unsupported: [] });
  const nullConfig = reencodeConfig({ msgpack: Buffer.from([0xc0]) }, ours, theirs);
  t.same(nullConfig.unsupported, []);
  t.equal(decodeMsgpack(nullConfig.config!.msgpack!, impliedType(theirs)), null);
  const unknown = reencodeConfig(config(UNKNOWN), ours, theirs);
  t.equal(decodeMsgpack(unknown.config!.msgpack!, impliedType(theirs)), UNKNOWN);
});

// Every nesting mode of blocks, two levels deep, in schemas that list their blocks in another order, some without
// attributes or without blocks.
const inner = (extra: string[] = []): SchemaBlock => ({ attributes: [attr('x'), ...extra.map((name) => attr(name))] });
const deepOurs: SchemaBlock = {
  block_types: [
    nested('by_key', 'MAP', inner(['ours_only'])),
    nested('single', 'SINGLE', { block_types: [nested('leaf', 'LIST', inner(['ours_only']))] }),
    nested('listed', 'LIST', { attributes: [attr('name')], block_types: [nested('leaf', 'SET', inner())] }),
    nested('group', 'GROUP', inner()),
  ],
};
const deepTheirs: SchemaBlock = {
  attributes: [attr('tags', ['map', 'string']), attr('count', 'number')],
  block_types: [
    nested('listed', 'LIST', { attributes: [attr('name')], block_types: [nested('leaf', 'SET', inner())] }),
    nested('group', 'GROUP', inner()),
    nested('by_key', 'MAP', inner()),
    nested('single', 'SINGLE', { block_types: [nested('leaf', 'LIST', inner())] }),
    nested('their_list', 'LIST', inner()),
    nested('their_set', 'SET', inner()),
    nested('their_map', 'MAP', inner()),
    nested('their_group', 'GROUP', inner()),
    nested('their_single', 'SINGLE', inner()),
  ],
};
const deep = (value: Value) => ({ msgpack: Buffer.from(encodeMsgpack(value, impliedType(deepOurs))) });

t.test('blocks of every nesting mode are reshaped at every depth; blocks the configuration cannot have are empty', async (t) => {
  const { config: out, unsupported } = reencodeConfig(
    deep({
      single: { leaf: [{ x: 'a', ours_only: null }] },
      by_key: { one: { x: 'b', ours_only: null } },
      listed: [{ name: 'n', leaf: [{ x: 'c' }] }],
      group: { x: 'd' },
    }),
    deepOurs,
    deepTheirs,
  );
  t.same(unsupported, []);
  t.same(decodeMsgpack(out!.msgpack!, impliedType(deepTheirs)), {
    tags: null,
    count: null,
    listed: [{ name: 'n', leaf: [{ x: 'c' }] }],
    group: { x: 'd' },
    by_key: { one: { x: 'b' } },
    single: { leaf: [{ x: 'a' }] },
    their_list: [],
    their_set: [],
    their_map: {},
    their_group: { x: null },
    their_single: null,
  });
});

t.test('set arguments unknown to the upstream are found inside every nesting mode, with their paths', async (t) => {
  const given = deep({
    single: { leaf: [{ x: null, ours_only: 's' }] },
    by_key: { one: { x: null, ours_only: 'm' } },
    listed: [],
    group: { x: null },
  });
  t.same(reencodeConfig(given, deepOurs, deepTheirs).unsupported.sort(), ['by_key["one"].ours_only', 'single.leaf[0].ours_only']);
});

t.test('null and unknown blocks stay so', async (t) => {
  const reshaped = (value: Value) => decodeMsgpack(reencodeConfig(deep(value), deepOurs, deepTheirs).config!.msgpack!, impliedType(deepTheirs)) as Record<string, Value>;
  const unknowns = reshaped({ single: UNKNOWN, by_key: UNKNOWN, listed: UNKNOWN, group: { x: UNKNOWN } });
  t.equal(unknowns.single, UNKNOWN);
  t.equal(unknowns.by_key, UNKNOWN);
  t.equal(unknowns.listed, UNKNOWN);
  t.same(unknowns.group, { x: UNKNOWN });
  const nulls = reshaped({ single: null, by_key: null, listed: null, group: { x: null } });
  t.same([nulls.single, nulls.by_key, nulls.listed], [null, null, null]);
});

t.test('an unknown argument counts as set unless it is null or an empty collection or map', async (t) => {
  const withExtras: SchemaBlock = { attributes: [attr('region'), attr('labels', ['map', 'string']), attr('limit', 'number'), attr('flag', 'bool'), attr('names', ['list', 'string'])] };
  const onlyRegion: SchemaBlock = { attributes: [attr('region')] };
  const unsupported = (value: Value) => reencodeConfig({ msgpack: Buffer.from(encodeMsgpack(value, impliedType(withExtras))) }, withExtras, onlyRegion).unsupported;
  const unset = { region: 'r', labels: null, limit: null, flag: null, names: null };
  t.same(unsupported(unset), []);
  t.same(unsupported({ ...unset, labels: {}, names: [] }), [], 'empty map and list: unset');
  t.same(unsupported({ ...unset, labels: { team: 'ml' } }), ['labels']);
  t.same(unsupported({ ...unset, limit: CtyNumber.of(0) }), ['limit'], 'a number, zero too');
  t.same(unsupported({ ...unset, flag: false }), ['flag'], 'false is set');
  t.same(unsupported({ ...unset, names: [''] }), ['names']);
});

t.test('the value type of a block: nested blocks and nested attributes by nesting mode', async (t) => {
  const object = (name: string) => ['object', { [name]: 'string' }];
  t.same(
    impliedType({
      attributes: [
        { name: 'plain', type: Buffer.from('"number"') },
        { name: 'n_list', nested_type: { nesting: 'LIST', attributes: [attr('a')] } },
        { name: 'n_set', nested_type: { nesting: 'SET', attributes: [attr('a')] } },
        { name: 'n_map', nested_type: { nesting: 'MAP', attributes: [attr('a')] } },
        { name: 'n_single', nested_type: { nesting: 'SINGLE', attributes: [attr('a')] } },
      ],
      block_types: [
        nested('b_list', 'LIST', { attributes: [attr('b')] }),
        nested('b_set', 'SET', { attributes: [attr('b')] }),
        nested('b_map', 'MAP', { attributes: [attr('b')] }),
        nested('b_single', 'SINGLE', { attributes: [attr('b')] }),
        nested('b_group', 'GROUP', { attributes: [attr('b')] }),
      ],
    } as SchemaBlock),
    [
      'object',
      {
        plain: 'number',
        n_list: ['list', object('a')],
        n_set: ['set', object('a')],
        n_map: ['map', object('a')],
        n_single: object('a'),
        b_list: ['list', object('b')],
        b_set: ['set', object('b')],
        b_map: ['map', object('b')],
        b_single: object('b'),
        b_group: object('b'),
      },
    ],
  );
  t.same(impliedType({}), ['object', {}], 'an empty block');
});
