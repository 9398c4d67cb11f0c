// V8 code cache for the CommonJS modules the provider loads after the handshake (bin/lib/provider.js and the AWS
// SDK). Terraform starts the provider 3-5 times per command, and every start would otherwise compile the same ~3 MB
// of JavaScript again; with the cache V8 deserializes the bytecode of the functions the previous runs used instead
// (about half the CPU time of loading them).
//
// Node 22.1+ has this built in (module.enableCompileCache), which is used there. Node 20 gets the same by hand: a
// hook on Module.prototype._compile that reads and writes V8 code cache entries.
//
// The cache lives in $XDG_CACHE_HOME (default ~/.cache)/terraform-provider-aws-ts/, in a directory per Node/V8
// version (named by Node itself on 22+); directories of other versions are deleted when the process exits (other
// caches share the root: src/upstream/schema-cache.ts). Any failure just means no cache. NODE_DISABLE_COMPILE_CACHE=1 turns it off, on every version.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { constants as vmConstants, Script } from 'node:vm';

interface ModuleInternals {
  _compile(content: string, filename: string): unknown;
  require(id: string): unknown;
  exports: unknown;
}
interface ModuleStatics {
  wrap(content: string): string;
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: unknown): string[] | null;
  _extensions: unknown;
  _cache: unknown;
}

/** Node 22.1+'s built-in compile cache (`getCompileCacheDir` since 22.8). */
interface BuiltInCompileCache {
  enableCompileCache?(directory: string): { status: number };
  getCompileCacheDir?(): string | undefined;
}

export function enableCompileCache(env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_DISABLE_COMPILE_CACHE) return;
  const root = join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'terraform-provider-aws-ts');
  const builtIn = Module as unknown as BuiltInCompileCache;
  if (builtIn.enableCompileCache) {
    try {
      mkdirSync(root, { recursive: true, mode: 0o700 });
      builtIn.enableCompileCache(root);
      // Node names its own directory in root, per Node version and V8 flags.
      const dir = builtIn.getCompileCacheDir?.();
      if (dir) process.once('exit', () => removeOtherVersions(dir));
    } catch {
      // no cache
    }
    return;
  }
  enableHandMadeCompileCache(join(root, `v8-${process.versions.v8}-${process.arch}`));
}

/** Node 20: V8 code cache entries written and read by a hook on Module.prototype._compile. */
function enableHandMadeCompileCache(dir: string): void {
  const statics = Module as unknown as ModuleStatics;
  const proto = Module.prototype as unknown as ModuleInternals;
  const originalCompile = proto._compile;
  const pending: { file: string; digest: Buffer; script: Script }[] = [];
  const mainModule = require.main;

  proto._compile = function compileWithCache(this: ModuleInternals, content: string, filename: string): unknown {
    if (!filename.endsWith('.js')) return originalCompile.call(this, content, filename);
    // One entry per module path (a rebuilt bundle replaces its entry); the entry starts with the SHA-1 of the source
    // it was made from, since V8 itself only checks the source's length.
    const file = join(dir, `${createHash('sha1').update(filename).digest('hex')}.bin`);
    const digest = createHash('sha1').update(content).digest();
    let cachedData: Buffer | undefined;
    try {
      const entry = readFileSync(file);
      if (entry.subarray(0, digest.length).equals(digest)) cachedData = entry.subarray(digest.length);
    } catch {
      // not cached yet
    }
    let script: Script;
    try {
      script = new Script(statics.wrap(content), {
        filename,
        cachedData,
        importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      } as ConstructorParameters<typeof Script>[1]);
    } catch {
      return originalCompile.call(this, content, filename); // let Node report a syntax error its own way
    }
    if (!cachedData || script.cachedDataRejected) pending.push({ file, digest, script });
    const fn = script.runInThisContext() as (...args: unknown[]) => unknown;
    const mod = this;
    const moduleRequire = Object.assign((id: string) => mod.require(id), {
      resolve: Object.assign((request: string, options?: unknown) => statics._resolveFilename(request, mod, false, options), {
        paths: (request: string) => statics._resolveLookupPaths(request, mod),
      }),
      main: mainModule,
      extensions: statics._extensions,
      cache: statics._cache,
    });
    return fn.call(mod.exports, mod.exports, moduleRequire, mod, filename, dirname(filename));
  };

  process.once('exit', () => {
    if (pending.length === 0) return;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      removeOtherVersions(dir);
      for (const { file, digest, script } of pending) {
        const temp = `${file}.${process.pid}.tmp`;
        writeFileSync(temp, Buffer.concat([digest, script.createCachedData()]));
        renameSync(temp, file); // atomic: concurrent providers never read a partial entry
      }
    } catch {
      // a read-only or full disk only costs the cache
    }
  });
}

/**
 * Entries made by another Node or V8 version can never be used by this one. Version directories are named `v<digit>...`
 * (ours `v8-<version>-<arch>`, Node's `v<node version>-<arch>-...`); the root's other entries belong to other caches
 * (the upstream provider's schemas) and stay.
 */
function removeOtherVersions(dir: string): void {
  try {
    const parent = dirname(dir);
    for (const name of readdirSync(parent)) {
      if (name !== basename(dir) && /^v\d/.test(name)) rmSync(join(parent, name), { recursive: true, force: true });
    }
  } catch {
    // only costs disk space
  }
}
