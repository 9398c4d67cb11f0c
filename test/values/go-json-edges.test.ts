// Go's encoding/json at the edges: surrogate pairing in \u escapes, how the scanner names an offending byte,
// json.Marshal's escapes and key order, json.Indent inside strings, and the names Go's decoder gives values.
import t from 'tap';
import {
  GoObject,
  compareGoStrings,
  goJsonIndent,
  goJsonKind,
  goJsonMarshal,
  goJsonParse,
  goJsonQuote,
  goJsonSyntaxError,
  goJsonUnmarshalError,
  goStructField,
  goTypeName,
} from '../../src/values/go-json';

const syntax = (text: string) => {
  const e = goJsonSyntaxError(text);
  return e ? `${e.message} @${e.offset}` : 'ok';
};

t.test('string literals keep the text around escapes and allow spaces', async (t) => {
  t.equal(goJsonParse('"ab\\ncd"'), 'ab\ncd');
  t.equal(goJsonParse('"a b"'), 'a b');
  t.equal(goJsonParse('"x\\u0041y\\tz"'), 'xAy\tz');
  t.equal(goJsonParse('"\\uaAfF"'), '\uaaff', 'hex digits a-f and A-F, both ends of each range');
  t.equal(goJsonParse('"\\u09AF"'), '\u09af');
});

t.test('\\u escapes: only a high surrogate followed by a \\u escape of a low surrogate pairs (Go getu4)', async (t) => {
  t.equal(goJsonParse('"\\ue000"'), '\ue000', 'U+E000 is not a surrogate');
  t.equal(goJsonParse('"\\ud7ff"'), '\ud7ff', 'U+D7FF is not a surrogate');
  t.equal(goJsonParse('"\\udbff\\udfff"'), '\udbff\udfff', 'U+10FFFF');
  t.equal(goJsonParse('"\\ud800\\udc00"'), '\ud800\udc00', 'U+10000');
  t.equal(goJsonParse('"\\udc00\\udc00"'), '\ufffd\ufffd', 'a low surrogate does not start a pair');
  t.equal(goJsonParse('"\\udfff\\udc00"'), '\ufffd\ufffd');
  t.equal(goJsonParse('"\\ud800\\ue000"'), '\ufffd\ue000', 'U+E000 is no low surrogate');
  t.equal(goJsonParse('"\\ud800\\ud7ff"'), '\ufffd\ud7ff');
  t.equal(goJsonParse('"\\ud800xudc00"'), '\ufffdxudc00', 'the pair needs a backslash');
  t.equal(goJsonParse('"\\udc00xudc00"'), '\ufffdxudc00');
  t.equal(goJsonParse('"\\ud800\\/dc00"'), '\ufffd/dc00', 'the pair needs a u after the backslash');
  t.equal(syntax('"\\ud800\\udc0g"'), "invalid character 'g' in \\u hexadecimal character escape @13", 'a bad escape after a high surrogate is still a syntax error');
  t.equal(syntax('"\\ud800\\u'), "invalid character ' ' in \\u hexadecimal character escape @9");
});

t.test('the offending byte is named as Go quotes it', async (t) => {
  const cases: Array<[string, string]> = [
    ['\u0007', "'\\a'"],
    ['\b', "'\\b'"],
    ['\f', "'\\f'"],
    ['\u007f', "'\\x7f'"],
    ['\u001b', "'\\x1b'"],
    ['~', "'~'"],
    ['\u00f4', "'Ã'"],
  ];
  for (const [text, quoted] of cases) {
    t.equal(syntax(text), `invalid character ${quoted} looking for beginning of value @1`, JSON.stringify(text));
  }
  t.equal(syntax('[1"]'), 'invalid character \'"\' after array element @3', 'a double quote is not escaped');
  t.equal(syntax('t ue'), "invalid character ' ' in literal true (expecting 'r') @2", 'a space is printable');
  t.equal(syntax('[\u0080]'), "invalid character 'Â' looking for beginning of value @2", 'a UTF-8 lead byte as Latin-1');
});

t.test('errors: a syntax error carries its offset, a decoding error does not', async (t) => {
  const decode = goJsonUnmarshalError('[1e999]');
  t.same(decode, { message: 'json: cannot unmarshal number 1e999 into Go value of type float64' });
  t.notOk(decode !== null && 'offset' in decode, 'no offset property');
  t.same(goJsonUnmarshalError('[1,'), { message: 'unexpected end of JSON input', offset: 3 });
  t.equal(goJsonUnmarshalError('[1]'), null);
});

t.test('json.Marshal escapes as Go does (HTML-safe, \\b and \\f since Go 1.22, U+2028/U+2029)', async (t) => {
  t.equal(
    goJsonQuote('a"b\\c\b\f\n\r\t\u0000\u0001\u001f <>&\u007f\u0080é'),
    '"a\\"b\\\\c\\b\\f\\n\\r\\t\\u0000\\u0001\\u001f \\u003c\\u003e\\u0026\u007f\u0080é"',
  );
  t.equal(goJsonQuote('x\u2028y\u2029z'), '"x\\u2028y\\u2029z"');
  t.equal(goJsonMarshal('\u2027\u202a'), '"\u2027\u202a"', 'the neighbours are written as they are');
});

