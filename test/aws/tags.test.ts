// The tags algebra of hashicorp/aws: default_tags merged under resource tags, ignore_tags hiding keys,
// tags holding only what the configuration wrote.
import t from 'tap';
import { plannedTagsAll, tagChanges, tagsForCreate, tagsFromRemote } from '../../src/aws/tags';
import { UNKNOWN } from '../../src/values/value';

const noIgnore = { keys: new Set<string>(), keyPrefixes: [] };

t.test('tags_all merges defaults under resource tags and drops ignored keys', async (t) => {
  t.same(plannedTagsAll({ a: '1', env: 'mine' }, { env: 'prod', team: 'x' }, noIgnore), { env: 'mine', team: 'x', a: '1' });
  t.same(plannedTagsAll(null, { team: 'x' }, noIgnore), { team: 'x' });
  t.same(plannedTagsAll(null, {}, noIgnore), {});
  t.same(plannedTagsAll({ a: '1', skip: '2', 'kube:x': '3' }, {}, { keys: new Set(['skip']), keyPrefixes: ['kube:'] }), { a: '1' });
  t.same(plannedTagsAll({ a: '1', 'aws:team': 'x' }, { 'AWS:env': 'p' }, noIgnore), { a: '1' }, 'aws: keys are never in tags_all (they are never sent)');
  t.equal(plannedTagsAll(UNKNOWN, {}, noIgnore), UNKNOWN, 'unknown tags make tags_all unknown');
  t.equal(plannedTagsAll({ a: UNKNOWN }, {}, noIgnore), UNKNOWN, 'a tag with an unknown value makes tags_all unknown');
});

t.test('create sends defaults and resource tags, never aws: keys, and ignores ignore_tags', async (t) => {
  t.same(tagsForCreate({ tags: { a: '1', 'aws:x': 'y' } }, { env: 'p' }), { env: 'p', a: '1' });
});

t.test('an update removes and adds exactly the differences', async (t) => {
  t.same(tagChanges({ a: '1', b: '2', c: '3' }, { a: '1', b: 'two', d: '4' }), { remove: ['c'], add: { b: 'two', d: '4' } });
  t.same(tagChanges(null, { a: '1' }), { remove: [], add: { a: '1' } });
  t.same(tagChanges({ 'aws:cloudformation:stack': 's' }, {}), { remove: [], add: {} }, 'aws: keys are never removed');
});

t.test('tags read back hold what the configuration wrote; defaults show only in tags_all', async (t) => {
  const defaults = { env: 'prod' };
  const remote = { env: 'prod', a: '1', 'aws:sys': 'x' };
  t.same(tagsFromRemote(remote, defaults, noIgnore, { tags: { a: '1' } }), { tags: { a: '1' }, tags_all: { env: 'prod', a: '1' } });
  t.same(
    tagsFromRemote(remote, defaults, noIgnore, { tags: { a: '1', env: 'prod' } }),
    { tags: { env: 'prod', a: '1' }, tags_all: { env: 'prod', a: '1' } },
    'a tag equal to a default stays in tags when configured',
  );
  t.same(tagsFromRemote({ env: 'prod' }, defaults, noIgnore, { tags: null }), { tags: null, tags_all: { env: 'prod' } });
  t.same(tagsFromRemote({}, {}, noIgnore, { tags: {} }), { tags: {}, tags_all: {} }, 'an empty map stays an empty map');
  t.same(tagsFromRemote({ drift: 'x' }, {}, noIgnore, { tags: null }), { tags: { drift: 'x' }, tags_all: { drift: 'x' } }, 'out-of-band tags show up');
});

t.test('ignored tags are invisible remotely and kept as configured', async (t) => {
  const ignore = { keys: new Set(['owner']), keyPrefixes: ['kube:'] };
  t.same(tagsFromRemote({ owner: 'someone', 'kube:a': 'b', a: '1' }, {}, ignore, { tags: { a: '1' } }), { tags: { a: '1' }, tags_all: { a: '1' } });
  t.same(tagsFromRemote({ a: '1' }, {}, ignore, { tags: { a: '1', owner: 'me' } }), { tags: { a: '1', owner: 'me' }, tags_all: { a: '1' } });
});

t.test('aws: keys written in the configuration are kept in tags as written, like ignored ones', async (t) => {
  t.same(tagsFromRemote({ a: '1' }, {}, noIgnore, { tags: { a: '1', 'aws:team': 'x' } }), { tags: { a: '1', 'aws:team': 'x' }, tags_all: { a: '1' } });
  t.same(tagsFromRemote({}, {}, noIgnore, { tags: { 'aws:team': 'x' } }), { tags: { 'aws:team': 'x' }, tags_all: {} });
  t.same(tagsFromRemote({ 'aws:sys': 'y' }, {}, noIgnore, null), { tags: null, tags_all: {} }, 'never read from the remote');
});

t.test('read edges: a refresh stores "no tags" as {}; a remote tag equal to a default is not the configuration\'s, one differing from it is', async (t) => {
  t.same(tagsFromRemote({}, {}, noIgnore, { tags: null }, true), { tags: {}, tags_all: {} }, 'refresh: {} whatever the state held');
  t.same(tagsFromRemote({}, {}, noIgnore, null, true), { tags: {}, tags_all: {} }, 'import: {}');
  t.same(tagsFromRemote({}, {}, noIgnore, null), { tags: null, tags_all: {} }, 'after create with no tags: null');
  t.same(tagsFromRemote({ env: 'prod' }, { env: 'prod' }, noIgnore, null, true), { tags: {}, tags_all: { env: 'prod' } }, 'a default alone is not in tags');
  t.same(tagsFromRemote({ env: 'dev' }, { env: 'prod' }, noIgnore, { tags: null }), { tags: { env: 'dev' }, tags_all: { env: 'dev' } }, 'a tag differing from the default is the resource\'s');
  t.same(tagsFromRemote({ env: 'prod' }, { env: 'prod' }, noIgnore, { tags: { env: 'dev' } }), { tags: null, tags_all: { env: 'prod' } }, 'a configured value that is not the remote one is not kept');
  t.same(tagsFromRemote({ 'AWS:sys': 'x', a: '1' }, {}, noIgnore, { tags: { a: '1' } }), { tags: { a: '1' }, tags_all: { a: '1' } }, 'aws: in any case is AWS\'s');
});

t.test('update edges: an unchanged tag is not sent again; aws: keys are never added; ignore prefixes match the start only', async (t) => {
  t.same(tagChanges({ a: '1' }, { a: '1', 'aws:x': 'y', 'AWS:z': 'w' }), { remove: [], add: {} });
  t.same(tagChanges({ a: '1', b: '2' }, null), { remove: ['a', 'b'], add: {} }, 'every tag removed');
  t.same(plannedTagsAll({ 'x-kube:a': '1', 'kube:b': '2' }, {}, { keys: new Set(), keyPrefixes: ['kube:'] }), { 'x-kube:a': '1' });
  t.same(tagsForCreate({ tags: null }, { env: 'p', 'aws:x': 'y' }), { env: 'p' }, 'defaults alone, never an aws: one');
});
