// Where the upstream hashicorp/aws binary is found: fake provider layouts in temporary directories.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { compareVersions, discoverUpstream, goPlatform, type DiscoveryContext } from '../../src/upstream/discovery';
import { readCliConfig } from '../../src/upstream/cli-config';

const PLATFORM = 'linux_amd64';

/** A directory tree for one test: `cwd`, `home` and anything else, removed afterwards. */
function sandbox(t: Test): { root: string; context: (env?: NodeJS.ProcessEnv) => DiscoveryContext } {
  const root = mkdtempSync(join(tmpdir(), 'discovery-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'cwd'));
  mkdirSync(join(root, 'home'));
  return {
    root,
    // XDG_DATA_DIRS points into the sandbox so the machine's own /usr/share/terraform/plugins never counts.
    context: (env = {}) => ({ env: { XDG_DATA_DIRS: join(root, 'nodata'), ...env }, cwd: join(root, 'cwd'), home: join(root, 'home'), platform: 'linux', arch: 'x64' }),
  };
}

/** A fake binary at `<providerRoot>/registry.terraform.io/hashicorp/aws/<version>/<platform>/`. */
function install(providerRoot: string, version: string, { platform = PLATFORM, executable = true } = {}): string {
  const dir = join(providerRoot, 'registry.terraform.io', 'hashicorp', 'aws', version, platform);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `terraform-provider-aws_v${version}_x5`);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, executable ? 0o755 : 0o644);
  return path;
}

t.test('nothing anywhere: none, listing where it looked', async (t) => {
  const { context } = sandbox(t);
  const found = discoverUpstream(context());
  t.equal(found.kind, 'none');
  if (found.kind === 'none') {
    t.ok(found.searched.some((dir) => dir.endsWith(join('.terraform', 'providers'))), 'the working directory .terraform/providers');
    t.ok(found.searched.some((dir) => dir.endsWith(join('.terraform.d', 'plugins'))), '~/.terraform.d/plugins');
  }
});

t.test('.terraform/providers of the working directory (TF_DATA_DIR moves it)', async (t) => {
  const { root, context } = sandbox(t);
  const path = install(join(root, 'cwd', '.terraform', 'providers'), '5.100.0');
  const found = discoverUpstream(context());
  t.equal(found.kind === 'found' && found.binary.path, path);
  t.equal(found.kind === 'found' && found.binary.version, '5.100.0');
  t.match(found.kind === 'found' && found.binary.reason, /terraform init/);
  const moved = install(join(root, 'cwd', 'data', 'providers'), '5.99.0');
  const relocated = discoverUpstream(context({ TF_DATA_DIR: 'data' }));
  t.equal(relocated.kind === 'found' && relocated.binary.path, moved);
});

t.test('the plugin cache: TF_PLUGIN_CACHE_DIR, or plugin_cache_dir with $VARIABLES expanded', async (t) => {
  const { root, context } = sandbox(t);
  const path = install(join(root, 'cache'), '5.100.0');
  const fromEnv = discoverUpstream(context({ TF_PLUGIN_CACHE_DIR: join(root, 'cache') }));
  t.equal(fromEnv.kind === 'found' && fromEnv.binary.path, path);
  t.match(fromEnv.kind === 'found' && fromEnv.binary.reason, /plugin cache/);

  writeFileSync(join(root, 'home', '.terraformrc'), '# my settings\nplugin_cache_dir = "$SANDBOX/cache"\n');
  const fromFile = discoverUpstream(context({ SANDBOX: root }));
  t.equal(fromFile.kind === 'found' && fromFile.binary.path, path, '~/.terraformrc');
});

t.test('filesystem mirrors of the CLI configuration, HCL and JSON, TF_CLI_CONFIG_FILE replacing ~/.terraformrc', async (t) => {
  const { root, context } = sandbox(t);
  const path = install(join(root, 'mirror'), '5.100.0');
  writeFileSync(
    join(root, 'cli.tfrc'),
    `provider_installation {
  /* a "comment" with a brace { */
  filesystem_mirror {
    path    = "${join(root, 'mirror')}"   # the image's mirror
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
`,
  );
  const hcl = discoverUpstream(context({ TF_CLI_CONFIG_FILE: join(root, 'cli.tfrc') }));
  t.equal(hcl.kind === 'found' && hcl.binary.path, path);
  t.match(hcl.kind === 'found' && hcl.binary.reason, /filesystem_mirror/);

  mkdirSync(join(root, 'home', '.terraform.d'));
  writeFileSync(join(root, 'home', '.terraform.d', 'mirrors.tfrc.json'), JSON.stringify({ provider_installation: [{ filesystem_mirror: [{ path: join(root, 'mirror') }] }] }));
  const json = discoverUpstream(context());
  t.equal(json.kind === 'found' && json.binary.path, path, '~/.terraform.d/*.tfrc.json');
  t.equal(discoverUpstream(context({ TF_CLI_CONFIG_FILE: join(root, 'absent.tfrc') })).kind, 'none', 'an override skips ~/.terraform.d');
});

