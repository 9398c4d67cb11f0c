// The generic validator kinds (src/engine/validators.ts) at their edges: bounds that are inclusive, defaults of
// missing arguments, values of the wrong type (helper/validation's "expected type of" messages), dynamic values,
// and Go's %q quoting of every kind of character.
import t from 'tap';
import { getDetailedValidator, goQuote, leafName, registeredValidatorKinds, runValidators } from '../../src/engine/validators';
import { DynamicValue } from '../../src/values/value';
import { check, num } from '../support/engine-validators';

t.test('the registered kinds are listed in name order', async (t) => {
  const kinds = registeredValidatorKinds();
  t.ok(kinds.length > 1);
  t.same(kinds, [...kinds].sort());
  t.ok(['elements', 'enum', 'size_between', 'string_length'].every((kind) => kinds.includes(kind)));
});

t.test("Go's %q: named escapes, \\x for control bytes, \\u and \\U for what Go does not print", async (t) => {
  t.equal(goQuote('\x07\b\f\r\v'), '"\\a\\b\\f\\r\\v"');
  t.equal(goQuote('\x01\x1f\x7f'), '"\\x01\\x1f\\x7f"');
  t.equal(goQuote('\u200b'), '"\\u200b"', 'a format character (zero-width space)');
  t.equal(goQuote('\uffff'), '"\\uffff"', 'the last code point of the BMP, a noncharacter');
  t.equal(goQuote('\u{e0001}'), '"\\U000e0001"', 'beyond the BMP: eight hex digits');
  t.equal(goQuote('😀 €'), '"😀 €"', 'printable symbols beyond ASCII, and the space, as they are');
});

t.test('leaf names skip list indexes, and only whole indexes', async (t) => {
  t.equal(leafName('primary_container.0'), 'primary_container');
  t.equal(leafName('a.0.b.12'), 'b');
  t.equal(leafName('a.v2'), 'v2');
  t.equal(leafName('a.2x'), '2x');
  t.equal(leafName('0.1'), '0.1', 'only indexes: the key as it is');
  t.same(check('string_length', 'abcd', 'container.0.name.3', { max: 3, name_style: 'leaf' }), ['expected length of name to be in the range (0 - 3), got abcd']);
});

t.test('values of the wrong type are refused with helper/validation wording', async (t) => {
  const number = num('1');
  t.same(check('enum', number, 'x', { values: ['a'] }), ['expected type of x to be string']);
  t.same(check('string_length', number, 'x', { max: 3 }), ['expected type of x to be string']);
  t.same(check('regex', number, 'x', { pattern: 'a' }), ['expected type of x to be string']);
  t.same(check('regex_not', number, 'x', { pattern: 'a' }), ['expected type of x to be string']);
  t.same(check('json_string', number, 'x'), ['expected type of x to be string']);
  t.same(check('not_empty', number, 'x'), ['expected type of "x" to be string']);
  t.same(check('empty_string', number, 'x'), ['expected type of "x" to be string']);
  t.same(check('int_between', 'a', 'x', { min: 1, max: 2 }), ['expected type of x to be integer']);
  t.same(check('int_at_least', 'a', 'x', { min: 1 }), ['expected type of x to be integer']);
  t.same(check('int_in_slice', 'a', 'x', { values: [1] }), ['expected type of x to be an integer']);
  t.same(check('float_at_least', 'a', 'x', { min: 1 }), ['expected type of x to be float64']);
  t.same(check('whole_number', 'a', 'x'), [], 'not a number: not whole_number\'s to say');
  t.same(check('size_between', 'abc', 'x', { min: 5 }), [], 'not a collection: no size to check');
  t.same(check('size_between', 'abc', 'x', { max: 1 }), []);
  t.same(check('elements', 'a', 'x', { validators: [{ kind: 'enum', values: ['b'] }] }), [], 'not a collection: no elements');
});

t.test('a dynamic value is validated by what it holds', async (t) => {
  t.same(check('enum', new DynamicValue('string', 'b'), 'x', { values: ['a', 'b'] }), []);
  t.same(check('not_empty', new DynamicValue('string', ''), 'x'), ['expected "x" to not be an empty string, got ']);
});

t.test('enum: without values nothing is allowed; ignore_case still refuses other words', async (t) => {
  t.same(check('enum', 'a', 'x'), ['expected x to be one of [], got a']);
  t.same(check('enum', 'ALLOW', 'x', { values: ['Allow', 'Deny'], ignore_case: true }), []);
  t.same(check('enum', 'permit', 'x', { values: ['Allow', 'Deny'], ignore_case: true }), ['expected x to be one of ["Allow" "Deny"], got permit']);
});

