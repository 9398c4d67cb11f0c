// The schema files of provider-schema/: well-formed, consistent with the engine's extension keys, and
// identical to the real hashicorp/aws 5.100.0 structure apart from the documented v6 changes.
import t from 'tap';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getValidator } from '../../src/engine/validators';
import { registerAwsExtensions } from '../../src/aws/extensions';
import { isRegistered } from '../../src/engine/sdkv2';
import { repoRoot } from '../support/paths';
import { differences, structure, type Json, type JsonObject } from '../support/schema-structure';

registerAwsExtensions();

const schemaDir = path.join(repoRoot, 'provider-schema');
// hashicorp/aws 5.100.0's own schemas, recorded by scripts/record-schema-fixture.mjs.
const referencePath = path.join(repoRoot, 'test/fixtures/aws-5.100.0-schema.json');

function schemaFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.json')) files.push(path.relative(schemaDir, full));
    }
  };
  walk(schemaDir);
  return files.sort();
}

function load(relative: string): JsonObject {
  return JSON.parse(fs.readFileSync(path.join(schemaDir, relative), 'utf8')) as JsonObject;
}

const ATTRIBUTE_KEYS = new Set([
  'type', 'description', 'description_kind', 'required', 'optional', 'computed', 'sensitive', 'deprecated',
  // extensions
  'force_new', 'default', 'validators', 'conflicts_with', 'exactly_one_of', 'at_least_one_of', 'deprecation_message', 'state_func', 'diff_suppress',
]);
const NESTED_BLOCK_KEYS = new Set(['nesting_mode', 'block', 'min_items', 'max_items', 'force_new', 'computed', 'deprecation_message', 'diff_suppress', 'exactly_one_of']);
const BLOCK_KEYS = new Set(['attributes', 'block_types', 'description', 'description_kind', 'deprecated']);

/** Whether `type` is valid cty JSON type syntax. */
function isCtyType(type: Json): boolean {
  if (typeof type === 'string') return ['string', 'number', 'bool', 'dynamic'].includes(type);
  if (!Array.isArray(type)) return false;
  const [kind, ...rest] = type;
  if (kind === 'list' || kind === 'set' || kind === 'map') return rest.length === 1 && isCtyType(rest[0]);
  if (kind === 'tuple') return rest.length === 1 && Array.isArray(rest[0]) && rest[0].every(isCtyType);
  if (kind === 'object') {
    const [attrs, optional] = rest;
    if (attrs === null || typeof attrs !== 'object' || Array.isArray(attrs)) return false;
    if (!Object.values(attrs).every(isCtyType)) return false;
    return rest.length === 1 || (rest.length === 2 && Array.isArray(optional) && optional.every((k) => typeof k === 'string' && k in attrs));
  }
  return false;
}

/** Whether a JSON value conforms to a cty type (for `default`). */
function conforms(value: Json, type: Json): boolean {
  if (value === null) return false;
  if (type === 'string') return typeof value === 'string';
  if (type === 'number') return typeof value === 'number';
  if (type === 'bool') return typeof value === 'boolean';
  if (type === 'dynamic') return true;
  const [kind, element] = type as [string, Json];
  if (kind === 'list' || kind === 'set') return Array.isArray(value) && value.every((v) => conforms(v, element));
  if (kind === 'map') return typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => conforms(v, element));
  if (kind === 'object') {
    const attrs = element as JsonObject;
    return typeof value === 'object' && !Array.isArray(value) && Object.entries(value).every(([k, v]) => k in attrs && conforms(v, attrs[k]));
  }
  return false;
}

interface Visit {
  path: string;
  attribute?: JsonObject;
  nested?: JsonObject;
  block: JsonObject;
}

