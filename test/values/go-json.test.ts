// Go's encoding/json: error texts and offsets of json.Unmarshal (scanner.go's messages, with
// SyntaxError.Offset counting the bytes read), the values json.Unmarshal into `any` produces, and json.Marshal's bytes.
import t, { type Test } from 'tap';
import {
  GoJsonDecodeError,
  GoJsonSyntaxError,
  GoObject,
  compareGoStrings,
  goJsonIndent,
  goJsonMarshal,
  goJsonParse,
  goJsonParseMembers,
  goJsonSyntaxError,
  goJsonUnmarshalError,
  type GoJson,
} from '../../src/values/go-json';

/** The syntax error as "message @offset", or "ok". */
const syntax = (text: string) => {
  const e = goJsonSyntaxError(text);
  return e ? `${e.message} @${e.offset}` : 'ok';
};

/** Checks each [input, message, offset] against both entry points. */
const expectErrors = (t: Test, cases: Array<[string, string, number]>) => {
  for (const [text, message, offset] of cases) {
    t.equal(syntax(text), `${message} @${offset}`, JSON.stringify(text));
    t.throws(() => goJsonParse(text), new GoJsonSyntaxError(message, offset), `parse ${JSON.stringify(text)}`);
  }
};

t.test('unexpected end of input', async (t) => {
  expectErrors(t, [
    ['', 'unexpected end of JSON input', 0],
    ['   ', 'unexpected end of JSON input', 3],
    ['{', 'unexpected end of JSON input', 1],
    ['{ ', 'unexpected end of JSON input', 2],
    ['{"a"', 'unexpected end of JSON input', 4],
    ['{"a":', 'unexpected end of JSON input', 5],
    ['{"a":1', 'unexpected end of JSON input', 6],
    ['{"a":1,', 'unexpected end of JSON input', 7],
    ['[', 'unexpected end of JSON input', 1],
    ['[1,', 'unexpected end of JSON input', 3],
    ['[1', 'unexpected end of JSON input', 2],
    ['"abc', 'unexpected end of JSON input', 4],
    ['["é', 'unexpected end of JSON input', 4],
  ]);
});

t.test('the end inside a token: Go feeds its scanner one space, which these states reject', async (t) => {
  expectErrors(t, [
    ['tru', "invalid character ' ' in literal true (expecting 'e')", 3],
    ['{"a":fals', "invalid character ' ' in literal false (expecting 'e')", 9],
    ['[n', "invalid character ' ' in literal null (expecting 'u')", 2],
    ['-', "invalid character ' ' in numeric literal", 1],
    ['[1.', "invalid character ' ' after decimal point in numeric literal", 3],
    ['1e', "invalid character ' ' in exponent of numeric literal", 2],
    ['1E+', "invalid character ' ' in exponent of numeric literal", 3],
    ['"\\', "invalid character ' ' in string escape code", 2],
    ['"\\u12', "invalid character ' ' in \\u hexadecimal character escape", 5],
  ]);
  // A number completes at the end of the input.
  t.equal(syntax('12'), 'ok');
  t.equal(syntax('-0.5e-3'), 'ok');
});

t.test('invalid character looking for a value', async (t) => {
  expectErrors(t, [
    ['x', "invalid character 'x' looking for beginning of value", 1],
    ['  }', "invalid character '}' looking for beginning of value", 3],
    ['{"a":}', "invalid character '}' looking for beginning of value", 6],
    ['[1,]', "invalid character ']' looking for beginning of value", 4],
    ['[,1]', "invalid character ',' looking for beginning of value", 2],
    ['{"a":\'b\'}', "invalid character '\\'' looking for beginning of value", 6],
    ['+1', "invalid character '+' looking for beginning of value", 1],
    ['.5', "invalid character '.' looking for beginning of value", 1],
    ['\u00ff', "invalid character 'Ã' looking for beginning of value", 1],
    ['\u00a0{}', "invalid character 'Â' looking for beginning of value", 1],
    ['\u0000', "invalid character '\\x00' looking for beginning of value", 1],
    ['\v{}', "invalid character '\\v' looking for beginning of value", 1],
    ['\\', "invalid character '\\\\' looking for beginning of value", 1],
  ]);
});

t.test('invalid character in an object', async (t) => {
  expectErrors(t, [
    // where a key starts
    ['{a:1}', "invalid character 'a' looking for beginning of object key string", 2],
    ["{'a':1}", "invalid character '\\'' looking for beginning of object key string", 2],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string", 8],
    ['{,}', "invalid character ',' looking for beginning of object key string", 2],
    // after a key
    ['{"a" 1}', "invalid character '1' after object key", 6],
    ['{"a",1}', "invalid character ',' after object key", 5],
    ['{"a"}', "invalid character '}' after object key", 5],
    // after a value
    ['{"a":1 "b":2}', 'invalid character \'"\' after object key:value pair', 8],
    ['{"a":1]', "invalid character ']' after object key:value pair", 7],
    ['{"a":01}', "invalid character '1' after object key:value pair", 7],
    ['{"a":"x";}', "invalid character ';' after object key:value pair", 9],
  ]);
});

