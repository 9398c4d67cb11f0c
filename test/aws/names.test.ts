// Generated names (src/aws/names.ts): hashicorp/aws's create.Name and create.NamePrefixFromName.
import t from 'tap';
import { namePrefixFromName, resourceName, UNIQUE_ID_SUFFIX_LENGTH, uniqueId } from '../../src/aws/names';

t.test('a configured name wins, then the prefix, then terraform-', async (t) => {
  t.equal(resourceName('given', 'ignored-'), 'given');
  t.match(resourceName(undefined, 'cfg-'), /^cfg-\d{18}[0-9a-f]{8}$/);
  t.match(resourceName(undefined), /^terraform-\d{18}[0-9a-f]{8}$/);
  t.match(resourceName('', ''), /^terraform-\d{18}[0-9a-f]{8}$/, 'empty strings are unset, as in SDKv2');
  t.equal(uniqueId('x-', new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 678))).slice(0, 20), 'x-202501020304056780');
  t.not(uniqueId(), uniqueId(), 'the counter makes names unique within a process');
});

t.test('the prefix of a generated name, and none for other names', async (t) => {
  t.equal(namePrefixFromName('cfg-20250102030405678000000001'), 'cfg-');
  t.equal(namePrefixFromName('terraform-20250102030405678000000001'), 'terraform-');
  t.equal(namePrefixFromName('my-endpoint-config'), undefined);
  t.equal(namePrefixFromName('20250102030405678000000001'), undefined, 'a generated suffix alone has no prefix');
  t.equal(namePrefixFromName('cfg-2025010203040567800000000g'), undefined, 'the suffix is hexadecimal');
});

t.test('a generated name: the prefix, the UTC time to the tenth of a millisecond, and an 8-hex-digit counter', async (t) => {
  const at = new Date(Date.UTC(2025, 10, 22, 13, 14, 15, 5));
  const first = uniqueId('p-', at);
  const second = uniqueId('p-', at);
  t.equal(first.length, 'p-'.length + UNIQUE_ID_SUFFIX_LENGTH);
  t.equal(first.slice(0, 20), 'p-202511221314150050');
  t.match(first.slice(20), /^[0-9a-f]{8}$/);
  t.equal(parseInt(second.slice(20), 16), parseInt(first.slice(20), 16) + 1, 'the counter counts up');
  t.equal(UNIQUE_ID_SUFFIX_LENGTH, 26);
  t.equal(namePrefixFromName(first), 'p-', 'a generated name gives its prefix back');
  t.equal(namePrefixFromName(`x${'0'.repeat(25)}`), undefined, 'shorter than a suffix');
  t.equal(namePrefixFromName(`x${'0'.repeat(26)}`), 'x');
});