function visit(block: JsonObject, fn: (v: Visit) => void, prefix = ''): void {
  const attributes = (block.attributes ?? {}) as JsonObject;
  for (const [name, attribute] of Object.entries(attributes)) fn({ path: prefix + name, attribute: attribute as JsonObject, block });
  const blockTypes = (block.block_types ?? {}) as JsonObject;
  for (const [name, nested] of Object.entries(blockTypes)) {
    const n = nested as JsonObject;
    fn({ path: prefix + name, nested: n, block });
    visit(n.block as JsonObject, fn, `${prefix}${name}.`);
  }
}

const files = schemaFiles();

t.test('the expected schema files exist', async (t) => {
  t.same(files, [
    'data-sources/aws_iam_policy_document.json',
    'data-sources/aws_sagemaker_prebuilt_ecr_image.json',
    'provider.json',
    'provider_meta.json',
    'resources/aws_iam_role.json',
    'resources/aws_sagemaker_endpoint.json',
    'resources/aws_sagemaker_endpoint_configuration.json',
    'resources/aws_sagemaker_model.json',
  ]);
});

for (const file of files) {
  t.test(`${file} is a well-formed schema`, async (t) => {
    const schema = load(file);
    t.same(Object.keys(schema).sort(), ['block', 'version']);
    t.equal(schema.version, 0);
    const problems: string[] = [];
    const isResource = file.startsWith('resources/');
    const checkBlock = (block: JsonObject, where: string) => {
      for (const key of Object.keys(block)) if (!BLOCK_KEYS.has(key)) problems.push(`${where}: unknown block key ${key}`);
    };
    checkBlock(schema.block as JsonObject, '(root)');
    visit(schema.block as JsonObject, ({ path: p, attribute, nested, block }) => {
      const siblings = new Set([...Object.keys((block.attributes ?? {}) as JsonObject), ...Object.keys((block.block_types ?? {}) as JsonObject)]);
      if (attribute) {
        for (const key of Object.keys(attribute)) if (!ATTRIBUTE_KEYS.has(key)) problems.push(`${p}: unknown attribute key ${key}`);
        if (!isCtyType(attribute.type)) problems.push(`${p}: invalid cty type ${JSON.stringify(attribute.type)}`);
        const modes = ['required', 'optional', 'computed'].filter((k) => attribute[k] === true);
        if (modes.length === 0 || (attribute.required && modes.length > 1)) problems.push(`${p}: invalid required/optional/computed combination`);
        for (const spec of (attribute.validators ?? []) as JsonObject[]) {
          const kinds = [spec.kind, ...((spec.validators ?? []) as JsonObject[]).map((inner) => inner.kind)];
          for (const kind of kinds) if (typeof kind !== 'string' || !getValidator(kind)) problems.push(`${p}: validator kind ${String(kind)} is not registered`);
        }
        if (attribute.state_func && !isRegistered('state_func', attribute.state_func as string)) problems.push(`${p}: state_func ${String(attribute.state_func)} is not registered`);
        if (attribute.diff_suppress && !isRegistered('diff_suppress', attribute.diff_suppress as string)) problems.push(`${p}: diff_suppress ${String(attribute.diff_suppress)} is not registered`);
        for (const key of ['conflicts_with', 'exactly_one_of', 'at_least_one_of']) {
          for (const other of (attribute[key] ?? []) as string[]) if (!siblings.has(other)) problems.push(`${p}: ${key} names ${other}, not a sibling`);
        }
        if ('default' in attribute) {
          if (!conforms(attribute.default, attribute.type)) problems.push(`${p}: default ${JSON.stringify(attribute.default)} is not a ${JSON.stringify(attribute.type)}`);
          if (!attribute.optional) problems.push(`${p}: an attribute with a default must be optional`);
        }
        if (attribute.force_new) {
          if (!isResource) problems.push(`${p}: force_new outside a resource`);
          if (!attribute.required && !attribute.optional) problems.push(`${p}: force_new on a computed-only attribute`);
        }
      }
      if (nested) {
        for (const key of Object.keys(nested)) if (!NESTED_BLOCK_KEYS.has(key)) problems.push(`${p}: unknown nested block key ${key}`);
        if (!['single', 'group', 'list', 'set', 'map'].includes(nested.nesting_mode as string)) problems.push(`${p}: invalid nesting_mode`);
        if (nested.force_new && !isResource) problems.push(`${p}: force_new outside a resource`);
        if (nested.diff_suppress && !isRegistered('diff_suppress', nested.diff_suppress as string)) problems.push(`${p}: diff_suppress ${String(nested.diff_suppress)} is not registered`);
        if (nested.force_new && !['list', 'set'].includes(nested.nesting_mode as string)) problems.push(`${p}: force_new on a ${String(nested.nesting_mode)} block`);
        for (const other of (nested.exactly_one_of ?? []) as string[]) if (!siblings.has(other)) problems.push(`${p}: exactly_one_of names ${other}, not a sibling`);
        checkBlock(nested.block as JsonObject, p);
      }
    });
    t.same(problems, [], 'no schema problems');
  });
}

