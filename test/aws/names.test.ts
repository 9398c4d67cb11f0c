// Generated names (src/aws/names.ts): hashicorp/aws's create.Name and create.NamePrefixFromName.
import t from 'tap';
import { namePrefixFromName, resourceName, uniqueId } from '../../src/aws/names';

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
