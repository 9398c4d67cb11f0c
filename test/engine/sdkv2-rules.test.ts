// SDKv2's comparison and normalisation rules (src/engine/sdkv2.ts), one case per rule: hcl2shim's
// ValuesSDKEquivalent (null equals a zero value, numbers as float64, sets without order) and normalizeNullValues
// (null versus empty kept in the form Terraform already has; unknowns proposed by Terraform kept in a plan).
import t from 'tap';
import { normalizeNullValues, sdkEquivalent, sdkv2StateForm } from '../../src/engine/sdkv2';
import type { SchemaBlock } from '../../src/engine/schema';
import { CtyNumber, UNKNOWN, type CtyType, type Value } from '../../src/values/value';

const n = (v: number) => CtyNumber.of(v);

t.test('sdkEquivalent', async (t) => {
  const cases: Array<[Value, Value, CtyType, boolean, string]> = [
    [UNKNOWN, UNKNOWN, 'string', true, 'unknown and unknown'],
    [UNKNOWN, 'a', 'string', false, 'unknown and known'],
    ['a', UNKNOWN, 'string', false, 'known and unknown'],
    [UNKNOWN, null, 'string', false, 'unknown and null'],
    ['a', null, 'string', false, 'a value and null'],
    [null, 'a', 'string', false, 'null and a value'],
    [n(1), CtyNumber.of('1.0'), 'number', true, 'numbers by value'],
    [n(1), n(2), 'number', false, 'different numbers'],
    [n(0), null, 'number', true, 'zero is null'],
    [n(3), null, 'number', false, 'a non-zero number is not'],
    [false, null, 'bool', true, 'false is null'],
    [true, null, 'bool', false, 'true is not'],
    [{ a: 'x' }, { a: 'y' }, ['object', { a: 'string' }], false, 'objects by attribute'],
    [{ a: 'x' }, { a: 'x' }, ['object', { a: 'string' }], true, 'equal objects'],
    [{ a: 'x' }, { a: 'x', b: 'y' }, ['map', 'string'], false, 'a map with another key'],
    [{ a: 'x' }, { b: 'x' }, ['map', 'string'], false, 'maps with other keys'],
    [{ a: 'x' }, { a: 'y' }, ['map', 'string'], false, 'maps with other values'],
    [{ a: 'x' }, { a: 'x' }, ['map', 'string'], true, 'equal maps'],
    [{}, null, ['map', 'string'], true, 'an empty map is null'],
    [['a', 'b'], ['a', 'c'], ['list', 'string'], false, 'lists by element'],
    [['a'], ['a', 'b'], ['list', 'string'], false, 'lists by length'],
    [['a', 'b'], ['a', 'b'], ['list', 'string'], true, 'equal lists'],
    [[], null, ['list', 'string'], true, 'an empty list is null'],
    [['a'], null, ['list', 'string'], false, 'a list with elements is not'],
    [['a', true], ['a', false], ['tuple', ['string', 'bool']], false, 'tuples by element, each of its type'],
    [['a', null], ['a', false], ['tuple', ['string', 'bool']], true, 'a tuple element null equals its zero value'],
    [['a', 'b'], ['b', 'a'], ['set', 'string'], true, 'sets without order'],
    [['a', 'a'], ['a', 'b'], ['set', 'string'], false, 'each element matched once'],
    [['a', 'b'], ['a', 'c'], ['set', 'string'], false, 'sets by element'],
  ];
  for (const [a, b, type, expected, what] of cases) t.equal(sdkEquivalent(a, b, type), expected, what);
});

t.test('normalizeNullValues', async (t) => {
  const list: CtyType = ['list', 'string'];
  const map: CtyType = ['map', 'string'];
  const set: CtyType = ['set', 'string'];
  const cases: Array<[Value, Value, CtyType, boolean, Value, string]> = [
    [[], null, list, true, [], 'apply: an empty result where the plan had null stays empty'],
    [null, [], list, true, [], 'apply: the planned empty list where the result has null'],
    [null, {}, map, true, {}, 'apply: the planned empty map'],
    [{}, null, map, true, {}, 'apply: an empty map result'],
    [null, [], list, false, null, 'plan: null planned, null kept'],
    [[], null, list, false, [], 'plan: empty planned, empty kept'],
    [null, '', 'string', false, '', '"" where the new value is null'],
    [null, 'x', 'string', false, null, 'only ""'],
    ['y', '', 'string', false, 'y', 'a value stays'],
    [null, UNKNOWN, 'string', false, UNKNOWN, 'plan: an unknown proposed is kept'],
    [null, UNKNOWN, 'string', true, null, 'apply: not'],
    ['a', UNKNOWN, 'string', false, 'a', 'a planned value stays'],
    [UNKNOWN, 'x', 'string', false, UNKNOWN, 'an unknown planned stays'],
    [null, n(0), 'number', false, null, 'numbers as they are'],
    [null, { a: 'x' }, map, false, null, 'a null map stays null'],
    [null, {}, map, false, null, 'plan: also against an empty one'],
    [null, { a: '' }, ['object', { a: 'string' }], false, { a: '' }, 'an object is built from what Terraform has'],
    [null, [UNKNOWN], list, false, [UNKNOWN], 'plan: a list of unknowns proposed is kept'],
    [null, [UNKNOWN], list, true, null, 'apply: not'],
    [null, ['a'], list, false, null, 'a known list is not'],
    [[null], ['', ''], list, false, [null], 'lists of other lengths are not compared'],
    [[], [], list, false, [], 'empty lists'],
    [['a'], ['b'], set, true, ['b'], 'apply: the wholly known planned set'],
    [['a'], ['b'], set, false, ['a'], 'plan: the new set'],
    [['a'], [UNKNOWN], set, true, ['a'], 'apply: a set not wholly known is not'],
  ];
  for (const [dst, src, type, apply, expected, what] of cases) t.strictSame(normalizeNullValues(dst, src, type, apply), expected, what);
});

t.test('state form: maps in block elements are empty only in what a refresh reads; nested blocks too', async (t) => {
  const block: SchemaBlock = {
    block_types: {
      item: {
        nesting_mode: 'list',
        block: {
          attributes: { env: { type: ['map', 'string'], optional: true }, zones: { type: ['set', 'string'], optional: true } },
          block_types: { inner: { nesting_mode: 'list', block: { attributes: { name: { type: 'string', optional: true } } } } },
        },
      },
    },
  };
  const value = { item: [{ env: null, zones: null, inner: [{ name: null }] }] };
  t.strictSame(sdkv2StateForm(block, value), { item: [{ env: null, zones: [], inner: [{ name: '' }] }] });
  t.strictSame(sdkv2StateForm(block, value, true), { item: [{ env: {}, zones: [], inner: [{ name: '' }] }] });
});