// ---- comparison with the real 5.100.0 structure ----

const reference = JSON.parse(fs.readFileSync(referencePath, 'utf8')) as JsonObject;

t.test('aws_sagemaker_model matches 5.100.0 apart from the documented v6 changes', async (t) => {
  const ours = structure(load('resources/aws_sagemaker_model.json'));
  const theirs = (reference.resource_schemas as JsonObject).aws_sagemaker_model as JsonObject;
  const allowed = [
    // v6: region override on every regional resource
    '+ block.attributes.region',
    // v6-only block, in both container shapes
    '+ block.block_types.container.block.block_types.additional_model_data_source',
    '+ block.block_types.primary_container.block.block_types.additional_model_data_source',
  ];
  const found = differences(theirs, ours);
  t.same(found, [...allowed].sort(), 'only the allow-listed differences');
  t.comment('allowed differences from 5.100.0:\n' + found.join('\n'));
});

t.test('the endpoint configuration and the endpoint match 5.100.0 apart from the documented v6 changes', async (t) => {
  const cases: [name: string, allowed: string[]][] = [
    [
      'aws_sagemaker_endpoint_configuration',
      [
        // v6: inference components (variants without a model, deployed with an execution role)
        '+ block.attributes.execution_role_arn',
        '+ block.attributes.region',
        '+ block.block_types.production_variants.block.attributes.model_name.optional',
        '- block.block_types.production_variants.block.attributes.model_name.required',
        // v6: capacity reservations (training plans) for the instances of a variant
        '+ block.block_types.production_variants.block.block_types.capacity_reservation_config',
        '+ block.block_types.shadow_production_variants.block.attributes.model_name.optional',
        '- block.block_types.shadow_production_variants.block.attributes.model_name.required',
        '+ block.block_types.shadow_production_variants.block.block_types.capacity_reservation_config',
      ],
    ],
    ['aws_sagemaker_endpoint', ['+ block.attributes.region']],
  ];
  for (const [name, allowed] of cases) {
    const theirs = (reference.resource_schemas as JsonObject)[name] as JsonObject;
    t.same(differences(theirs, structure(load(`resources/${name}.json`))), allowed, `${name}: only the allow-listed differences`);
  }
});

t.test('the endpoint configuration is replaced by any change but its tags; the endpoint only by a new name or rollback alarms', async (t) => {
  const forceNewAndOptional = (file: string) => {
    const forceNew: string[] = [];
    const notForceNew: string[] = [];
    visit(load(file).block as JsonObject, ({ path: p, attribute, nested }) => {
      const entry = (attribute ?? nested)!;
      if (entry.force_new) forceNew.push(p);
      else if (attribute && (attribute.optional || attribute.required)) notForceNew.push(p);
    });
    return { forceNew, notForceNew };
  };
  const config = forceNewAndOptional('resources/aws_sagemaker_endpoint_configuration.json');
  // SDKv2: the two variant lists are not ForceNew themselves, but every leaf in them is (so is any added variant).
  t.same(config.notForceNew.sort(), ['id', 'region', 'tags', 'tags_all'], 'every argument but the tags forces replacement');
  t.ok(config.forceNew.includes('production_variants.instance_type') && config.forceNew.includes('shadow_production_variants.serverless_config.max_concurrency'));
  const endpoint = forceNewAndOptional('resources/aws_sagemaker_endpoint.json');
  t.same(endpoint.forceNew.sort(), ['deployment_config.auto_rollback_configuration', 'name']);
  t.ok(endpoint.notForceNew.includes('endpoint_config_name'), 'a new endpoint configuration updates the endpoint in place');
});