t.test("Terraform's implied mirrors: terraform.d/plugins, ~/.terraform.d/plugins, XDG data directories", async (t) => {
  const { root, context } = sandbox(t);
  const xdg = install(join(root, 'share', 'terraform', 'plugins'), '5.1.0');
  const found = discoverUpstream(context({ XDG_DATA_DIRS: join(root, 'share') }));
  t.equal(found.kind === 'found' && found.binary.path, xdg);
  const home = install(join(root, 'home', '.terraform.d', 'plugins'), '5.2.0');
  t.equal((discoverUpstream(context()) as { binary: { path: string } }).binary.path, home);
  const vendored = install(join(root, 'cwd', 'terraform.d', 'plugins'), '5.3.0');
  t.equal((discoverUpstream(context()) as { binary: { path: string } }).binary.path, vendored);
});

t.test('the highest version wins across places; other platforms and non-executables are ignored', async (t) => {
  const { root, context } = sandbox(t);
  install(join(root, 'cwd', '.terraform', 'providers'), '5.9.0');
  const best = install(join(root, 'cache'), '5.100.0');
  install(join(root, 'cache'), '5.100.1-beta1');
  install(join(root, 'home', '.terraform.d', 'plugins'), '6.0.0', { platform: 'darwin_arm64' });
  install(join(root, 'home', '.terraform.d', 'plugins'), '7.0.0', { executable: false });
  const found = discoverUpstream(context({ TF_PLUGIN_CACHE_DIR: join(root, 'cache') }));
  t.equal(found.kind === 'found' && found.binary.path, best, '5.100.0 over 5.9.0 and 5.100.1-beta1');
  t.equal(found.kind === 'found' && found.candidates.length, 3);
});

t.test('TF_AWS_UPSTREAM_PROVIDER: a file, a directory to search, none, or a clear problem', async (t) => {
  const { root, context } = sandbox(t);
  const path = install(join(root, 'mirror'), '5.100.0');
  install(join(root, 'cache'), '6.0.0');
  const file = discoverUpstream(context({ TF_AWS_UPSTREAM_PROVIDER: path, TF_PLUGIN_CACHE_DIR: join(root, 'cache') }));
  t.equal(file.kind === 'found' && file.binary.path, path, 'the named file, even with a higher version elsewhere');
  t.equal(file.kind === 'found' && file.binary.version, '5.100.0', 'version from the file name');
  const mirror = discoverUpstream(context({ TF_AWS_UPSTREAM_PROVIDER: join(root, 'mirror') }));
  t.equal(mirror.kind === 'found' && mirror.binary.path, path, 'a mirror root');
  const binaryDir = discoverUpstream(context({ TF_AWS_UPSTREAM_PROVIDER: join(path, '..') }));
  t.equal(binaryDir.kind === 'found' && binaryDir.binary.path, path, 'the directory holding the binary');
  t.same(discoverUpstream(context({ TF_AWS_UPSTREAM_PROVIDER: 'none', TF_PLUGIN_CACHE_DIR: join(root, 'cache') })), { kind: 'disabled' });

  const missing = discoverUpstream(context({ TF_AWS_UPSTREAM_PROVIDER: join(root, 'nope') }));
  t.match(missing, { kind: 'invalid', message: /does not exist/ });
  const empty = discoverUpstream(context({ TF_AWS_UPSTREAM_PROVIDER: join(root, 'home') }));
  t.match(empty, { kind: 'invalid', message: /holds no terraform-provider-aws_v\* executable for linux_amd64/ });
  const self = join(root, 'terraform-provider-aws');
  writeFileSync(self, '#!/bin/sh\n');
  chmodSync(self, 0o755);
  t.match(discoverUpstream({ ...context({ TF_AWS_UPSTREAM_PROVIDER: self }), self }), { kind: 'invalid', message: /this provider itself/ });
});

t.test('CLI configuration reading', async (t) => {
  const { root } = sandbox(t);
  const file = join(root, 'x.tfrc');
  writeFileSync(file, 'plugin_cache_dir = "${HOME}/c"\n// filesystem_mirror { path = "/commented" }\nprovider_installation {\n  filesystem_mirror {\n    path = "/m1"\n  }\n  filesystem_mirror { path = "/m2" }\n}\n');
  t.same(readCliConfig({ TF_CLI_CONFIG_FILE: file, HOME: '/h' }, '/unused', '/unused'), { files: [file], pluginCacheDir: '/h/c', filesystemMirrors: ['/m1', '/m2'] });
  t.equal(readCliConfig({ TF_CLI_CONFIG_FILE: file, TF_PLUGIN_CACHE_DIR: '/env' }, '/h', '/unused').pluginCacheDir, '/env', 'TF_PLUGIN_CACHE_DIR wins');
  t.same(readCliConfig({ TF_CLI_CONFIG_FILE: 'x.tfrc' }, '/h', root).files, [file], "a relative TF_CLI_CONFIG_FILE is in Terraform's directory");
});

t.test('versions and platforms', async (t) => {
  t.ok(compareVersions('5.100.0', '5.99.9') > 0);
  t.ok(compareVersions('5.100.0', '5.100.0-rc1') > 0);
  t.ok(compareVersions('6.0.0-beta2', '6.0.0-beta1') > 0);
  t.ok(compareVersions(undefined, '0.0.1') < 0);
  t.equal(compareVersions('5.1.0', '5.1.0'), 0);
  t.equal(goPlatform('linux', 'x64'), 'linux_amd64');
  t.equal(goPlatform('darwin', 'arm64'), 'darwin_arm64');
  t.equal(goPlatform('win32', 'ia32'), 'windows_386');
});
