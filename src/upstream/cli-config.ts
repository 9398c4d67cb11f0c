// Where Terraform's CLI configuration says providers are kept: the plugin cache directory and the filesystem
// mirrors of `provider_installation`. Terraform reads TF_CLI_CONFIG_FILE (or TERRAFORM_CONFIG), else ~/.terraformrc
// plus every *.tfrc / *.tfrc.json in ~/.terraform.d; TF_PLUGIN_CACHE_DIR overrides plugin_cache_dir, whose
// $VARIABLES are expanded (Terraform's os.ExpandEnv). Both HCL and JSON files are read; unreadable ones are skipped.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Environment } from '../protocol/launch';
import { codeOnly, QUOTED, unquote } from './hcl';

export interface CliConfigLocations {
  /** Every CLI configuration file that was read. */
  files: string[];
  pluginCacheDir?: string;
  filesystemMirrors: string[];
}

/** `cwd` is Terraform's: a relative TF_CLI_CONFIG_FILE is relative to it. */
export function readCliConfig(env: Environment, home: string, cwd: string): CliConfigLocations {
  const override = env.TF_CLI_CONFIG_FILE || env.TERRAFORM_CONFIG;
  const files = override ? [resolve(cwd, override)] : [join(home, '.terraformrc'), ...configDirFiles(join(home, '.terraform.d'))];
  const result: CliConfigLocations = { files: [], filesystemMirrors: [] };
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    result.files.push(file);
    const found = file.endsWith('.json') || text.trimStart().startsWith('{') ? fromJson(text) : fromHcl(text);
    if (found.pluginCacheDir) result.pluginCacheDir = expandEnv(found.pluginCacheDir, env);
    result.filesystemMirrors.push(...found.filesystemMirrors);
  }
  if (env.TF_PLUGIN_CACHE_DIR) result.pluginCacheDir = env.TF_PLUGIN_CACHE_DIR;
  return result;
}

function configDirFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.tfrc') || name.endsWith('.tfrc.json'))
      .sort()
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

interface Found {
  pluginCacheDir?: string;
  filesystemMirrors: string[];
}

function fromHcl(text: string): Found {
  const code = codeOnly(text);
  const cache = new RegExp(String.raw`(?:^|\n)\s*plugin_cache_dir\s*=\s*${QUOTED}`).exec(code);
  const filesystemMirrors: string[] = [];
  for (const block of code.matchAll(/\bfilesystem_mirror\s*\{/g)) {
    const body = code.slice(block.index + block[0].length, closingBrace(code, block.index + block[0].length));
    const path = new RegExp(String.raw`(?:^|[\s{])path\s*=\s*${QUOTED}`).exec(body);
    if (path) filesystemMirrors.push(unquote(path[1]!));
  }
  return { pluginCacheDir: cache ? unquote(cache[1]!) : undefined, filesystemMirrors };
}

/** Index of the `}` that closes a block whose body starts at `from` (strings skipped roughly: paths have no braces). */
function closingBrace(code: string, from: number): number {
  let depth = 1;
  for (let i = from; i < code.length; i++) {
    if (code[i] === '{') depth++;
    else if (code[i] === '}' && --depth === 0) return i;
  }
  return code.length;
}

function fromJson(text: string): Found {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { filesystemMirrors: [] };
  }
  const root = (parsed ?? {}) as Record<string, unknown>;
  const filesystemMirrors: string[] = [];
  for (const installation of asList(root.provider_installation)) {
    for (const mirror of asList((installation as Record<string, unknown>).filesystem_mirror)) {
      const path = (mirror as Record<string, unknown>).path;
      if (typeof path === 'string') filesystemMirrors.push(path);
    }
  }
  const cache = root.plugin_cache_dir;
  return { pluginCacheDir: typeof cache === 'string' ? cache : undefined, filesystemMirrors };
}

/** HCL 1's JSON form allows a block to be an object or a list of objects. */
function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.filter((v) => v && typeof v === 'object');
  return value && typeof value === 'object' ? [value] : [];
}

/** Go's os.ExpandEnv: $NAME and ${NAME}, unset variables expanding to nothing. */
function expandEnv(value: string, env: Environment): string {
  return value.replace(/\$\{([^}]*)\}|\$([A-Za-z0-9_]+)/g, (_, braced: string | undefined, bare: string | undefined) => env[braced ?? bare ?? ''] ?? '');
}
