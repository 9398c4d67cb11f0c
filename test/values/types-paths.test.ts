import t from 'tap';
import {
  CtyNumber,
  DynamicValue,
  elementType,
  formatPath,
  getAtPath,
  isExactDouble,
  numberFromDouble,
  objectAttributeTypes,
  parseType,
  parseTypeJson,
  typeEquals,
  typeToJson,
  typeToString,
  UNKNOWN,
  type CtyType,
} from '../../src/values';
import { num } from './fixtures/hex';

t.test('parseType validates cty type JSON', async (t) => {
  const type = ['object', { b: ['list', 'string'], a: ['map', ['set', 'number']] }, ['b']];
  t.same(parseType(type), type);
  t.same(parseType(['tuple', ['string', 'dynamic']]), ['tuple', ['string', 'dynamic']]);
  for (const bad of ['str', ['list'], ['list', 'x'], ['object', []], ['object', { a: 'string' }, ['b']], ['tuple', 'string'], 5, null]) {
    t.throws(() => parseType(bad), TypeError, JSON.stringify(bad));
  }
  t.equal(parseTypeJson('["list","string"]'), parseTypeJson('["list","string"]'), 'memoised');
});

t.test('typeEquals is structural', async (t) => {
  t.ok(typeEquals(['object', { a: 'string', b: 'number' }], ['object', { b: 'number', a: 'string' }]));
  t.notOk(typeEquals(['object', { a: 'string' }], ['object', { a: 'string', b: 'number' }]));
  t.notOk(typeEquals(['object', { a: 'string' }], ['object', { a: 'string' }, ['a']]), 'optional attributes count');
  t.notOk(typeEquals(['list', 'string'], ['set', 'string']));
  t.ok(typeEquals(['tuple', ['string', ['map', 'bool']]], ['tuple', ['string', ['map', 'bool']]]));
  t.notOk(typeEquals('string', ['list', 'string']));
});

t.test('type helpers', async (t) => {
  t.equal(typeToString(['list', 'string']), 'list of string');
  t.equal(typeToString(['map', ['set', 'number']]), 'map of set of number');
  t.equal(typeToString(['object', {}]), 'object');
  t.equal(elementType(['set', 'bool']), 'bool');
  t.throws(() => elementType('string'));
  t.same(objectAttributeTypes(['object', { a: 'string' }]), { a: 'string' });
  const type: CtyType = ['object', { z: ['list', 'string'], a: 'dynamic' }, ['z']];
  t.equal(typeToJson(type), '["object",{"a":"dynamic","z":["list","string"]},["z"]]', 'sorted, as cty writes it');
  t.same(parseType(JSON.parse(typeToJson(type))), type);
});

t.test('formatPath writes paths as Terraform does', async (t) => {
  t.equal(formatPath([{ attr: 'primary_container' }, { index: 0 }, { attr: 'image' }]), 'primary_container[0].image');
  t.equal(formatPath([{ attr: 'tags' }, { key: 'k' }]), 'tags["k"]');
  t.equal(formatPath([{ attr: 'tags' }, { key: 'a"b' }]), 'tags["a\\"b"]');
  t.equal(formatPath([]), '');
});

t.test('getAtPath', async (t) => {
  const value = {
    primary_container: [{ image: 'img', environment: { K: 'v' } }],
    vpc_config: null,
    dyn: new DynamicValue(['object', { x: 'string' }], { x: 'y' }),
    later: UNKNOWN,
  };
  t.equal(getAtPath(value, [{ attr: 'primary_container' }, { index: 0 }, { attr: 'image' }]), 'img');
  t.equal(getAtPath(value, [{ attr: 'primary_container' }, { index: 0 }, { attr: 'environment' }, { key: 'K' }]), 'v');
  t.equal(getAtPath(value, [{ attr: 'primary_container' }, { index: 1 }]), undefined, 'out of range');
  t.equal(getAtPath(value, [{ attr: 'vpc_config' }, { attr: 'subnets' }]), undefined, 'through null');
  t.equal(getAtPath(value, [{ attr: 'nope' }]), undefined);
  t.equal(getAtPath(value, [{ attr: 'dyn' }, { attr: 'x' }]), 'y', 'through a dynamic value');
  t.equal(getAtPath(value, [{ attr: 'later' }, { attr: 'x' }]), UNKNOWN, 'stops at an unknown');
  t.equal(getAtPath(value, []), value);
});

t.test('exact float64 arithmetic', async (t) => {
  t.ok(isExactDouble('0.5'));
  t.ok(isExactDouble('-0.375'));
  t.ok(isExactDouble('9007199254740992'));
  t.notOk(isExactDouble('9007199254740993'));
  t.notOk(isExactDouble('0.1'));
  t.ok(isExactDouble('0'));
  t.ok(isExactDouble('179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368'), 'largest double');
  t.notOk(isExactDouble('3' + '0'.repeat(309)), 'beyond the double range');
  t.equal(numberFromDouble(2 ** -1074).text, '0.' + '0'.repeat(323) + '4940656458412465441765687928682213723650598026143247644255856825006755072702087518652998363616359923797965646954457177309266567103559397963987747960107818781263007131903114045278458171678489821036887186360569987307230500063874091535649843873124733972731696151400317153853980741262385655911710266585566867681870395603106249319452715914924553293054565444011274801297099995419319894090804165633245247571478690147267801593552386115501348035264934720193790268107107491703332226844753335720832431936092382893458368060106011506169809753078342277318329247904982524730776375927247874656084778203734469699533647017972677717585125660551199131504891101451037862738167250955837389733598993664809941164205702637090279242767544565229087538682506419718265533447265625', 'smallest subnormal, exactly');
  t.equal(numberFromDouble(-0.1).text, '-0.1000000000000000055511151231257827021181583404541015625');
  t.equal(numberFromDouble(1e21).text, '1000000000000000000000');
  t.throws(() => numberFromDouble(Infinity));
  t.ok(num('1') instanceof CtyNumber);
});
