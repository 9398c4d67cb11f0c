// The V8 code cache of the launcher (src/compile-cache.ts), observed from outside: the built provider is
// started the way Terraform starts it, with its own cache directory. On Node 22.1+ the cache is Node's own
// (module.enableCompileCache); on Node 20 it is ours, with one entry per module stamped with the source digest.
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, ensureBuilt, launchProvider, parseHandshake, pluginEnv } from '../support/provider-process';
import { repoRoot } from '../support/paths';

t.before(() => ensureBuilt());

const bundle = join(repoRoot, 'bin', 'lib', 'provider.js');
// The provider runs on the `node` first on PATH, as the tests do.
const builtIn = typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';
const versionDirectory = builtIn ? new RegExp(`^${process.version.replace(/\./g, '\\.')}-${process.arch}-`) : new RegExp(`^v8-${process.versions.v8.replace(/\./g, '\\.')}-${process.arch}$`);

/** Starts the provider, asks it for its schema and stops it (the cache is written at exit); returns its stderr. */
async function runOnce(t: Test, cacheHome: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
  const p = launchProvider(t, pluginEnv({ XDG_CACHE_HOME: cacheHome, ...extraEnv }));
  const client = connect(parseHandshake(await p.handshake));
  // An answered RPC means the post-handshake bundle (and the SDK-free engine) is loaded.
  await client.provider('GetProviderSchema')({});
  client.close();
  p.child.kill('SIGTERM');
  await p.exited;
  return p.stderr();
}

const cacheRoot = (cacheHome: string) => join(cacheHome, 'terraform-provider-aws-ts');

function versionDirs(cacheHome: string): string[] {
  return existsSync(cacheRoot(cacheHome)) ? readdirSync(cacheRoot(cacheHome)).sort() : [];
}

/** The cache files of one version directory, with their size and modification time. */
function entries(dir: string): Map<string, { size: number; mtimeMs: number }> {
  return new Map(readdirSync(dir).map((name) => [name, { size: statSync(join(dir, name)).size, mtimeMs: statSync(join(dir, name)).mtimeMs }]));
}

t.test(`the first start writes the cache (${builtIn ? "Node's built-in compile cache" : 'our own V8 code cache'}), the second uses it`, async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'compile-cache-'));
  t.teardown(() => rmSync(home, { recursive: true, force: true }));
  const stderr = await runOnce(t, home);
  t.notMatch(stderr, /Warning|warning:/, 'no warning from Node');
  const dirs = versionDirs(home);
  t.equal(dirs.length, 1, 'one directory');
  t.match(dirs[0], versionDirectory, 'named after this Node/V8 version');
  t.equal(statSync(cacheRoot(home)).mode & 0o777, 0o700, 'the cache directory is private');
  const dir = join(cacheRoot(home), dirs[0]!);
  const first = entries(dir);
  t.ok([...first.values()].some((e) => e.size > 100_000), 'it holds the code of the provider bundle');

  if (!builtIn) {
    const name = `${createHash('sha1').update(bundle).digest('hex')}.bin`;
    t.ok(first.has(name), 'the provider bundle has an entry named after its path');
    const entry = join(dir, name);
    const digest = createHash('sha1').update(readFileSync(bundle, 'utf8')).digest();
    t.same(readFileSync(entry).subarray(0, digest.length), digest, 'the entry starts with the digest of the bundle it was made from');
  }

  await runOnce(t, home);
  t.same(entries(dir), first, 'a second start uses the cache and rewrites nothing');
});

// Node 22.1-22.7 have the built-in cache but do not say which directory is theirs.
const removesOthers = !builtIn || typeof (Module as unknown as { getCompileCacheDir?: unknown }).getCompileCacheDir === 'function';

t.test('directories of other versions are removed; NODE_DISABLE_COMPILE_CACHE writes nothing', { skip: !removesOthers && 'Node 22.1-22.7' }, async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'compile-cache-'));
  t.teardown(() => rmSync(home, { recursive: true, force: true }));
  await runOnce(t, home, { NODE_DISABLE_COMPILE_CACHE: '1' });
  t.same(versionDirs(home), [], 'disabled: no cache directory');

  for (const stale of ['v8-1.0.0-node.0-x64', 'v18.0.0-x64-00000000-0']) {
    mkdirSync(join(cacheRoot(home), stale), { recursive: true });
    writeFileSync(join(cacheRoot(home), stale, 'old.bin'), 'stale');
  }
  mkdirSync(join(cacheRoot(home), 'upstream-schemas'));
  await runOnce(t, home);
  const dirs = versionDirs(home).filter((name) => name !== 'upstream-schemas');
  t.equal(dirs.length, 1, 'only the current version remains');
  t.match(dirs[0], versionDirectory);
  t.ok(existsSync(join(cacheRoot(home), 'upstream-schemas')), 'another cache in the same root stays');
});
