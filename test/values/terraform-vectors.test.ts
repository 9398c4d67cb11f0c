// Vectors written by Terraform 1.11.4 itself (go-cty's encoders), not by us. They come from a plan
// and a state of this configuration, with no provider involved:
//
//   variable "nums" { type = list(number) }
//   resource "terraform_data" "d" { input = { nums = var.nums, s = "hi", n = null, m = { k = "v" } } }
//   output "pref" { value = "x-${terraform_data.d.id}" }
//   output "nums" { value = var.nums }
//
//   terraform plan -out=p.tfplan -var 'nums=[42, -7, 3.14, 12345678901234567890123, 9007199254740993, 0.5, -9223372036854775808]'
//
// The msgpack vectors are DynamicValue fields cut out of the plan's protobuf (tfplan in p.tfplan);
// the JSON vector is the instance's "attributes" from terraform.tfstate after apply, with the
// pretty-printing whitespace removed.
import t from 'tap';
import {
  CtyNumber,
  decodeJson,
  decodeMsgpack,
  DynamicValue,
  encodeJson,
  encodeMsgpack,
  Unknown,
  type CtyType,
  type ObjectValue,
} from '../../src/values';
import { fromHex, hex } from './fixtures/hex';

const NUMBERS = ['42', '-7', '3.14', '12345678901234567890123', '9007199254740993', '0.5', '-9223372036854775808'];
const NUMBER_BYTES =
  '972af9a4332e3134b73132333435363738393031323334353637383930313233cf0020000000000001cb3fe0000000000000d38000000000000000';

/** Output "nums": a list(number) stored as a dynamic value. */
const OUTPUT_NUMS = '92c4115b226c697374222c226e756d626572225d' + NUMBER_BYTES;

/** Output "pref": a string unknown refined as not null with prefix "x-", stored as a dynamic value. */
const OUTPUT_PREF = '92c40822737472696e6722c7070c8201c202a2782d';

/** The planned new state of terraform_data.d (implied type below): id is a refined unknown. */
const TERRAFORM_DATA_PLANNED =
  '84a26964c7030c8101c2a5696e70757492c45e5b226f626a656374222c7b226d223a5b226f626a656374222c7b226b223a22737472696e67227d5d2c226e223a2264796e616d6963222c226e756d73223a5b226c697374222c226e756d626572225d2c2273223a22737472696e67227d5d84a16d81a16ba176a16ec0a46e756d73' +
  NUMBER_BYTES +
  'a173a26869a66f757470757492c45e5b226f626a656374222c7b226d223a5b226f626a656374222c7b226b223a22737472696e67227d5d2c226e223a2264796e616d6963222c226e756d73223a5b226c697374222c226e756d626572225d2c2273223a22737472696e67227d5dd40000b074726967676572735f7265706c616365c0';

const TERRAFORM_DATA_TYPE: CtyType = [
  'object',
  { id: 'string', input: 'dynamic', output: 'dynamic', triggers_replace: 'dynamic' },
];
const INPUT_TYPE: CtyType = [
  'object',
  { m: ['object', { k: 'string' }], n: 'dynamic', nums: ['list', 'number'], s: 'string' },
];

const STATE_ATTRIBUTES =
  '{"id":"52e981ac-3873-cb1f-5e76-092811a62b6e","input":{"value":{"m":{"k":"v"},"n":null,"nums":[42,-7,3.14,12345678901234567890123,9007199254740993,0.5,-9223372036854775808],"s":"hi"},"type":["object",{"m":["object",{"k":"string"}],"n":"dynamic","nums":["list","number"],"s":"string"}]},"output":{"value":{"m":{"k":"v"},"n":null,"nums":[42,-7,3.14,12345678901234567890123,9007199254740993,0.5,-9223372036854775808],"s":"hi"},"type":["object",{"m":["object",{"k":"string"}],"n":"dynamic","nums":["list","number"],"s":"string"}]},"triggers_replace":null}';

const texts = (v: unknown) => (v as CtyNumber[]).map((n) => n.text);

t.test('dynamic list of numbers: decode exactly and re-encode to the same bytes', async (t) => {
  const value = decodeMsgpack(fromHex(OUTPUT_NUMS), 'dynamic');
  t.ok(value instanceof DynamicValue);
  const dynamic = value as DynamicValue;
  t.same(dynamic.type, ['list', 'number']);
  t.same(texts(dynamic.value), NUMBERS);
  t.equal(hex(encodeMsgpack(value, 'dynamic')), OUTPUT_NUMS);
});

t.test('dynamic refined unknown string', async (t) => {
  const value = decodeMsgpack(fromHex(OUTPUT_PREF), 'dynamic') as DynamicValue;
  t.equal(value.type, 'string');
  t.ok(value.value instanceof Unknown);
  t.same((value.value as Unknown).refinements, { nullable: false, stringPrefix: 'x-' });
  t.equal(hex(encodeMsgpack(value, 'dynamic')), OUTPUT_PREF);
});

t.test('planned object with refined and plain unknowns inside and outside dynamic values', async (t) => {
  const value = decodeMsgpack(fromHex(TERRAFORM_DATA_PLANNED), TERRAFORM_DATA_TYPE) as ObjectValue;
  t.same((value.id as Unknown).refinements, { nullable: false }, 'id: refined unknown, ext8 of length 3');
  const input = value.input as DynamicValue;
  t.same(input.type, INPUT_TYPE);
  const inner = input.value as ObjectValue;
  t.same(inner.m, { k: 'v' });
  t.equal(inner.n, null, 'null of type dynamic inside the object');
  t.equal(inner.s, 'hi');
  t.same(texts(inner.nums), NUMBERS);
  // An unknown whose type is known travels wrapped: [type JSON, d4 00 00].
  const output = value.output as DynamicValue;
  t.same(output.type, INPUT_TYPE);
  t.ok(output.value instanceof Unknown, 'output: unknown value of a known type');
  t.equal(value.triggers_replace, null);
  t.equal(hex(encodeMsgpack(value, TERRAFORM_DATA_TYPE)), TERRAFORM_DATA_PLANNED, 'byte-identical re-encoding');
});

t.test('state attributes as cty JSON: exact numbers, dynamic {value,type}, byte-identical round trip', async (t) => {
  const value = decodeJson(STATE_ATTRIBUTES, TERRAFORM_DATA_TYPE) as ObjectValue;
  t.equal(value.id, '52e981ac-3873-cb1f-5e76-092811a62b6e');
  const input = value.input as DynamicValue;
  t.same(input.type, INPUT_TYPE);
  t.same(texts((input.value as ObjectValue).nums), NUMBERS);
  t.equal(encodeJson(value, TERRAFORM_DATA_TYPE), STATE_ATTRIBUTES);
});

t.test('the state JSON and the planned msgpack hold the same input value', async (t) => {
  const fromState = decodeJson(STATE_ATTRIBUTES, TERRAFORM_DATA_TYPE) as ObjectValue;
  const fromPlan = decodeMsgpack(fromHex(TERRAFORM_DATA_PLANNED), TERRAFORM_DATA_TYPE) as ObjectValue;
  t.same(fromState.input, fromPlan.input);
});
