// cty type helpers at the edges: what parseType rejects and with which message, the primitive,
// collection and object kinds, structural type equality of tuples and objects, and paths into
// values that are not arrays.
import t from 'tap';
import { elementType, getAtPath, objectAttributeTypes, parseType, typeEquals, typeToJson, type CtyType } from '../../src/values';
import { isPrimitive } from '../../src/values/types';
import { errorOf } from '../support/values-error-of';

t.test('parseType accepts every primitive type name', async (t) => {
  for (const name of ['string', 'number', 'bool', 'dynamic']) t.equal(parseType(name), name);
});

t.test('parseType rejects malformed types, naming them', async (t) => {
  const bad: unknown[] = [
    5,
    null,
    'str',
    'list',
    ['list'],
    ['list', 'string', 'x'],
    ['map', 'string', []],
    ['tuple', 'string'],
    ['tuple', ['string'], 'x'],
    ['object', null],
    ['object', 'x'],
    ['object', {}, [], 'x'],
    ['object', { a: 'string', b: 'string' }, ['a', 'c']],
    ['object', { 1: 'string' }, [1]],
    ['object', { a: 'string' }, 'a'],
    ['nope', 'string'],
  ];
  for (const json of bad) {
    t.equal(errorOf(() => parseType(json)), `TypeError: invalid cty type: ${JSON.stringify(json)}`, JSON.stringify(json));
  }
  t.equal(errorOf(() => parseType(['list', 'x'])), 'TypeError: invalid cty type: "x"', 'the innermost bad part is named');
});

t.test('parseType keeps optional attribute names sorted', async (t) => {
  t.same(parseType(['object', { a: 'string', b: 'number' }, ['b', 'a']]), ['object', { a: 'string', b: 'number' }, ['a', 'b']]);
  t.same(parseType(['object', { a: 'string' }, []]), ['object', { a: 'string' }, []]);
  t.same(parseType(['map', ['set', 'bool']]), ['map', ['set', 'bool']]);
});

t.test('isPrimitive: string, number and bool only', async (t) => {
  t.equal(isPrimitive('string'), true);
  t.equal(isPrimitive('number'), true);
  t.equal(isPrimitive('bool'), true);
  t.equal(isPrimitive('dynamic'), false);
  t.equal(isPrimitive(['list', 'string']), false);
  t.equal(isPrimitive(['object', {}]), false);
});

t.test('elementType and objectAttributeTypes accept only their kinds', async (t) => {
  t.equal(elementType(['list', 'number']), 'number');
  t.equal(elementType(['map', 'string']), 'string');
  t.same(elementType(['set', ['list', 'bool']]), ['list', 'bool']);
  t.equal(errorOf(() => elementType(['object', { a: 'string' }])), 'TypeError: object has no element type');
  t.equal(errorOf(() => elementType(['tuple', ['string']])), 'TypeError: tuple has no element type');
  t.equal(errorOf(() => elementType('dynamic')), 'TypeError: dynamic has no element type');
  t.equal(errorOf(() => objectAttributeTypes(['list', 'string'])), 'TypeError: list of string is not an object type');
  t.equal(errorOf(() => objectAttributeTypes('string')), 'TypeError: string is not an object type');
  t.same(objectAttributeTypes(['object', { a: 'string' }, ['a']]), { a: 'string' });
});

t.test('typeEquals compares tuples element by element and objects attribute by attribute', async (t) => {
  t.equal(typeEquals(['tuple', ['string']], ['tuple', ['string', 'number']]), false, 'tuple lengths');
  t.equal(typeEquals(['tuple', ['string', 'number']], ['tuple', ['string']]), false);
  t.equal(typeEquals(['tuple', ['string', 'number']], ['tuple', ['string', 'bool']]), false, 'the last element');
  t.equal(typeEquals(['tuple', ['bool', 'number']], ['tuple', ['string', 'number']]), false, 'the first element');
  t.equal(typeEquals(['tuple', []], ['tuple', []]), true);
  t.equal(typeEquals(['set', 'string'], ['set', 'number']), false);
  t.equal(typeEquals(['set', ['list', 'string']], ['set', ['list', 'string']]), true);
  t.equal(typeEquals(['object', { a: 'string' }], ['object', { b: 'string' }]), false, 'attribute names');
  t.equal(typeEquals(['object', { a: 'string' }], ['object', { a: 'number' }]), false, 'attribute types');
  t.equal(typeEquals(['object', { a: 'string' }, ['a']], ['object', { a: 'string' }]), false, 'optional attributes');
  t.equal(typeEquals(['object', { a: 'string', b: 'bool' }, ['a']], ['object', { a: 'string', b: 'bool' }, ['b']]), false);
  t.equal(typeEquals(['object', { a: 'string', b: 'bool' }, ['a', 'b']], ['object', { b: 'bool', a: 'string' }, ['b', 'a']]), true);
  t.equal(typeEquals(['object', { a: 'string' }, []], ['object', { a: 'string' }]), true, 'no optional attributes either way');
  t.equal(typeEquals('string', 'number'), false);
  t.equal(typeEquals('dynamic', 'dynamic'), true);
});

t.test('typeToJson writes tuples, sets and sorted optional attributes', async (t) => {
  t.equal(typeToJson(['tuple', ['string', ['set', 'number']]]), '["tuple",["string",["set","number"]]]');
  t.equal(typeToJson(['tuple', []]), '["tuple",[]]');
  const type: CtyType = ['object', { b: 'string', a: 'string' }, ['b', 'a']];
  t.equal(typeToJson(type), '["object",{"a":"string","b":"string"},["a","b"]]');
});

t.test('an index step finds nothing in a value that is not a list', async (t) => {
  t.equal(getAtPath({ 0: 'x' }, [{ index: 0 }]), undefined, 'an object with a key "0"');
  t.equal(getAtPath('abc', [{ index: 0 }]), undefined, 'a string');
  t.equal(getAtPath(['a', 'b'], [{ index: 1 }]), 'b');
  t.equal(getAtPath(['a', 'b'], [{ index: -1 }]), undefined);
  t.equal(getAtPath(['a', 'b'], [{ index: 2 }]), undefined);
});