t.test('invalid character in an array', async (t) => {
  expectErrors(t, [
    ['[1 2]', "invalid character '2' after array element", 4],
    ['[1}', "invalid character '}' after array element", 3],
    ['[true false]', "invalid character 'f' after array element", 7],
    ['[00]', "invalid character '0' after array element", 3],
    ['[-01]', "invalid character '1' after array element", 4],
    ['[{}{}]', "invalid character '{' after array element", 4],
  ]);
});

t.test('invalid characters inside literals and numbers', async (t) => {
  expectErrors(t, [
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')", 9],
    ['{"a":nul}', "invalid character '}' in literal null (expecting 'l')", 9],
    ['fxlse', "invalid character 'x' in literal false (expecting 'a')", 2],
    ['Null', "invalid character 'N' looking for beginning of value", 1],
    ['{"a":-}', "invalid character '}' in numeric literal", 7],
    ['-a', "invalid character 'a' in numeric literal", 2],
    ['{"a":1.}', "invalid character '}' after decimal point in numeric literal", 8],
    ['1.e5', "invalid character 'e' after decimal point in numeric literal", 3],
    ['{"a":1e}', "invalid character '}' in exponent of numeric literal", 8],
    ['1e+-2', "invalid character '-' in exponent of numeric literal", 4],
  ]);
});

t.test('bad escapes and control characters in strings', async (t) => {
  expectErrors(t, [
    ['{"a":"\\q"}', "invalid character 'q' in string escape code", 8],
    ['"\\\'"', "invalid character '\\'' in string escape code", 3],
    ['"\\x41"', "invalid character 'x' in string escape code", 3],
    ['"\\U0041"', "invalid character 'U' in string escape code", 3],
    ['{"a":"\\u12"}', 'invalid character \'"\' in \\u hexadecimal character escape', 11],
    ['"\\u00g0"', "invalid character 'g' in \\u hexadecimal character escape", 6],
    ['{"a":"x\ty"}', "invalid character '\\t' in string literal", 8],
    ['"a\nb"', "invalid character '\\n' in string literal", 3],
    ['"\u0000"', "invalid character '\\x00' in string literal", 2],
    ['"\u001f"', "invalid character '\\x1f' in string literal", 2],
    ['{"\r":1}', "invalid character '\\r' in string literal", 3],
  ]);
  // DEL and bytes above 0x7f are allowed in strings.
  t.equal(syntax('"\u007f\u0080é😀"'), 'ok');
});

t.test('data after the top-level value', async (t) => {
  expectErrors(t, [
    ['{"a":1}x', "invalid character 'x' after top-level value", 8],
    ['{} {}', "invalid character '{' after top-level value", 4],
    ['[1]]', "invalid character ']' after top-level value", 4],
    ['1 2', "invalid character '2' after top-level value", 3],
    ['01', "invalid character '1' after top-level value", 2],
    ['truex', "invalid character 'x' after top-level value", 5],
    ['"a""b"', 'invalid character \'"\' after top-level value', 4],
    ['{"a":"é"}x', "invalid character 'x' after top-level value", 11],
    ['{}\u00e9', "invalid character 'Ã' after top-level value", 3],
  ]);
  t.equal(syntax('{} \t\r\n'), 'ok', 'trailing white space is fine');
});

t.test('offsets count UTF-8 bytes', async (t) => {
  expectErrors(t, [
    ['{"é":1 2}', "invalid character '2' after object key:value pair", 9],
    ['["😀",x]', "invalid character 'x' looking for beginning of value", 9],
  ]);
});

t.test('nesting is limited to 10000 levels, as in Go', async (t) => {
  t.equal(syntax('['.repeat(10000) + ']'.repeat(10000)), 'ok');
  t.equal(syntax('['.repeat(10001) + ']'.repeat(10001)), "invalid character '[' exceeded max depth @10001");
  t.equal(syntax('{"a":'.repeat(10000) + '{' + '}'.repeat(10001)), "invalid character '{' exceeded max depth @50001");
  let v = goJsonParse('['.repeat(10000) + ']'.repeat(10000));
  for (let depth = 1; depth < 10000; depth++) v = (v as GoJson[])[0];
  t.same(v, []);
});

t.test('valid documents and their values', async (t) => {
  for (const text of [
    '{}',
    '[]',
    ' { "a" : [ 1 , 2 ] } ',
    '"x"',
    'null',
    'true',
    'false',
    '0',
    '-0',
    '-0.0e-0',
    '1E+2',
    '{"a":"\\u0001","b":[true,false,null,-1.5e+3]}',
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}',
  ]) {
    t.equal(syntax(text), 'ok', text);
    t.equal(goJsonUnmarshalError(text), null, text);
  }
  const doc = goJsonParse('{"s":"x","n":[1, 2.50, -0, 1e21, 123456789012345678901234],"t":true,"f":false,"z":null,"o":{}}');
  t.ok(doc instanceof GoObject);
  const entries = (doc as GoObject).entries;
  t.same([...entries.keys()], ['s', 'n', 't', 'f', 'z', 'o'], 'keys in document order');
  t.equal(entries.get('s'), 'x');
  t.same(entries.get('n'), [1, 2.5, -0, 1e21, 123456789012345678901234], 'numbers are float64');
  t.ok(Object.is((entries.get('n') as number[])[2], -0));
  t.equal(entries.get('t'), true);
  t.equal(entries.get('f'), false);
  t.equal(entries.get('z'), null);
  t.ok(entries.get('o') instanceof GoObject);
  t.equal((entries.get('o') as GoObject).entries.size, 0);
  t.same(goJsonParse('[[],[[]]]'), [[], [[]]]);
});

