// The V8 code cache of the launcher (src/compile-cache.ts), observed from outside: the built provider is
// started the way Terraform starts it, with its own cache directory.
import t from 'tap';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, ensureBuilt, launchProvider, parseHandshake, pluginEnv, repoRoot } from './helpers';

t.before(() => ensureBuilt());

const bundle = join(repoRoot, 'bin', 'lib', 'provider.js');

/** Starts the provider, asks it for its schema and stops it (the cache is written at exit). */
async function runOnce(cacheHome: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<void> {
  const p = launchProvider(pluginEnv({ XDG_CACHE_HOME: cacheHome, ...extraEnv }));
  const client = connect(parseHandshake(await p.handshake));
  // An answered RPC means the post-handshake bundle (and the SDK-free engine) is loaded.
  await client.provider('GetProviderSchema')({});
  client.close();
  p.child.kill('SIGTERM');
  await p.exited;
}

function versionDirs(cacheHome: string): string[] {
  const root = join(cacheHome, 'terraform-provider-aws-ts');
  return existsSync(root) ? readdirSync(root).sort() : [];
}

t.test('the first start writes one entry per module, keyed by path and stamped with the source digest', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'compile-cache-'));
  t.teardown(() => rmSync(home, { recursive: true, force: true }));
  await runOnce(home);
  const dirs = versionDirs(home);
  t.same(dirs, [`v8-${process.versions.v8}-${process.arch}`], 'one directory, named after this V8 version');
  const dir = join(home, 'terraform-provider-aws-ts', dirs[0]!);
  const entry = join(dir, `${createHash('sha1').update(bundle).digest('hex')}.bin`);
  t.ok(existsSync(entry), 'the provider bundle has an entry');
  const digest = createHash('sha1').update(readFileSync(bundle, 'utf8')).digest();
  t.same(readFileSync(entry).subarray(0, digest.length), digest, 'the entry starts with the digest of the bundle it was made from');
  t.ok(readFileSync(entry).length > digest.length + 1000, 'and holds V8 code after it');
  t.equal(statSync(dir).mode & 0o777, 0o700, 'the directory is private');

  const before = statSync(entry).mtimeMs;
  await runOnce(home);
  t.equal(statSync(entry).mtimeMs, before, 'a second start uses the entry and does not rewrite it');
});

t.test('directories of other V8 versions are removed; NODE_DISABLE_COMPILE_CACHE writes nothing', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'compile-cache-'));
  t.teardown(() => rmSync(home, { recursive: true, force: true }));
  await runOnce(home, { NODE_DISABLE_COMPILE_CACHE: '1' });
  t.same(versionDirs(home), [], 'disabled: no cache directory');

  const stale = join(home, 'terraform-provider-aws-ts', 'v8-1.0.0-node.0-x64');
  mkdirSync(stale, { recursive: true });
  writeFileSync(join(stale, 'old.bin'), 'stale');
  await runOnce(home);
  t.same(versionDirs(home), [`v8-${process.versions.v8}-${process.arch}`], 'only the current version remains');
});