t.test('the provider block matches 5.100.0 apart from the documented v6 changes', async (t) => {
  const ours = structure(load('provider.json'));
  const theirs = reference.provider as JsonObject;
  const found = differences(theirs, ours);
  const newEndpoints = found.filter((d) => d.startsWith('+ block.block_types.endpoints.block.attributes.'));
  const rest = found.filter((d) => !newEndpoints.includes(d));
  t.same(
    rest,
    ['+ block.attributes.access_key.sensitive', '+ block.attributes.secret_key.sensitive', '+ block.attributes.tag_policy_compliance', '+ block.attributes.token.sensitive', '+ block.attributes.user_agent'],
    'v6 arguments and credential sensitivity only',
  );
  t.equal(newEndpoints.length, 27, 'endpoint keys added from the v6 service list');
  for (const key of ['bedrockruntime', 'rdsdata', 's3vectors', 'workmail']) t.ok(newEndpoints.includes(`+ block.block_types.endpoints.block.attributes.${key}`), key);
  t.comment('allowed differences from 5.100.0:\n' + rest.join('\n') + `\n+ ${newEndpoints.length} endpoint keys`);
  const endpoints = (((load('provider.json').block as JsonObject).block_types as JsonObject).endpoints as JsonObject).block as JsonObject;
  for (const attribute of Object.values(endpoints.attributes as JsonObject)) {
    t.same(structure({ version: 0, block: { attributes: { a: attribute } } }).block, { attributes: { a: { type: 'string', optional: true } } });
  }
});

t.test('the neighbour types match 5.100.0 apart from the v6 region argument', async (t) => {
  const cases: [kind: string, name: string, file: string, allowed: string[]][] = [
    ['resource_schemas', 'aws_iam_role', 'resources/aws_iam_role.json', []],
    ['data_source_schemas', 'aws_iam_policy_document', 'data-sources/aws_iam_policy_document.json', []],
    // v6: region is optional+computed
    ['data_source_schemas', 'aws_sagemaker_prebuilt_ecr_image', 'data-sources/aws_sagemaker_prebuilt_ecr_image.json', ['+ block.attributes.region.computed']],
  ];
  const deprecated = (schema: JsonObject) => {
    const paths: string[] = [];
    if ((schema.block as JsonObject).deprecated) paths.push('(block)');
    visit(schema.block as JsonObject, ({ path: p, attribute, nested }) => {
      if (attribute?.deprecated || (nested?.block as JsonObject | undefined)?.deprecated) paths.push(p);
    });
    return paths.sort();
  };
  for (const [kind, name, file, allowed] of cases) {
    const theirs = (reference[kind] as JsonObject)[name] as JsonObject;
    t.same(differences(structure(theirs), structure(load(file))), allowed, `${name}: only the allow-listed differences`);
    t.same(deprecated(load(file)), deprecated(theirs), `${name}: the same arguments are deprecated`);
  }
});