t.test('duplicate keys: the last value wins', async (t) => {
  const o = goJsonParse('{"b":1,"a":2,"b":3}') as GoObject;
  t.same([...o.entries], [['b', 3], ['a', 2]]);
  t.equal(o.members, undefined, 'the members are kept only when asked for');
});

t.test('goJsonParseMembers keeps every member of every object, in input order', async (t) => {
  const o = goJsonParseMembers('{"b":1,"a":[{"c":2,"\\u0063":[3]}],"b":4}') as GoObject;
  t.same(
    o.members!.map(([key]) => key),
    ['b', 'a', 'b'],
  );
  t.same([...o.entries.keys()], ['b', 'a'], 'the map as goJsonParse builds it');
  t.equal(o.entries.get('b'), 4);
  const inner = (o.entries.get('a') as GoJson[])[0] as GoObject;
  t.same(inner.members, [['c', 2], ['c', [3]]], 'nested objects too, keys decoded');
  t.same(goJsonUnmarshalError('{"a":1,"a":'), { message: 'unexpected end of JSON input', offset: 11 });
  t.throws(() => goJsonParseMembers('{"a":1,"a":'), new GoJsonSyntaxError('unexpected end of JSON input', 11), 'the same syntax errors');
});

t.test('json.Marshal and json.Indent', async (t) => {
  t.equal(goJsonMarshal(goJsonParse('{"z":[1.50,true,null],"<a>":"&","é":{}}')), '{"\\u003ca\\u003e":"\\u0026","z":[1.5,true,null],"é":{}}');
  t.equal(
    goJsonIndent(goJsonMarshal(goJsonParse('{"a":[],"b":{},"c":[1,{"d":"x:y,z"}]}')), '  '),
    '{\n  "a": [],\n  "b": {},\n  "c": [\n    1,\n    {\n      "d": "x:y,z"\n    }\n  ]\n}',
    'as json.MarshalIndent: empty collections stay compact',
  );
  t.ok(compareGoStrings('Z', 'a') < 0 && compareGoStrings('\uffff', '😀') < 0, 'strings compare by UTF-8 bytes');
});

t.test('strings decode escapes and surrogates as Go does', async (t) => {
  t.equal(goJsonParse('"\\"\\\\\\/\\b\\f\\n\\r\\t"'), '"\\/\b\f\n\r\t');
  t.equal(goJsonParse('"\\u00e9\\u00E9é"'), 'ééé');
  t.equal(goJsonParse('"\\ud83d\\ude00"'), '😀', 'a surrogate pair');
  t.equal(goJsonParse('"\\ud800"'), '\ufffd', 'a lone high surrogate');
  t.equal(goJsonParse('"\\udc00x"'), '\ufffdx', 'a lone low surrogate');
  t.equal(goJsonParse('"\\ud800\\u0041"'), '\ufffdA', 'a high surrogate followed by another escape');
  t.equal(goJsonParse('"\\ud800\\ud800\\udc00"'), '\ufffd\ud800\udc00', 'the second high surrogate pairs');
  t.equal(goJsonParse('"\\ud800\\n"'), '\ufffd\n');
  t.equal(goJsonParse('"\\u0000"'), '\u0000');
  t.equal(goJsonParse('"\ud800"'), '\ufffd', 'a lone surrogate in the text is U+FFFD in UTF-8');
  t.same([...(goJsonParse('{"\\u0061":1}') as GoObject).entries.keys()], ['a'], 'escaped keys');
});

t.test('numbers beyond float64 are a decoding error, reported only for valid syntax', async (t) => {
  t.throws(() => goJsonParse('1e400'), new GoJsonDecodeError('json: cannot unmarshal number 1e400 into Go value of type float64'));
  t.throws(() => goJsonParse('[-1e400, 2e400]'), new GoJsonDecodeError('json: cannot unmarshal number -1e400 into Go value of type float64'), 'the first one');
  t.equal(goJsonParse('1e-400'), 0, 'underflow is not an error');
  t.same(goJsonUnmarshalError('{"a":1e400}'), { message: 'json: cannot unmarshal number 1e400 into Go value of type float64' });
  t.equal(goJsonSyntaxError('{"a":1e400}'), null, 'valid syntax');
  t.same(goJsonUnmarshalError('[1e400, x]'), { message: "invalid character 'x' looking for beginning of value", offset: 9 }, 'the syntax error wins');
});