t.test('string bounds: inclusive; a bound that is not a number is no bound', async (t) => {
  t.same(check('string_length', 'abc', 'x', { min: 3, max: 3 }), []);
  t.same(check('string_length', 'abcd', 'x', { min: 3, max: 3 }), ['expected length of x to be in the range (3 - 3), got abcd']);
  t.same(check('string_length', 'ab', 'x', { min: 3, max: 3 }), ['expected length of x to be in the range (3 - 3), got ab']);
  t.same(check('string_length', 'abcd', 'x', { min: '2', max: 3 }), ['expected length of x to be in the range (0 - 3), got abcd']);
});

t.test('regex: Go patterns with Unicode classes; only a string message replaces the default', async (t) => {
  t.same(check('regex', 'Émile', 'x', { pattern: '^\\p{Lu}\\p{Ll}+$' }), []);
  t.same(check('regex', 'émile', 'x', { pattern: '^\\p{Lu}\\p{Ll}+$' }), ['expected value of x to match regular expression "^\\\\p{Lu}\\\\p{Ll}+$", got émile']);
  t.same(check('regex', 'b', 'x', { pattern: '^a$', message: 42 }), ['expected value of x to match regular expression "^a$", got b']);
  t.same(check('regex_not', 'a', 'x', { pattern: '^a$', message: 42 }), ['expected value of x to not match regular expression "^a$", got a']);
  t.same(check('regex_not', 'a', 'x', { pattern: '^a$', message: 'no a' }), ['invalid value for x (no a)']);
});

t.test('integer bounds: inclusive; non-integers left to whole_number', async (t) => {
  t.same(check('int_between', num('5'), 'x', { min: 1, max: 5 }), []);
  t.same(check('int_between', num('6'), 'x', { min: 1, max: 5 }), ['expected x to be in the range (1 - 5), got 6']);
  t.same(check('int_between', num('0'), 'x', { min: 1, max: 5 }), ['expected x to be in the range (1 - 5), got 0']);
  t.same(check('int_at_least', num('1'), 'x', { min: 1 }), []);
  t.same(check('int_at_least', num('0'), 'x', { min: 1 }), ['expected x to be at least (1), got 0']);
  t.same(check('int_at_least', num('-1'), 'x'), ['expected x to be at least (0), got -1'], 'at least 0 by default');
  t.same(check('int_at_least', num('1.5'), 'x', { min: 3 }), []);
  t.same(check('int_in_slice', num('2'), 'x', { values: [1, 2] }), []);
  t.same(check('int_in_slice', num('3'), 'x', { values: [1, 2] }), ['expected x to be one of [1 2], got 3']);
  t.same(check('int_in_slice', num('3'), 'x'), ['expected x to be one of [], got 3']);
  t.same(check('int_in_slice', num('1.5'), 'x', { values: [1, 2] }), []);
});

t.test('float_at_least: six decimals, as Go prints %f; at least 0 by default', async (t) => {
  t.same(check('float_at_least', num('2.5'), 'x', { min: 2.5 }), []);
  t.same(check('float_at_least', num('1'), 'x', { min: 2.5 }), ['expected x to be at least (2.500000), got 1.000000']);
  t.same(check('float_at_least', num('-0.5'), 'x'), ['expected x to be at least (0.000000), got -0.500000']);
  t.same(check('float_at_least', num('0'), 'x'), []);
});

t.test('size_between: lists and maps, both bounds inclusive, each optional', async (t) => {
  const size = getDetailedValidator('size_between')!;
  t.same(size(['a', 'b'], 'x', { min: 2, max: 2 }), []);
  t.same(size(['a'], 'x', { min: 2 }), [{ summary: 'Not enough list items', detail: 'Attribute x requires 2 item minimum, but config has only 1 declared.' }]);
  t.same(size({ a: 'a', b: 'b', c: 'c' }, 'x', { max: 2 }), [{ summary: 'Too many list items', detail: 'Attribute x supports 2 item maximum, but config has 3 declared.' }]);
  t.same(size({ a: 'a' }, 'x', { min: 2 }), [{ summary: 'Not enough list items', detail: 'Attribute x requires 2 item minimum, but config has only 1 declared.' }]);
  t.same(size({}, 'x', { max: 0 }), []);
  t.same(size(['a', 'b', 'c'], 'x', { min: 1 }), [], 'no maximum');
  t.same(size([], 'x', { max: 1 }), [], 'no minimum');
});

t.test('elements: each element of a map too, named by its key; no validators, no failures', async (t) => {
  t.same(check('elements', { a: 'ok', b: '' }, 'tags', { validators: [{ kind: 'not_empty' }] }), ['expected "tags.b" to not be an empty string, got ']);
  t.same(check('elements', ['', ''], 'names'), []);
  t.same(runValidators([{ kind: 'elements', validators: [{ kind: 'not_empty' }] } as { kind: string }], ['', 'a', ''], 'names'), [
    { summary: 'expected "names.0" to not be an empty string, got ' },
    { summary: 'expected "names.2" to not be an empty string, got ' },
  ]);
});