t.test('json.Marshal writes valid surrogate pairs as they are and invalid UTF-16 as U+FFFD', async (t) => {
  t.equal(goJsonQuote('😀'), '"😀"');
  t.equal(goJsonQuote('\ud800\udc00\udbff\udfff'), '"\ud800\udc00\udbff\udfff"', 'U+10000 and U+10FFFF');
  t.equal(goJsonQuote('a\ud800'), '"a\\ufffd"', 'a high surrogate at the end');
  t.equal(goJsonQuote('\ud800b'), '"\\ufffdb"', 'a high surrogate before a BMP character');
  t.equal(goJsonQuote('\udbff\ud800\udc00'), '"\\ufffd\ud800\udc00"', 'a high surrogate before a pair');
  t.equal(goJsonQuote('\ud800\ue000'), '"\\ufffd\ue000"', 'U+E000 is no low surrogate');
  t.equal(goJsonQuote('\udc00x\udfff'), '"\\ufffdx\\ufffd"', 'lone low surrogates');
  t.equal(goJsonQuote('\udc00\udc00'), '"\\ufffd\\ufffd"', 'a low surrogate does not start a pair');
  t.equal(goJsonQuote('\ud7ff\ue000\uffff'), '"\ud7ff\ue000\uffff"', 'the BMP characters around the surrogates');
});

t.test('json.Marshal of scalars', async (t) => {
  t.equal(goJsonMarshal(-0), '-0', 'Go keeps the sign of negative zero');
  t.equal(goJsonMarshal(0), '0');
  t.equal(goJsonMarshal(false), 'false');
  t.equal(goJsonMarshal(true), 'true');
  t.equal(goJsonMarshal(null), 'null');
  t.equal(goJsonMarshal([1e21, 1e-7, 0.000001, 123456789]), '[1e+21,1e-7,0.000001,123456789]');
});

t.test('strings compare as Go compares them: by UTF-8 bytes', async (t) => {
  const sign = (a: string, b: string) => Math.sign(compareGoStrings(a, b));
  t.equal(sign('a', 'a'), 0);
  t.equal(sign('', ''), 0);
  t.equal(sign('a', 'ab'), -1, 'a prefix sorts first');
  t.equal(sign('ab', 'a'), 1);
  t.equal(sign('', 'a'), -1);
  t.equal(sign('ab', 'ac'), -1);
  t.equal(sign('ac', 'ab'), 1);
  t.equal(sign('xab', 'xb'), -1, 'the first difference decides, not the length');
  t.equal(sign('\ud800\udc00', '\uffff'), 1, 'U+10000 after U+FFFF');
  t.equal(sign('\uffff', '\ud800\udc00'), -1);
  t.equal(sign('\ue000', '\ud800\udc00'), -1, 'U+E000 before U+10000');
  t.equal(sign('\ud7ff', '\ud800\udc00'), -1);
  t.equal(sign('\udbff\udfff', '\udbff\udffe'), 1, 'U+10FFFF after U+10FFFE');
  t.equal(sign('\udbff\udffe', '\udbff\udfff'), -1);
  t.equal(sign('\ud800\udc00', '\ud800\udc01'), -1);
  const keys = ['b', 'a', 'ab', '\uffff', '😀', 'B', ''];
  t.same(keys.sort(compareGoStrings), ['', 'B', 'a', 'ab', 'b', '\uffff', '😀']);
  const o = GoObject.of([['b', 1], ['ab', 2], ['a', 3]]);
  t.equal(goJsonMarshal(o), '{"a":3,"ab":2,"b":1}', 'json.Marshal sorts map keys');
});

t.test('GoObject.of builds the map Go would: the last of duplicate keys wins', async (t) => {
  const o = GoObject.of([['a', 1], ['b', 'x'], ['a', 2]]);
  t.same([...o.entries], [['a', 2], ['b', 'x']]);
  t.equal(GoObject.of([]).entries.size, 0);
});

t.test('json.Indent copies strings as they are, escapes included', async (t) => {
  t.equal(goJsonIndent('{"a":"x\\"y,[:\\\\","b":[]}', '  '), '{\n  "a": "x\\"y,[:\\\\",\n  "b": []\n}');
  t.equal(goJsonIndent('["\\\\"]', '\t'), '[\n\t"\\\\"\n]');
});

t.test('the names Go gives decoded values', async (t) => {
  const values = [null, true, 1.5, 's', [1], new GoObject()];
  t.same(values.map(goJsonKind), ['null', 'bool', 'number', 'string', 'array', 'object'], 'UnmarshalTypeError kinds');
  t.same(
    values.map(goTypeName),
    ['<nil>', 'bool', 'float64', 'string', '[]interface {}', 'map[string]interface {}'],
    "%T of a value decoded into any",
  );
  t.equal(goJsonKind(false), 'bool');
  t.equal(goTypeName(false), 'bool');
  t.equal(goJsonKind(''), 'string');
  t.equal(goJsonKind(0), 'number');
});

t.test('a JSON key finds its struct field: the exact name first, then ignoring case', async (t) => {
  const fields = ['Sid', 'Effect', 'NotAction'];
  t.equal(goStructField('Effect', fields), 'Effect');
  t.equal(goStructField('effect', fields), 'Effect');
  t.equal(goStructField('EFFECT', fields), 'Effect');
  t.equal(goStructField('notaction', fields), 'NotAction');
  t.equal(goStructField('Effects', fields), undefined);
  t.equal(goStructField('Id', ['ID', 'Id']), 'Id', 'an exact match wins over an earlier case-insensitive one');
  t.equal(goStructField('id', ['ID', 'Id']), 'ID', 'otherwise the first field that matches');
});
