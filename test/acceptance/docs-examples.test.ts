// Every example the docs show (examples/provider, examples/resources, examples/data-sources; scripts/docs.mjs
// refuses to leave one out) is applied here, in one workspace: each resource or data source example is a module
// of a root that configures the provider as examples/provider/provider.tf does. Create, empty plan, both import
// forms of each resource page (import.sh and import-by-string-id.tf, on the module the page's resource.tf
// became), an empty plan with the other provider example, destroy.
import t from 'tap';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACC_TARGET, Workspace } from '../support/terraform';
import { repoRoot } from '../support/paths';
import { useTarget } from '../support/target';

const examples = join(repoRoot, 'examples');

interface ModuleExample {
  /** Module name in the root configuration. */
  module: string;
  /** Path under examples/. */
  path: string;
}

/** Each .tf example of a resource or data source page, except the import blocks (root-module only). */
function moduleExamples(): ModuleExample[] {
  const found: ModuleExample[] = [];
  for (const kind of ['resources', 'data-sources']) {
    for (const type of readdirSync(join(examples, kind)).sort()) {
      for (const file of readdirSync(join(examples, kind, type)).sort()) {
        if (!file.endsWith('.tf') || file.startsWith('import')) continue;
        const path = `${kind}/${type}/${file}`;
        found.push({ module: path.replace(/\.tf$/, '').replace(/[^A-Za-z0-9]+/g, '_'), path });
      }
    }
  }
  return found;
}

/** The import examples of each resource page, aimed at the module made of that page's resource.tf. */
function importExamples(): { module: string; cli: string[][]; blocks: string }[] {
  return readdirSync(join(examples, 'resources'))
    .sort()
    .filter((type) => existsSync(join(examples, 'resources', type, 'import.sh')))
    .map((type) => {
      const module = `resources_${type}_resource`;
      const dir = join(examples, 'resources', type);
      const cli = readFileSync(join(dir, 'import.sh'), 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('terraform import '))
        .map((line) => line.trim().split(/\s+/).slice(1))
        .map(([command, address, id]) => [command!, `module.${module}.${address}`, id!]);
      const blocks = readFileSync(join(dir, 'import-by-string-id.tf'), 'utf8').replace(/(\bto\s*=\s*)/g, `$1module.${module}.`);
      return { module, cli, blocks };
    });
}

if (ACC_TARGET === 'aws') {
  t.test('documented examples', { skip: 'the examples use fixed names and placeholder S3 URLs: embedded endpoint or LocalStack only' }, async () => undefined);
} else {
  const acc = useTarget(t);

  t.test('every documented example applies, plans empty, imports both ways and destroys', async (t) => {
    const modules = moduleExamples();
    const imports = importExamples();
    t.ok(modules.length >= 10 && imports.length === 4, `${modules.length} module examples, ${imports.length} import examples`);
    const url = acc.target.url!;
    // examples/provider/provider.tf names only the Region: the endpoint and credentials come from the environment.
    const ws = new Workspace('ours', {
      AWS_ENDPOINT_URL: url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_EC2_METADATA_DISABLED: 'true',
      TF_VAR_endpoint: url,
    });
    t.teardown(() => ws.cleanup());
    for (const { module, path } of modules) {
      mkdirSync(join(ws.dir, 'modules', module), { recursive: true });
      writeFileSync(join(ws.dir, 'modules', module, 'main.tf'), readFileSync(join(examples, path), 'utf8'));
    }
    ws.write({
      'provider.tf': readFileSync(join(examples, 'provider/provider.tf'), 'utf8'),
      'modules.tf': modules.map(({ module }) => `module "${module}" {\n  source = "./modules/${module}"\n}\n`).join('\n'),
    });

    await ws.ok(['get', '-no-color']); // records the local modules; nothing to install for the overridden provider
    const created = await ws.apply();
    t.match(created.stdout, /Apply complete! Resources: [1-9]\d* added, 0 changed, 0 destroyed/, 'apply created the examples');
    t.equal((await acc.aws.model('my-model'))?.PrimaryContainer?.Image, '174872318107.dkr.ecr.us-west-2.amazonaws.com/kmeans:1', 'the basic model exists');
    t.equal((await acc.aws.model('my-pipeline'))?.Containers?.length, 2, 'the pipeline model has its two containers');
    t.equal((await acc.aws.endpointConfig('my-endpoint-config'))?.ProductionVariants?.[0]?.ModelName, 'my-endpoint-config-model', 'the endpoint configuration hosts its model');
    t.equal((await acc.aws.endpoint('my-endpoint'))?.EndpointStatus, 'InService', 'the endpoint is in service');
    t.equal((await acc.aws.endpoint('my-canary-endpoint'))?.LastDeploymentConfig?.BlueGreenUpdatePolicy?.TrafficRoutingConfiguration?.Type, 'CANARY');
    t.equal((await ws.planExitCode()).code, 0, 'the plan after apply is empty');

    const addresses = imports.flatMap(({ cli }) => cli.map(([, address]) => address!));
    await ws.ok(['state', 'rm', ...addresses]);
    for (const { cli } of imports) for (const args of cli) await ws.ok([args[0]!, '-no-color', ...args.slice(1)]);
    t.equal((await ws.planExitCode()).code, 0, 'the plan after `terraform import` is empty');

    await ws.ok(['state', 'rm', ...addresses]);
    ws.write({ 'imports.tf': imports.map(({ blocks }) => blocks).join('\n') });
    const imported = await ws.apply();
    t.match(imported.stdout, new RegExp(`Apply complete! Resources: ${addresses.length} imported, 0 added, 0 changed, 0 destroyed`), 'the import blocks imported');
    t.equal((await ws.planExitCode()).code, 0, 'the plan after the import blocks is empty');

    // The other provider example: the same state, planned and destroyed through its endpoints block.
    rmSync(join(ws.dir, 'provider.tf'));
    ws.write({ 'provider.tf': readFileSync(join(examples, 'provider/provider-local-endpoint.tf'), 'utf8') });
    const withEndpointBlock = { AWS_ENDPOINT_URL: '', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' };
    t.equal((await ws.run(['plan', '-detailed-exitcode', '-input=false', '-no-color'], withEndpointBlock)).code, 0, 'empty plan with the endpoints block');
    const destroyed = await ws.ok(['destroy', '-auto-approve', '-input=false', '-no-color'], withEndpointBlock);
    t.match(destroyed.stdout, /Destroy complete! Resources: [1-9]\d* destroyed/, 'destroy through the endpoints block');
    t.equal(await acc.aws.model('my-model'), null, 'destroy removed the models');
    t.equal(await acc.aws.model('my-pipeline'), null, 'and the pipeline');
    t.equal(await acc.aws.endpoint('my-endpoint'), null, 'and the endpoints');
    t.equal(await acc.aws.endpointConfig('my-endpoint-config'), null, 'and the endpoint configurations');
  });
}
