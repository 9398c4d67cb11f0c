// Terraform 1.11 itself loads the built provider through dev_overrides and completes the go-plugin
// handshake over AutoMTLS (it always uses AutoMTLS unless TF_DISABLE_PLUGIN_TLS is set).
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureBuilt, launchProvider, pluginEnv } from '../support/provider-process';
import { providerBinary } from '../support/paths';
import { waitFor } from '../support/processes';

t.before(() => ensureBuilt());

function terraform(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('terraform', args, { cwd, env, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

t.test('terraform validate with the provider from dev_overrides', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-protocol-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const cliConfig = join(dir, 'terraform.rc');
  writeFileSync(
    cliConfig,
    `provider_installation {\n  dev_overrides {\n    "hashicorp/aws" = ${JSON.stringify(dirname(providerBinary))}\n  }\n  direct {}\n}\n`,
  );
  writeFileSync(
    join(dir, 'main.tf'),
    'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n\nprovider "aws" {}\n',
  );
  const logPath = join(dir, 'terraform.log');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig,
    CHECKPOINT_DISABLE: '1',
    TF_LOG: 'trace',
    TF_LOG_PATH: logPath,
    TF_IN_AUTOMATION: '1',
  };
  delete env.TF_DISABLE_PLUGIN_TLS;
  delete env.TF_REATTACH_PROVIDERS;

  const result = await terraform(['validate', '-no-color'], dir, env);
  t.equal(result.code, 0, `validate succeeds\n${result.stdout}${result.stderr}`);
  t.match(result.stdout, /Success! The configuration is valid/);
  t.match(result.stderr + result.stdout, /Provider development overrides are in effect/);

  const log = readFileSync(logPath, 'utf8');
  t.match(log, /using plugin: version=6/, 'protocol 6 negotiated');
  // Terraform prints the extra fields of a line in no fixed order.
  const listening = /provider\.terraform-provider-aws: plugin server listening:(?=[^\n]*network=unix)(?=[^\n]*plugin\.sock)(?=[^\n]*tls=true)/;
  t.match(log, listening, 'TLS on a unix socket');
  t.match(
    log,
    /\[TRACE\] provider\.terraform-provider-aws: rpc done:[^\n]*@module=provider\.protocol\.GetProviderSchema/,
    'hclog JSON lines parsed by Terraform at their own level',
  );
  t.notMatch(log, /Unrecognized remote plugin message|x509:|tls:/, 'no handshake or TLS trouble');
  t.notMatch(log, /plugin failed to exit gracefully|signal: killed/, 'every provider process exited on Shutdown');
  t.match(log, /plugin exited/);
});

t.test('terraform uses a provider started with --debug through TF_REATTACH_PROVIDERS', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-reattach-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'main.tf'), 'provider "aws" {}\n');
  const provider = launchProvider(t, pluginEnv(), ['--debug']);
  const reattach = /TF_REATTACH_PROVIDERS='(.*)'/;
  await waitFor('the reattach line', () => reattach.test(provider.stdout()), 30_000, 20);
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', TF_REATTACH_PROVIDERS: reattach.exec(provider.stdout())![1] };
  delete env.TF_CLI_CONFIG_FILE;
  const result = await terraform(['validate', '-no-color'], dir, env);
  t.equal(result.code, 0, `validate succeeds\n${result.stdout}${result.stderr}`);
  t.match(result.stdout, /Success! The configuration is valid/);
  t.equal(provider.child.exitCode, null, 'the debug provider outlives the terraform command');
});