t.test('aws_sagemaker_model replacement rules follow SDKv2 per-leaf ForceNew', async (t) => {
  const schema = load('resources/aws_sagemaker_model.json');
  const forceNew: string[] = [];
  const computedBlocks: string[] = [];
  visit(schema.block as JsonObject, ({ path: p, attribute, nested }) => {
    if ((attribute ?? nested)?.force_new) forceNew.push(p);
    if (nested?.computed) computedBlocks.push(p);
  });
  const containerLeaves = (c: string) => [
    `${c}.additional_model_data_source.channel_name`,
    `${c}.additional_model_data_source.s3_data_source.compression_type`,
    `${c}.additional_model_data_source.s3_data_source.model_access_config`,
    `${c}.additional_model_data_source.s3_data_source.model_access_config.accept_eula`,
    `${c}.additional_model_data_source.s3_data_source.s3_data_type`,
    `${c}.additional_model_data_source.s3_data_source.s3_uri`,
    `${c}.container_hostname`,
    `${c}.environment`,
    `${c}.image`,
    `${c}.image_config.repository_access_mode`,
    `${c}.image_config.repository_auth_config.repository_credentials_provider_arn`,
    `${c}.inference_specification_name`,
    `${c}.mode`,
    `${c}.model_data_source.s3_data_source.compression_type`,
    `${c}.model_data_source.s3_data_source.model_access_config.accept_eula`,
    `${c}.model_data_source.s3_data_source.s3_data_type`,
    `${c}.model_data_source.s3_data_source.s3_uri`,
    `${c}.model_data_url`,
    `${c}.model_package_name`,
    `${c}.multi_model_config`,
    `${c}.multi_model_config.model_cache_setting`,
  ];
  t.same(
    forceNew.sort(),
    [
      ...containerLeaves('container'),
      'enable_network_isolation',
      'execution_role_arn',
      'inference_execution_config',
      'inference_execution_config.mode', // our deliberate fix: hashicorp/aws updates it in place, doing nothing
      'name',
      ...containerLeaves('primary_container'),
      'vpc_config',
      'vpc_config.security_group_ids',
      'vpc_config.subnets',
    ].sort(),
  );
  t.same(computedBlocks.sort(), [
    'container.additional_model_data_source',
    'container.model_data_source',
    'inference_execution_config',
    'primary_container.additional_model_data_source',
    'primary_container.model_data_source',
  ]);
  let paths = 0;
  visit(schema.block as JsonObject, () => paths++);
  t.equal(paths, 71, 'every schema path, counting the container shape twice');
});

t.test('neighbour schemas', async (t) => {
  const role = load('resources/aws_iam_role.json').block as JsonObject;
  const roleAttributes = role.attributes as JsonObject;
  t.notOk('region' in roleAttributes, 'IAM is global');
  t.same((roleAttributes.name as JsonObject).conflicts_with, ['name_prefix']);
  t.same((roleAttributes.path as JsonObject).default, '/');
  t.ok((role.block_types as JsonObject).inline_policy && ((role.block_types as JsonObject).inline_policy as JsonObject).computed);
  const document = load('data-sources/aws_iam_policy_document.json').block as JsonObject;
  t.notOk('region' in (document.attributes as JsonObject));
  t.ok('source_json' in (document.attributes as JsonObject), 'v6 keeps the deprecated source_json');
  const statement = ((document.block_types as JsonObject).statement as JsonObject).block as JsonObject;
  t.same((statement.attributes as JsonObject).effect, {
    ...((statement.attributes as JsonObject).effect as JsonObject),
    optional: true,
    default: 'Allow',
  });
  t.notOk(((statement.attributes as JsonObject).effect as JsonObject).computed, 'optional, with a default, as SDKv2 serves it');
  t.notOk(((statement.attributes as JsonObject).sid as JsonObject).validators, 'no Sid rule since 5.84');
  const image = load('data-sources/aws_sagemaker_prebuilt_ecr_image.json').block as JsonObject;
  const imageAttributes = image.attributes as JsonObject;
  t.same([(imageAttributes.region as JsonObject).optional, (imageAttributes.region as JsonObject).computed], [true, true]);
  const repositories = ((imageAttributes.repository_name as JsonObject).validators as JsonObject[])[0].values as string[];
  t.ok(repositories.includes('kmeans') && repositories.includes('sagemaker-xgboost'));
  t.same(getValidator('enum')!('nope', 'repository_name', { values: repositories }).length, 1);
});
